import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Call, diffRules, type DiffRules, type Expr, format, mul, size, sin } from '@crossgrad/symbolic';
import { counterexampleOf } from '../support/checks.js';
import { exactOraclesAgree, exprs, points } from '../support/oracles.js';

/** The default table with one rule wrong: d cos(u) = +sin(u)·u'. Passed through `diff`'s rules option only. */
const brokenCos: DiffRules = {
  ...diffRules,
  cos: { ...diffRules.cos, derive: (e: Call, d: readonly Expr[]) => mul(sin(e.arg), d[0]) },
};

/** The default table with the product rule dropping the derivative of every factor but the first. */
const brokenProduct: DiffRules = {
  ...diffRules,
  product: {
    ...diffRules.product,
    derive: (e, d) => mul(d[0], ...e.factors.slice(1)),
  },
};

describe('7. the suite can fail: a broken rule is caught and shrunk to a small expression', () => {
  // Fixed seeds keep this deterministic. Over seeds 1 to 100 both fail within a few dozen cases, and shrink to the
  // smallest witness every time: cos(x) (2 nodes) and a product of two variables (3 nodes); see the README.
  for (const [name, rules] of [
    ['cos rule with the wrong sign', brokenCos],
    ['product rule missing terms', brokenProduct],
  ] as const) {
    test.each([1, 2, 3, 4, 5])(`${name} (seed %i)`, (seed) => {
      const result = fc.check(
        fc.property(exprs(), points, (e, p) => exactOraclesAgree(e, p, rules)),
        { numRuns: 1000, seed },
      );
      expect(result.failed, 'no counterexample found').toBe(true);
      const [e, p] = counterexampleOf(result);
      expect(size(e).dag, `shrunk to ${format(e)} (path ${result.counterexamplePath})`).toBeLessThanOrEqual(
        5,
      );
      // With the right rules the same case passes: the failure is the broken rule, nothing else.
      expect(() => exactOraclesAgree(e, p)).not.toThrow();
    });
  }
});
