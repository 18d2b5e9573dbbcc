import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { evaluate, type Expr, FN2_NAMES, FN_NAMES, type Fn2Name, format, size } from '@crossgrad/symbolic';
import { EXPR_OPS, exprArbitrary, InvalidInputError, pointArbitrary } from '@crossgrad/verify';
import { FUNCTIONS } from '../src/functions.js';
import { tapeOf } from '../src/tape.js';
import { counterexampleOf } from './support/checks.js';

/** Length of the longest operand chain from the root to a leaf. */
function depth(e: Expr): number {
  const tape = tapeOf(e);
  const d: number[] = [];
  tape.operands.forEach((ops, i) => {
    d[i] = ops.reduce((m, k) => Math.max(m, d[k] + 1), 0);
  });
  return d[d.length - 1];
}

describe('exprArbitrary', () => {
  test('valid by construction: NaN only ever follows an overflow, never a domain error', () => {
    const samples = fc.sample(
      fc.tuple(exprArbitrary({ variables: ['x', 'y'] }), pointArbitrary(['x', 'y'])),
      {
        numRuns: 400,
        seed: 7,
      },
    );
    let nan = 0;
    for (const [e, p] of samples) {
      const values = tapeOf(e).nodes.map((node) => evaluate(node, p));
      if (values.some(Number.isNaN)) {
        nan++;
        expect(
          values.some((v) => v === Infinity || v === -Infinity),
          format(e),
        ).toBe(true);
      }
    }
    // Overflow is rare at points in [-3, 3].
    expect(nan).toBeLessThan(20);
  });

  test('every op appears, and expressions of several sizes', () => {
    const samples = fc.sample(exprArbitrary({ variables: ['x'] }), { numRuns: 400, seed: 3 });
    const text = samples.map((e) => format(e)).join('\n');
    // Every function of the table that autograd has too (step and sign only appear in derivatives), so a new entry
    // must reach the arbitraries.
    for (const fn of FN_NAMES.filter((name) => FUNCTIONS[name].op !== undefined))
      expect(text).toContain(`${fn}(`);
    expect(text).toMatch(/\^\(?-?\d+\.5\)?/); // a fractional power
    const sizes = new Set(samples.map((e) => size(e).dag));
    expect(sizes.size).toBeGreaterThan(10);
  });

  test('maxDepth bounds the depth (each level adds at most 3 Expr levels: log(1 + u²)); 0 gives leaves', () => {
    for (const e of fc.sample(exprArbitrary({ variables: ['x'], maxDepth: 2 }), { numRuns: 200, seed: 1 })) {
      expect(depth(e)).toBeLessThanOrEqual(2 * 4);
    }
    for (const e of fc.sample(exprArbitrary({ variables: ['x'], maxDepth: 0 }), { numRuns: 50, seed: 1 })) {
      expect(['sym', 'num']).toContain(e.kind);
    }
  });

  test('ops restricts the operations', () => {
    for (const e of fc.sample(exprArbitrary({ variables: ['x'], ops: ['sin', 'mul'] }), {
      numRuns: 200,
      seed: 2,
    })) {
      expect(format(e)).not.toMatch(/exp|log|sqrt|cos|tanh|sigmoid|relu|abs|\+/);
    }
  });

  test('a failing property shrinks to the smallest expression showing it', () => {
    for (const seed of [11, 12, 13, 14, 15]) {
      const result = fc.check(
        fc.property(exprArbitrary({ variables: ['x', 'y'] }), (e) => !/\bcos\(/.test(format(e))),
        { seed },
      );
      expect(result.failed).toBe(true);
      const [e] = counterexampleOf(result);
      // cos(x) or cos(0): the wrappers around it are lifted away.
      expect(format(e)).toMatch(/\bcos\(/);
      expect(size(e).dag, format(e)).toBeLessThanOrEqual(3);
    }
  });

  test('bad options are typed errors', () => {
    expect(() => exprArbitrary({ variables: [] })).toThrow(InvalidInputError);
    expect(() => exprArbitrary({ variables: ['x'], maxDepth: -1 })).toThrow(
      'maxDepth must be an integer >= 0, got -1',
    );
    expect(() => exprArbitrary({ variables: ['x'], ops: ['sec' as 'sin'] })).toThrow(
      `unknown op "sec"; ops: ${[...EXPR_OPS.filter((op) => !FN2_NAMES.includes(op as Fn2Name)), 'step', 'sign', 'logz', ...FN2_NAMES].join(', ')}`,
    );
  });

  test('the default ops are the arithmetic and every function of the table that autograd has', () => {
    expect(EXPR_OPS).toEqual([
      'add',
      'sub',
      'mul',
      'div',
      'pow',
      ...FN_NAMES.filter((fn) => FUNCTIONS[fn].op !== undefined),
      ...FN2_NAMES,
    ]);
    expect(EXPR_OPS).toContain('tan');
    expect(EXPR_OPS).toContain('acosh');
    expect(EXPR_OPS).toContain('atan2');
    // Two-argument functions get two operands; asin of sin(u) / 2 and acosh of 2 + u², inside their domains.
    const two = fc
      .sample(exprArbitrary({ variables: ['x', 'y'], ops: ['max', 'atan2', 'asin', 'acosh'] }), {
        numRuns: 200,
        seed: 5,
      })
      .map((e) => format(e))
      .join('\n');
    expect(two).toMatch(/max\([^,()]+, [^,()]+\)/);
    expect(two).toMatch(/atan2\(/);
    expect(two).toMatch(/asin\(sin\(.*\) \/ 2\)/);
    expect(two).not.toMatch(/asin\((?!sin\()/);
    expect(two).toMatch(/acosh\([^)]*\^2 \+ 2\)/);
    expect(EXPR_OPS).toContain('softplus');
    expect(EXPR_OPS).not.toContain('step');
    // step and sign only when asked for; a function of the table with a safe argument gets it.
    const text = fc
      .sample(exprArbitrary({ variables: ['x'], ops: ['step', 'log', 'tan'] }), { numRuns: 100, seed: 4 })
      .map((e) => format(e))
      .join('\n');
    expect(text).toContain('step(');
    expect(text).toMatch(/log\(x\^2 \+ 1\)/);
    expect(text).toMatch(/tan\(sin\(/);
    expect(text).not.toMatch(/tan\((?!sin\()/);
  });
});

describe('pointArbitrary', () => {
  test('one coordinate per variable, inside [-max, max]', () => {
    for (const p of fc.sample(pointArbitrary(['a', 'b'], { max: 2 }), { numRuns: 200, seed: 5 })) {
      expect(Object.keys(p).sort()).toEqual(['a', 'b']);
      for (const v of Object.values(p)) {
        expect(Math.abs(v)).toBeLessThanOrEqual(2);
        expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  test('coordinates shrink to 0, or to the edge of the failing region', () => {
    for (const seed of [1, 2, 3]) {
      const anywhere = fc.check(
        fc.property(pointArbitrary(['x', 'y']), () => false),
        { seed },
      );
      expect(counterexampleOf(anywhere)[0]).toEqual({ x: 0, y: 0 });
      const above = fc.check(
        fc.property(pointArbitrary(['x']), (p) => p.x < 1.1),
        { seed },
      );
      const x = counterexampleOf(above)[0].x;
      expect(x).toBeGreaterThanOrEqual(1.1);
      // The first round number past 1.1, or the edge itself when the coordinate came from the dense branches.
      expect(x === 1.25 || x < 1.1 + 1e-8, String(x)).toBe(true);
    }
  });

  test('bad options are typed errors', () => {
    expect(() => pointArbitrary(['x'], { max: 0 })).toThrow('max must be a positive number, got 0');
    expect(() => pointArbitrary(['x', 'x'])).toThrow('variable "x" is listed twice');
  });
});
