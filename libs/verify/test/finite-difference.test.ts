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

  test('a function that is NaN everywhere gives NaN with an infinite error', () => {
    const r = finiteDifference(() => NaN, [1]);
    expect(r.gradient[0]).toBeNaN();
    expect(r.error[0]).toBe(Infinity);
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
