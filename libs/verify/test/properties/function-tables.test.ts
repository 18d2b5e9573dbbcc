import fc from 'fast-check';
import { expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { compileGraph, Value } from '@crossgrad/autograd';
import { compileGradient, diff, evaluate, type Expr, FN2_NAMES, FN_NAMES, sym } from '@crossgrad/symbolic';
import { complex } from '../../src/complex.js';
import { FUNCTIONS, FUNCTIONS2 } from '../../src/functions.js';
import { COMPLEX_STEP } from '../../src/slopes.js';

// Every entry of both function tables, at random points inside the entry's own domain (its `domain` field), so a
// function added to a table is checked here with no edit: symbolic's value and derivative (diff and
// compileGradient), autograd's (eager backward and compileGraph) and the complex step on the table's complex
// extension all agree. Points keep a margin from the domain's ends, where slopes are infinite, and from a kink.

/** A point inside the open interval, `margin` from its ends, within [-4, 4] where it is unbounded. */
function within([lo, hi]: readonly [number, number], margin = 0.02): fc.Arbitrary<number> {
  const from = Number.isFinite(lo) ? lo + margin : -4;
  const to = Number.isFinite(hi) ? hi - margin : Math.max(4, from + 4);
  return fc.double({ min: from, max: to, noNaN: true }).filter((u) => Math.abs(u) > 1e-3);
}

const close = (a: number, b: number, what: string): void => {
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
};

const oneArgument = fc
  .constantFrom(...FN_NAMES)
  .chain((fn) => within(FUNCTIONS[fn].domain).map((u) => ({ fn, u })));

test.prop([oneArgument])(
  'every one-argument entry: symbolic and autograd values and slopes = the complex step, inside its domain',
  ({ fn, u }) => {
    const entry = FUNCTIONS[fn];
    const step = entry.complex(complex(u, COMPLEX_STEP));
    const value = entry.real(u);
    const slope = step.im / COMPLEX_STEP;
    const e: Expr = entry.expr(sym('x'));
    close(evaluate(e, { x: u }), value, `symbolic ${fn}(${u})`);
    close(evaluate(diff(e, 'x'), { x: u }), slope, `symbolic ${fn}'(${u})`);
    close(compileGradient(e, ['x'])(u).gradient[0] ?? NaN, slope, `compileGradient ${fn}'(${u})`);
    if (entry.op === undefined) return; // step and sign: autograd has no node for them
    const x = new Value(u, 'x');
    const out = entry.value(x);
    out.backward();
    close(out.data, value, `autograd ${fn}(${u})`);
    close(x.grad, slope, `autograd ${fn}'(${u})`);
    expect(Object.is(compileGraph(out, [x]).run([u]).gradient[0], x.grad)).toBe(true);
  },
);

const twoArguments = fc.constantFrom(...FN2_NAMES).chain((fn) =>
  fc
    .tuple(within(FUNCTIONS2[fn].domain[0]), within(FUNCTIONS2[fn].domain[1]))
    // Clear of a kink (a tie of min and max), where the slopes are one-sided.
    .filter(([a, b]) => !(Math.abs(FUNCTIONS2[fn].kink?.(a, b) ?? 1) < 1e-3))
    .map(([a, b]) => ({ fn, a, b })),
);

test.prop([twoArguments])(
  'every two-argument entry: symbolic and autograd values and both partials = the complex step, inside its domain',
  ({ fn, a, b }) => {
    const entry = FUNCTIONS2[fn];
    const value = entry.real(a, b);
    const slopes = [
      entry.complex(complex(a, COMPLEX_STEP), complex(b)).im / COMPLEX_STEP,
      entry.complex(complex(a), complex(b, COMPLEX_STEP)).im / COMPLEX_STEP,
    ];
    const e = entry.expr(sym('x'), sym('y'));
    const at = { x: a, y: b };
    close(evaluate(e, at), value, `symbolic ${fn}(${a}, ${b})`);
    const compiled = compileGradient(e, ['x', 'y'])(a, b).gradient;
    ['x', 'y'].forEach((v, k) => {
      close(evaluate(diff(e, v), at), slopes[k] ?? NaN, `symbolic ∂${fn}/∂${v}`);
      close(compiled[k] ?? NaN, slopes[k] ?? NaN, `compileGradient ∂${fn}/∂${v}`);
    });
    const x = new Value(a, 'x');
    const y = new Value(b, 'y');
    const out = entry.value(x, y);
    out.backward();
    close(out.data, value, `autograd ${fn}(${a}, ${b})`);
    close(x.grad, slopes[0] ?? NaN, `autograd ∂${fn}/∂x`);
    close(y.grad, slopes[1] ?? NaN, `autograd ∂${fn}/∂y`);
    const tape = compileGraph(out, [x, y]).run([a, b]).gradient;
    expect([Object.is(tape[0], x.grad), Object.is(tape[1], y.grad)]).toEqual([true, true]);
  },
);
