import { describe, expect, test } from 'vitest';
import { reciprocalSquare, softplus as softplusValue, tan as tanValue, Value } from '@crossgrad/autograd';
import {
  compile,
  compileGradient,
  diff,
  evaluate,
  FN2_NAMES,
  FN_NAMES,
  format,
  parse,
  softplus,
  sym,
  tan,
} from '@crossgrad/symbolic';
import { compareGradients, complexStep, fromValue, toValue } from '@crossgrad/verify';
import { complex } from '../src/complex.js';
import { FUNCTIONS, FUNCTIONS2 } from '../src/functions.js';
import { realCall } from '../src/real-eval.js';
import { COMPLEX_STEP } from '../src/slopes.js';

const sigmoid = (u: number): number => 1 / (1 + Math.exp(-u));

/** Three points inside an open interval, from the table's domain field (0.3, 1.2, 2.5 where it is unbounded). */
function inside([lo, hi]: readonly [number, number]): number[] {
  if (Number.isFinite(lo) && Number.isFinite(hi)) return [0.2, 0.5, 0.8].map((t) => lo + t * (hi - lo));
  if (Number.isFinite(lo)) return [0.3, 1.2, 2.5].map((t) => lo + t);
  return [0.3, 1.2, 2.5];
}

describe('the function table', () => {
  test('one entry per function symbolic knows, and no other', () => {
    expect(Object.keys(FUNCTIONS).sort()).toEqual([...FN_NAMES].sort());
    expect(Object.keys(FUNCTIONS2).sort()).toEqual([...FN2_NAMES].sort());
  });

  test("each entry's complex extension has the real function as its real part and a finite slope", () => {
    for (const fn of FN_NAMES) {
      const { real, complex: extension, domain } = FUNCTIONS[fn];
      for (const u of inside(domain)) {
        const z = extension(complex(u, COMPLEX_STEP));
        expect(Math.abs(z.re - real(u)), `${fn}(${u})`).toBeLessThanOrEqual(1e-15 * Math.abs(real(u)));
        expect(Number.isFinite(z.im / COMPLEX_STEP), `${fn}'(${u})`).toBe(true);
      }
    }
  });

  test('two-argument entries: the real function as the real part, a finite slope in each argument', () => {
    for (const fn of FN2_NAMES) {
      const { real, complex: extension, domain } = FUNCTIONS2[fn];
      const as = inside(domain[0]);
      const bs = inside(domain[1]).reverse();
      as.forEach((a, k) => {
        const b = -(bs[k] ?? 0);
        for (const z of [
          extension(complex(a, COMPLEX_STEP), complex(b)),
          extension(complex(a), complex(b, COMPLEX_STEP)),
        ]) {
          expect(Math.abs(z.re - real(a, b)), `${fn}(${a}, ${b})`).toBeLessThanOrEqual(
            1e-15 * Math.abs(real(a, b)),
          );
          expect(Number.isFinite(z.im / COMPLEX_STEP), `${fn}'(${a}, ${b})`).toBe(true);
        }
      });
    }
  });

  test('two-argument entries: the autograd node computes the real function; its op maps back to the builder', () => {
    for (const fn of FN2_NAMES) {
      const entry = FUNCTIONS2[fn];
      const node = entry.value(new Value(0.7, 'x'), new Value(-1.2, 'y'));
      expect(node.data, fn).toBe(entry.real(0.7, -1.2));
      expect(node.op, fn).toBe(entry.op);
      expect(fromValue(node), fn).toBe(entry.expr(sym('x'), sym('y')));
    }
  });

  test("each entry's autograd node computes the real function; its op maps back to the same builder", () => {
    for (const fn of FN_NAMES) {
      const entry = FUNCTIONS[fn];
      const at = inside(entry.domain)[1] ?? NaN;
      const x = new Value(at, 'x');
      const node = entry.value(x);
      expect(node.data, fn).toBeCloseTo(entry.real(at), 15);
      if (entry.op === undefined) {
        // step and sign: a constant, derivative 0; logz: autograd's log (a constant 0 at 0).
        expect(node.op, fn).toBe(fn === 'logz' ? 'log' : '');
        continue;
      }
      expect(node.op, fn).toBe(entry.op);
      expect(fromValue(node), fn).toBe(entry.expr(sym('x')));
    }
  });

  test('poles: only log has one a double reaches (at 0), and a value there is undefined, not a disagreement', () => {
    expect(FN_NAMES.filter((fn) => FUNCTIONS[fn].pole(0))).toEqual(['log']);
    expect(FN_NAMES.filter((fn) => FUNCTIONS[fn].pole(Math.PI / 2))).toEqual([]);
    expect(realCall('log', 0)).toBe(-Infinity);
    const report = compareGradients(parse('log(x) * y'), { x: 0, y: 2 });
    expect(report.verdict).toBe('undefined');
  });

  test('tan: value, slope 1 + tan² by every oracle, both bridges', () => {
    const e = parse('tan(x)');
    expect(e).toBe(tan(sym('x')));
    expect(realCall('tan', 1)).toBe(Math.tan(1));
    const report = compareGradients(e, { x: 1 });
    expect(report.verdict).toBe('agree');
    expect(report.mathjs).toEqual({ applicable: true });
    const row = report.rows[0];
    const exact = 1 + Math.tan(1) ** 2;
    expect(row.complexStep).toBeCloseTo(exact, 14);
    expect(row.autograd).toBeCloseTo(exact, 14);
    expect(row.mathjs).toBeCloseTo(exact, 14);
    const { output, inputs } = toValue(e, { x: 1 });
    expect(output.op).toBe('tan');
    output.backward();
    expect(inputs.x.grad).toBeCloseTo(exact, 14);
    expect(fromValue(tanValue(new Value(1, 'x')))).toBe(e);
  });

  test('softplus: stable value, slope sigmoid by every oracle, both bridges; mathjs says it does not apply', () => {
    const e = parse('softplus(x)');
    expect(e).toBe(softplus(sym('x')));
    expect(realCall('softplus', 0)).toBe(Math.LN2);
    // Stable far out: no overflow at 800, no cancellation at -40.
    expect(realCall('softplus', 800)).toBe(800);
    expect(realCall('softplus', -40)).toBe(Math.log1p(Math.exp(-40)));
    const report = compareGradients(e, { x: -1.5 });
    expect(report.verdict).toBe('agree');
    expect(report.mathjs).toEqual({ applicable: false, reason: 'mathjs has no derivative for softplus' });
    expect(report.rows[0].mathjs).toBeUndefined();
    expect(report.rows[0].complexStep).toBeCloseTo(sigmoid(-1.5), 15);
    expect(complexStep(parse('softplus(x) * tan(y)'), { x: 40, y: 0.5 }).gradient.x).toBeCloseTo(
      Math.tan(0.5),
      14,
    );
    const { output, inputs } = toValue(e, { x: -1.5 });
    expect(output.op).toBe('softplus');
    output.backward();
    expect(inputs.x.grad).toBeCloseTo(sigmoid(-1.5), 15);
    expect(fromValue(softplusValue(new Value(-1.5, 'x')))).toBe(e);
  });

  test('softplus far out where its value underflows: the verdict says so instead of disagreeing', () => {
    // softplus(-800) is e^-800 exactly, 0 in doubles: a chain rule through it means nothing.
    const report = compareGradients(parse('log(softplus(x))'), { x: -800 });
    expect(report.verdict).not.toBe('agree');
    expect(report.verdict).not.toBe('disagree');
  });

  test('a composite of both: symbolic derivative, autograd and complex step agree', () => {
    const e = parse('softplus(tan(x) * y) + tan(softplus(y))');
    const p = { x: 0.4, y: -0.8 };
    const report = compareGradients(e, p);
    expect(report.verdict).toBe('agree');
    const dx = evaluate(diff(e, 'x'), p);
    expect(dx).toBeCloseTo(sigmoid(Math.tan(0.4) * -0.8) * (1 + Math.tan(0.4) ** 2) * -0.8, 14);
    expect(format(e)).toContain('softplus(');
  });
});

