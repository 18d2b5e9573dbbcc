/** What the tests and the benchmark share: seeded random numbers, and a function's error over many arguments. */
import { INLINE_SCOPE } from '@crossgrad/libm';
import { ulpError, type Exact } from './exact.js';

/**
 * A seeded generator of numbers in [0, 1) (a linear congruential one: the tests print their seed, so a failure
 * can be rerun).
 */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The largest error of `f` in ulps over `xs` against `exact`, and the share of them it rounds correctly. */
export function accuracy(
  xs: ArrayLike<number>,
  f: (x: number) => number,
  exact: (x: number) => Exact,
): { worst: number; rounded: number } {
  let worst = 0;
  let rounded = 0;
  for (let i = 0; i < xs.length; i++) {
    const err = Math.abs(ulpError(exact(xs[i]), f(xs[i])));
    worst = Math.max(worst, err);
    if (err <= 0.5) rounded++;
  }
  return { worst, rounded: rounded / xs.length };
}

/** A function running the statements a generator writes (`expSource`, `log1pSource`), as generated code would. */
export function inlined(source: (dst: string, arg: string) => string): (x: number) => number {
  return new Function(...INLINE_SCOPE.names, `return (x) => { let y; ${source('y', 'x')} return y; };`)(
    ...INLINE_SCOPE.values,
  ) as (x: number) => number;
}
