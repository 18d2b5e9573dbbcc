/**
 * What a comparison of derivatives at one point concluded, for one partial derivative (a row) or for the whole
 * point (a report):
 * - `'agree'`: every oracle agrees within tolerance, at a point where the function is differentiable;
 * - `'disagree'`: some oracles differ by more than the tolerance, at a point where they are meaningful: a bug in
 *   one of them, or at a kink where the derivative exists a convention that is not it (`relu(x) - relu(-x)` at 0:
 *   the rules give 0, the one-sided slopes 1); the reason names the worst pair;
 * - `'undefined'`: the function's value is not a real number at the point (NaN, outside the domain such as
 *   `log(x)` at -1; or ±Infinity from a pole such as `1/x` at 0, or from a constant the builders folded to Infinity
 *   such as `x/0` or `1e309 * x`), so no derivative means anything;
 * - `'not-differentiable'`: the value exists but the derivative does not: a kink whose one-sided slopes differ
 *   (`abs(x)` at 0: left -1, right 1; but `abs(x)^2` and `x·relu(x)` at 0 have a derivative, 0, and are judged), a
 *   jump (`sign(x)` at 0), an infinite slope (`sqrt(x)` at 0) or the end of the domain (`x^2.5` at 0, a one-sided
 *   slope);
 * - `'skipped'`: no judgement is possible here, and the reason says why (a value over- or underflows the double
 *   range, the point is within `kinkTolerance` of a kink whose two sides' slopes differ, no complex step resolves
 *   the point, …).
 *
 * A report takes the first verdict of its rows in the order undefined, disagree, not-differentiable, skipped,
 * agree: if the value itself is not a number, nothing else means anything; a disagreement in one partial is a
 * finding whatever the others are.
 *
 * @example
 * ```ts
 * const v: Verdict = compareGradients('abs(x)', { x: 0 }).verdict; // 'not-differentiable'
 * compareGradients('log(x)', { x: -1 }).verdict; // 'undefined'
 * ```
 */
export type Verdict = 'agree' | 'disagree' | 'undefined' | 'not-differentiable' | 'skipped';

/**
 * The verdicts from strongest to weakest: a report's verdict is the first one any of its rows has.
 *
 * @example
 * ```ts
 * VERDICT_PRECEDENCE[0]; // 'undefined'
 * ```
 */
export const VERDICT_PRECEDENCE: readonly Verdict[] = [
  'undefined',
  'disagree',
  'not-differentiable',
  'skipped',
  'agree',
];

/**
 * A verdict with its one-line reason (empty for agree).
 * @example
 * ```ts
 * const j: Judgement = { verdict: 'skipped', reason: 'a value overflows the double range' };
 * ```
 */
export interface Judgement {
  readonly verdict: Verdict;
  readonly reason: string;
}

/**
 * The strongest verdict among `judgements` (by {@link VERDICT_PRECEDENCE}), or undefined for none.
 * @example
 * ```ts
 * strongest([{ verdict: 'agree', reason: '' }, { verdict: 'skipped', reason: 'r' }])?.verdict; // 'skipped'
 * ```
 */
export function strongest<T extends Judgement>(judgements: readonly T[]): T | undefined {
  let best: T | undefined;
  let rank = Infinity;
  for (const j of judgements) {
    const r = VERDICT_PRECEDENCE.indexOf(j.verdict);
    if (r < rank) {
      best = j;
      rank = r;
    }
  }
  return best;
}
