import { describe, expect, test } from 'vitest';
import { finiteDifference, type FiniteDifferenceOptions, InvalidInputError } from '@crossgrad/verify';

/** Entry `i`, or NaN where there is none (so a missing entry fails the assertion it feeds). */
function at(v: readonly number[], i: number): number {
  return v[i] ?? NaN;
}

/** Checks one derivative against the truth: accurate to `rel`, and the error estimate covers the actual error. */
function expectHonest(
  f: (x: number) => number,
  x: number,
  exact: number,
  rel: number,
  opts: FiniteDifferenceOptions = {},
): void {
  const { gradient, error } = finiteDifference((v) => f(at(v, 0)), [x], opts);
  const actual = Math.abs(at(gradient, 0) - exact);
  expect(actual).toBeLessThanOrEqual(rel * Math.abs(exact));
  expect(actual).toBeLessThanOrEqual(at(error, 0));
  // An estimate far above the error would make the tolerance useless.
  expect(at(error, 0)).toBeLessThanOrEqual(1e3 * rel * Math.abs(exact));
}

describe('finiteDifference', () => {
  test('sin, exp, a rational function and a cubic at a large x, each to about 1e-12 with an honest estimate', () => {
    expectHonest(Math.sin, 1, Math.cos(1), 1e-12);
    expectHonest(Math.exp, 20, Math.exp(20), 1e-12);
    expectHonest((x) => 1 / (1 + x * x), 0.7, (-2 * 0.7) / (1 + 0.49) ** 2, 1e-12);
    expectHonest((x) => x ** 3, 1e6, 3e12, 1e-12);
  });

  test('nested exp, where a fixed step of 1e-5 is off by 6e-6 relative, comes out to 1e-12', () => {
    const f = (x: number): number => Math.exp(Math.exp(Math.exp(x)));
    const x = 1.5;
    const exact = f(x) * Math.exp(Math.exp(x)) * Math.exp(x);
    const h = 1e-5;
    const fixed = (f(x + h) - f(x - h)) / (2 * h);
    expect(Math.abs(fixed - exact) / exact).toBeGreaterThan(1e-6);
    const { gradient } = finiteDifference((v) => f(at(v, 0)), [x]);
    expect(Math.abs(at(gradient, 0) - exact) / exact).toBeLessThan(1e-12);
    // The rounding of the inner exp(exp(x)) = 88 is magnified 88 times by the outer one, so f carries about
    // 500 eps of noise, not 1 eps; told so, the estimate covers the actual error.
    expectHonest(f, x, exact, 1e-12, { noise: (v) => 500 * Number.EPSILON * f(at(v, 0)) });
  });

  test('a steep tanh and a fast sine, where the first step is far too large, still converge', () => {
    expectHonest((x) => Math.tanh(50 * x), 0.01, 50 / Math.cosh(0.5) ** 2, 1e-10);
    expectHonest((x) => Math.sin(100 * x), 0.3, 100 * Math.cos(30), 1e-12);
  });

  test('log next to its domain edge: probes outside give NaN and the tableau restarts from a smaller step', () => {
    expectHonest(Math.log, 0.05, 20, 1e-12);
  });

  test('a gradient of several variables, one entry per variable', () => {
    const { gradient, error } = finiteDifference(
      (v) => at(v, 0) * at(v, 0) * Math.sin(at(v, 1)) + at(v, 2),
      [3, 0.5, -1],
    );
    const exact = [6 * Math.sin(0.5), 9 * Math.cos(0.5), 1];
    gradient.forEach((g, i) => {
      expect(Math.abs(g - at(exact, i))).toBeLessThanOrEqual(Math.max(at(error, i), 1e-15));
      expect(g).toBeCloseTo(at(exact, i), 12);
    });
  });

  test('a linear function is exact and a constant has derivative 0', () => {
    const lin = finiteDifference((v) => 3 * at(v, 0) - 2, [0.25]);
    expect(lin.gradient[0]).toBeCloseTo(3, 14);
    const flat = finiteDifference(() => 7, [2]);
    expect(flat.gradient).toEqual([0]);
  });

  test('an explicit first step per entry is used', () => {
    let widest = 0;
    finiteDifference(
      (v) => {
        widest = Math.max(widest, Math.abs(at(v, 0) - 1));
        return Math.sin(at(v, 0));
      },
      [1],
      { step: [1e-3] },
    );
    expect(widest).toBeCloseTo(1e-3, 15);
  });

  test("tiny points: the steps are relative to |x|, so they stay on the point's side of 0", () => {
    // With a first step of 0.1 (an absolute floor) every probe straddled the point by far: 0 ± 1.8e-15, 3e20 ± 2e20
    // and 0.5 ± 9e-16 against 0.6, -1e50 and 1.
    const hypot = finiteDifference((v) => Math.sqrt(at(v, 0) ** 2 + at(v, 1) ** 2), [3e-100, 4e-100]);
    expect(Math.abs(at(hypot.gradient, 0) - 0.6)).toBeLessThanOrEqual(at(hypot.error, 0));
    expect(Math.abs(at(hypot.gradient, 1) - 0.8)).toBeLessThanOrEqual(at(hypot.error, 1));
    expect(at(hypot.error, 0)).toBeLessThan(1e-12);
    expectHonest((x) => 1 / x, 1e-25, -1e50, 1e-10);
    expectHonest((x) => (x > 0 ? x : 0), 1e-300, 1, 1e-12);
    expectHonest(Math.sin, 1e-300, 1, 1e-12);
  });

  test('where the doubles near x do not resolve the function, the error is infinite, with a reason', () => {
    // At 1e22 the doubles are 2^21 apart: sin is sampled at random phases; it claimed 1.7e-7 ± 1.2e-8.
    const r = finiteDifference((v) => Math.sin(at(v, 0)), [1e22]);
    expect(r.error[0]).toBe(Infinity);
    expect(r.reason[0]).toBe(
      'the function changes by more than 1% of its size within 16 doubles of x, and not linearly: the doubles ' +
        'are too coarse there for any step to resolve its derivative',
    );
    // At 9.4e52 the phase advances by one fixed angle per double: the samples trace a smooth, slow sine.
    expect(finiteDifference((v) => Math.sin(at(v, 0)), [9.428439362749121e52]).error).toEqual([Infinity]);
    // Where the doubles are fine enough, there is no reason; next to a root, a linear function is resolved.
    const ok = finiteDifference((v) => Math.sin(at(v, 0)), [1e12]);
    expect(Math.abs(at(ok.gradient, 0) - Math.cos(1e12))).toBeLessThanOrEqual(at(ok.error, 0));
    expect(at(ok.error, 0)).toBeLessThan(1e-6);
    expect(ok.reason).toEqual([undefined]);
    expectHonest((x) => x - 1e22, 1e22 + 2 ** 21, 1, 1e-12);
  });

  test('a function that is NaN everywhere gives NaN with an infinite error', () => {
    const r = finiteDifference(() => NaN, [1]);
    expect(r.gradient[0]).toBeNaN();
    expect(r.error[0]).toBe(Infinity);
    expect(r.reason[0]).toBe('no finite difference: every probe gave a value that is not a finite number');
  });

  test('bad options and points are typed errors naming the problem', () => {
    expect(() => finiteDifference((v) => at(v, 0), [1], { ratio: 1 })).toThrow(InvalidInputError);
    expect(() => finiteDifference((v) => at(v, 0), [1], { ratio: 1 })).toThrow('ratio must be > 1, got 1');
    expect(() => finiteDifference((v) => at(v, 0), [NaN])).toThrow('x[0] must be a finite number, got NaN');
    expect(() => finiteDifference((v) => at(v, 0), [1], { steps: 1 })).toThrow(
      'steps must be an integer >= 2',
    );
    expect(() => finiteDifference((v) => at(v, 0), [1, 2], { step: [0.1] })).toThrow(
      'step has 1 entries but x has 2',
    );
    expect(() => finiteDifference((v) => at(v, 0), [1], { step: -1 })).toThrow(
      'step for x[0] must be > 0, got -1',
    );
  });
});
