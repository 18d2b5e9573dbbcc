import fc from 'fast-check';
import type { Expr } from '@crossgrad/symbolic';
import {
  compareGradients,
  type CompareOptions,
  exprArbitrary,
  type ExprOp,
  formatReport,
  type GradientReport,
  type GradientRow,
  pointArbitrary,
} from '@crossgrad/verify';

/** The variables every property draws from. */
export const VARIABLES = ['x', 'y', 'z'] as const;

/** Random valid expressions over {@link VARIABLES}. */
export function exprs(maxDepth = 4, ops?: readonly ExprOp[]): fc.Arbitrary<Expr> {
  return exprArbitrary({ variables: VARIABLES, maxDepth, ...(ops === undefined ? {} : { ops }) });
}

/** Random points for {@link VARIABLES}. */
export const points = pointArbitrary(VARIABLES);

/** The tolerances the properties use: the 1e-9 relative, and the absolute floor near 0. */
export const RTOL = 1e-9;
export const ATOL = 1e-30;

/** `|a - b| <= RTOL·max(|a|, |b|, scale) + ATOL + extra`. */
export function close(a: number, b: number, scale = 0, extra = 0): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= RTOL * Math.max(Math.abs(a), Math.abs(b), scale) + ATOL + extra;
}

/**
 * `close`, with the scale and rounding of the derivatives the two numbers stand for: the largest magnitude, and 4×
 * the rounding bounds (as compareGradients allows).
 */
export function closeAsDerivatives(a: number, b: number, ...rows: readonly GradientRow[]): boolean {
  const scale = Math.max(...rows.map((r) => r.magnitude));
  const rounding = 4 * rows.reduce((s, r) => s + r.rounding, 0);
  return close(a, b, scale, rounding);
}

/**
 * The report for `e` at `p`, with `fc.pre` discarding the points where disagreement would be no evidence: those
 * whose verdict is neither agree nor disagree (a value that is not a number, a relu/abs argument at its kink, an
 * infinite slope, a slope lost to underflow).
 */
export function judgedReport(
  e: Expr,
  p: Readonly<Record<string, number>>,
  opts: CompareOptions = {},
): GradientReport {
  const report = compareGradients(e, p, { mathjs: false, rtol: RTOL, atol: ATOL, ...opts });
  fc.pre(report.verdict === 'agree' || report.verdict === 'disagree');
  return report;
}

/** The comparisons of a report that failed, printed with the table when there are any. */
export function failures(report: GradientReport, which: (oracle: string) => boolean): string {
  const bad = report.rows.flatMap((r) =>
    r.comparisons
      .filter((c) => which(c.oracle) && !c.ok)
      .map((c) => `∂/∂${r.variable}: ${c.oracle} vs ${c.reference}, rel error ${c.relError.toPrecision(3)}`),
  );
  return bad.length === 0 ? '' : `${bad.join('\n')}\n${formatReport(report)}`;
}

/**
 * Property 1's body, shared with the self-test: symbolic, autograd and the complex step agree to 1e-9 relative.
 * `rules` replaces symbolic's rule table (the self-test passes a broken one).
 */
export function exactOraclesAgree(
  e: Expr,
  p: Readonly<Record<string, number>>,
  rules?: CompareOptions['rules'],
): void {
  const report = judgedReport(e, p, rules === undefined ? {} : { rules });
  const bad = failures(report, (o) => o !== 'finiteDifference');
  if (bad !== '') throw new Error(bad);
}