describe('inverse, hyperbolic and two-argument functions through compareGradients', () => {
  test.each([
    ['asin(x) + acos(x) * atan(x)', { x: 0.3 }],
    ['sinh(x) * cosh(y) + asinh(x * y) + acosh(x + 2) + atanh(y / 2)', { x: 0.3, y: -0.7 }],
    ['atan2(y, x)', { x: -0.3, y: 0.7 }],
    ['atan2(y, x)', { x: -0.3, y: -0.7 }],
    ['atan2(y, x)', { x: 0, y: 0.7 }],
    ['min(x, y) * max(x, y^2)', { x: 0.3, y: 0.7 }],
    ['max(x^2, 0) + min(x, y)^2', { x: 0, y: 0 }],
  ])('%s at %o: every derivative agrees', (src, point) => {
    const report = compareGradients(src, point);
    expect(report.verdict, report.reason).toBe('agree');
    for (const row of report.rows) expect(row.complexStep).toBeCloseTo(row.symbolic, 12);
  });

  test.each([
    ['asin(x)', 1, 'not-differentiable', '∂/∂x: asin(x) has an infinite slope here', Infinity],
    ['asin(x)', -1, 'not-differentiable', '∂/∂x: asin(x) has an infinite slope here', Infinity],
    ['acos(x)', 1, 'not-differentiable', '∂/∂x: acos(x) has an infinite slope here', -Infinity],
    ['acosh(x)', 1, 'not-differentiable', '∂/∂x: acosh(x) has an infinite slope here', Infinity],
    ['atanh(x)', 1, 'undefined', 'atanh(x) has a pole here (Infinity)', Infinity],
    ['atanh(x)', -1, 'undefined', 'atanh(x) has a pole here (-Infinity)', Infinity],
    ['asin(x)', 1.5, 'undefined', 'asin(x) is not a real number here (NaN)', NaN],
    ['acosh(x)', 0.5, 'undefined', 'acosh(x) is not a real number here (NaN)', NaN],
  ])('%s at x = %d: %s, never agree', (src, x, verdict, reason, slope) => {
    const report = compareGradients(src, { x });
    expect([report.verdict, report.reason]).toEqual([verdict, reason]);
    // symbolic and autograd give what IEEE arithmetic gives.
    expect(report.rows[0]?.symbolic).toBe(slope);
    expect(report.rows[0]?.autograd).toBe(slope);
  });

  test('next to the ends of the domains every oracle keeps its digits: the complex step too', () => {
    // The exact slopes of the doubles given: 1 - x and 1 + x are exact there.
    for (const [src, x, slope] of [
      ['asin(x)', 1 - 1e-9, (x: number) => 1 / Math.sqrt((1 - x) * (1 + x))],
      ['acos(x)', -1 + 1e-12, (x: number) => -1 / Math.sqrt((1 - x) * (1 + x))],
      ['acosh(x)', 1 + 1e-14, (x: number) => 1 / Math.sqrt((x - 1) * (x + 1))],
      ['atanh(x)', 1 - 2 ** -50, (x: number) => 1 / ((1 - x) * (1 + x))],
    ] as const) {
      const report = compareGradients(src, { x });
      expect(report.verdict, `${src} at ${x}: ${report.reason}`).toBe('agree');
      expect(Math.abs((report.rows[0]?.complexStep ?? NaN) / slope(x) - 1), src).toBeLessThan(1e-9);
    }
  });

  test('atan2 at the origin has no derivative: not-differentiable, with the reason', () => {
    const report = compareGradients('atan2(y, x)', { x: 0, y: 0 });
    expect(report.verdict).toBe('not-differentiable');
    expect(report.reason).toBe('∂/∂x: atan2(y, x) has no derivative here (0/0)');
    expect(report.rows.map((r) => [r.symbolic, r.autograd])).toEqual([
      [NaN, NaN],
      [NaN, NaN],
    ]);
  });

  test('min and max at a tie are kinks: the one-sided slopes decide, as for abs and relu', () => {
    const tie = compareGradients('max(x, y)', { x: 1, y: 1 });
    expect(tie.verdict).toBe('not-differentiable');
    expect(tie.reason).toBe('∂/∂x: max(x, y) is at its kink (its arguments tie): left 0, right 1');
    // The convention: the second argument gets the derivative at a tie.
    expect(tie.rows.map((r) => [r.variable, r.symbolic, r.autograd])).toEqual([
      ['x', 0, 0],
      ['y', 1, 1],
    ]);
    expect(compareGradients('min(x, 2*x)', { x: 0 }).reason).toBe(
      '∂/∂x: min(x, 2 * x) is at its kink (its arguments tie): left 2, right 1',
    );
    // A tie where both sides have the same slope is a derivative, judged against the one-sided slopes.
    const smooth = compareGradients('max(x^2, 0) * y', { x: 0, y: 2 });
    expect(smooth.verdict, smooth.reason).toBe('agree');
    expect(smooth.rows[0]?.oneSided).toEqual({ left: 0, right: 0 });
    // Next to a tie (within kinkTolerance) the row is skipped, as next to relu's kink.
    expect(compareGradients('max(x, 0)', { x: 1e-9 }).verdict).toBe('skipped');
  });

  test("a tie beside relu's kink: the complex step takes each convention's branch, and the sides decide", () => {
    // min(relu(y), y) is y on both sides of 0: a derivative of 1, which every oracle gives.
    const report = compareGradients('min(relu(y), y)', { y: 0 });
    expect(report.verdict, report.reason).toBe('agree');
    expect(report.rows.map((r) => [r.symbolic, r.autograd, r.complexStep])).toEqual([[1, 1, 1]]);
  });

  test('atan2 on its cut (y = 0, x < 0) jumps between π and -π: not-differentiable in y, smooth in x', () => {
    const report = compareGradients('atan2(y, x)^2', { x: -0.25, y: 0 });
    expect(report.verdict).toBe('not-differentiable');
    expect(report.reason).toBe(
      '∂/∂y: atan2(y, x) is on its cut (first argument 0, second negative): the value jumps between π and -π',
    );
    expect(report.rows.map((r) => [r.variable, r.verdict])).toEqual([
      ['x', 'agree'],
      ['y', 'not-differentiable'],
    ]);
    // Off the cut, and on the positive x-axis, it is smooth.
    expect(compareGradients('atan2(y, x)^2', { x: 0.25, y: 0 }).verdict).toBe('agree');
  });
});

