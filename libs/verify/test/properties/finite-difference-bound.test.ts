import { expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { finiteDifference } from '@crossgrad/verify';

/**
 * Functions with their derivatives in closed form, each on the magnitudes where its double evaluation is faithful
 * (no overflow, and no underflow that flattens it: x² below 1e-154 is 0, so sqrt(x² + c²) is constant there).
 *
 * sin stops at 1e15, where the doubles are 1/8 apart. Beyond about 1e16 they are farther apart than its period,
 * and the values a double can sample may be aliased into a slow, smooth sine (at 1e229 each double advances the
 * phase by a tiny fixed angle): no sampling can tell that from a function that is really slow. finiteDifference
 * says so where the samples show it (1e22, 9.4e52: see its unit tests); compareGradients knows the expression's
 * length scale and runs no finite difference there at all.
 */
const FUNCTIONS: readonly {
  name: string;
  f: (x: number) => number;
  d: (x: number) => number;
  min: number;
  max: number;
}[] = [
  { name: 'sin', f: Math.sin, d: Math.cos, min: 0, max: 1e15 },
  { name: 'exp', f: Math.exp, d: Math.exp, min: 0, max: 700 },
  { name: '1/x', f: (x) => 1 / x, d: (x) => -1 / (x * x), min: 1e-150, max: 1e150 },
  { name: 'relu', f: (x) => (x > 0 ? x : 0), d: (x) => (x > 0 ? 1 : 0), min: 0, max: Infinity },
  {
    name: 'sqrt(x² + 1e-100)',
    f: (x) => Math.sqrt(x * x + 1e-100),
    d: (x) => x / Math.sqrt(x * x + 1e-100),
    min: 1e-150,
    max: 1e150,
  },
  { name: 'x³', f: (x) => x ** 3, d: (x) => 3 * x * x, min: 1e-100, max: 1e100 },
  { name: 'log|x|', f: (x) => Math.log(Math.abs(x)), d: (x) => 1 / x, min: 1e-300, max: Infinity },
  { name: 'tanh', f: Math.tanh, d: (x) => 1 / Math.cosh(x) ** 2, min: 0, max: 300 },
];

/** x = ±m·10^k with k from -300 to 300: tiny, huge and ordinary magnitudes alike. */
const points = fc
  .record({
    fn: fc.integer({ min: 0, max: FUNCTIONS.length - 1 }),
    k: fc.integer({ min: -300, max: 300 }),
    m: fc.double({ min: 1, max: 9.99, noNaN: true }),
    negative: fc.boolean(),
  })
  .map(({ fn, k, m, negative }) => ({ fn: FUNCTIONS[fn]!, x: (negative ? -1 : 1) * m * 10 ** k }))
  .filter(({ fn, x }) => Math.abs(x) >= fn.min && Math.abs(x) <= fn.max && Number.isFinite(fn.d(x)));

test.prop([points])(
  'whenever finiteDifference reports a finite error, the estimate is within it of the analytic derivative',
  ({ fn, x }) => {
    const r = finiteDifference((v) => fn.f(v[0] ?? NaN), [x]);
    const [estimate = NaN] = r.gradient;
    const [error = NaN] = r.error;
    const truth = fn.d(x);
    if (!Number.isFinite(error)) {
      // Infinite or NaN: it says it cannot tell, and why.
      expect(r.reason[0], `${fn.name} at ${x}`).toMatch(/\S/);
      return;
    }
    expect(r.reason[0]).toBeUndefined();
    // The analytic derivative is itself rounded (a few ulps).
    expect(
      Math.abs(estimate - truth),
      `${fn.name} at ${x}: ${estimate} ± ${error}, true ${truth}`,
    ).toBeLessThanOrEqual(error + 4 * Number.EPSILON * Math.abs(truth));
  },
);
