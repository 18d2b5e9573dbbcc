import { VERDICT_PRECEDENCE, type Verdict } from '@crossgrad/verify';

/**
 * A verdict with the one line that says why.
 *
 * @example
 * ```ts
 * const judgement: Judgement = { verdict: 'undefined', reason: 'log(x) is not a real number here (NaN)' };
 * ```
 */
export interface Judgement {
  readonly verdict: Verdict;
  readonly reason: string;
}

/**
 * The judgement that decides a whole report: the first by verify's precedence (undefined, disagree,
 * not-differentiable, skipped, agree), the earliest one where two have the same verdict. Nothing to judge is `agree`
 * with no reason.
 *
 * @example
 * ```ts
 * worst([{ verdict: 'agree', reason: '' }, { verdict: 'not-differentiable', reason: 'abs at its kink' }]);
 * // { verdict: 'not-differentiable', reason: 'abs at its kink' }
 * ```
 */
export function worst(judgements: readonly Judgement[]): Judgement {
  let best: Judgement = { verdict: 'agree', reason: '' };
  for (const j of judgements) {
    if (VERDICT_PRECEDENCE.indexOf(j.verdict) < VERDICT_PRECEDENCE.indexOf(best.verdict)) best = j;
  }
  return best;
}

/**
 * The CLI's exit status for a report's verdict: 0 every derivative agrees at a point where the function is
 * differentiable, 1 a disagreement, 3 no derivative to check here (undefined, not differentiable, or skipped).
 * Status 2, bad input, never comes from a verdict.
 *
 * @example
 * ```ts
 * exitStatus('agree'); // 0
 * exitStatus('not-differentiable'); // 3
 * ```
 */
export function exitStatus(verdict: Verdict): 0 | 1 | 3 {
  switch (verdict) {
    case 'agree':
      return 0;
    case 'disagree':
      return 1;
    case 'undefined':
    case 'not-differentiable':
    case 'skipped':
      return 3;
  }
}

/**
 * What agreed, for a report whose verdict is `agree`: the three columns the table shows, or, where finite
 * differences were not run for some variable, the oracles that did agree.
 *
 * @example
 * ```ts
 * agreementSummary([{ variable: 'x', finiteDifference: 12 }, { variable: 'y', finiteDifference: 9 }]);
 * // 'symbolic, autograd and finite differences agree on all 2 derivatives'
 * ```
 */
export function agreementSummary(
  rows: readonly { readonly variable: string; readonly finiteDifference: number | undefined }[],
): string {
  const count = rows.length === 1 ? 'the derivative' : `all ${rows.length} derivatives`;
  const unrun = rows.filter((r) => r.finiteDifference === undefined).map((r) => r.variable);
  if (unrun.length === 0) return `symbolic, autograd and finite differences agree on ${count}`;
  return `symbolic, autograd and the complex step agree on ${count}; finite differences not run for ${unrun.join(', ')}`;
}