describe('the derivative of a division: both libraries compute 1/a² correctly rounded, each its own way', () => {
  // autograd's reciprocalSquare is checked against exact arithmetic in its own tests; symbolic's x^-2 is a second
  // implementation, and the two must give the same number everywhere, as must the gradients of 1/x.
  test('symbolic x^-2 (evaluate, compile, compileGradient) and autograd reciprocalSquare agree bit for bit', () => {
    let seed = 20_261_207;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const args = [3, 10, -1.7288170196519247e-8, 0, -0, Infinity, -Infinity, NaN, 1e-200, 1e200, 5e-324];
    for (let k = 0; k < 20_000; k++) {
      args.push((random() < 0.5 ? -1 : 1) * (1 + random()) * 2 ** Math.floor(random() * 1000 - 500));
    }
    const square = parse('x^-2');
    const inverse = parse('1/x');
    const compiled = compile(square, ['x']);
    const gradient = compileGradient(inverse, ['x']);
    const differ: string[] = [];
    for (const a of args) {
      const want = reciprocalSquare(a);
      const x = new Value(a, 'x');
      x.pow(-1).backward();
      const got = [evaluate(square, { x: a }), compiled(a), gradient(a).gradient[0], x.grad];
      const expected = [want, want, 0 + -1 * want, 0 + -1 * want]; // a gradient starts at 0
      if (!got.every((g, i) => Object.is(g, expected[i]))) differ.push(`${a}: ${got.join(', ')}`);
    }
    expect(differ).toEqual([]);
    // Where V8's Math.pow(a, -2) is one ulp off: CPython's (glibc's) value in both.
    expect(evaluate(square, { x: -1.7288170196519247e-8 })).toBe(3345815133754005.5);
  });
});

describe('e^x: both libraries compute it with libm, so exp, sigmoid and softplus agree to the last bit', () => {
  // libm's exp is checked against exact arithmetic in its own tests; here every way each library reaches it
  // (symbolic's evaluate, compiled function and gradient; autograd's eager value and backward) gives one number.
  test('symbolic (evaluate, compile, compileGradient) and autograd (eager) agree bit for bit', () => {
    let seed = 20_261_208;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const args = [0, -0, 1, -1, 708, -708, 709.78, 710, -745.13, -746, 1e-300, Infinity, -Infinity, NaN];
    for (let k = 0; k < 5_000; k++) args.push(-750 + 1465 * random());
    const differ: string[] = [];
    for (const fn of ['exp', 'sigmoid', 'softplus'] as const) {
      const e = parse(`${fn}(x)`);
      const compiled = compile(e, ['x']);
      const gradient = compileGradient(e, ['x']);
      for (const a of args) {
        const x = new Value(a, 'x');
        const y = x[fn]();
        y.backward();
        const got = [evaluate(e, { x: a }), compiled(a), gradient(a).value];
        if (!got.every((g) => Object.is(g, y.data)))
          differ.push(`${fn}(${a}): ${got.join(', ')} vs ${y.data}`);
        // The derivatives: exp's is its value, sigmoid's and softplus's are computed from the same exp.
        const g = gradient(a).gradient[0];
        if (fn === 'exp' && !Object.is(g, x.grad)) differ.push(`exp'(${a}): ${g} vs ${x.grad}`);
      }
    }
    expect(differ).toEqual([]);
  });
});
