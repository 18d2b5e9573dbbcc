import type { GradientReport, GradientRow as VerifyRow } from '@crossgrad/verify';

/** compareGradients' default relative tolerance between exact oracles. */
const RTOL = 1e-9;

/**
 * Whether verify's comparison of every oracle (symbolic, autograd, complex step, finite differences) passed for
 * one variable. Where verify does not judge (verdict `skipped`: a value is not finite, or a relu/abs argument sits
 * at its kink), the numeric oracles prove nothing, but the two rule sets must still give the same number: symbolic
 * and autograd follow the same conventions at the edges (IEEE infinities, relu'(0) = abs'(0) = 0), so they must
 * match exactly, non-finite values included.
 *
 * @example
 * ```ts
 * const report = compareGradients('x^2', { x: 3 }, { mathjs: false });
 * rowAgrees(report.rows[0], report.verdict); // true
 * ```
 */
export function rowAgrees(row: VerifyRow, verdict: GradientReport['verdict']): boolean {
  if (verdict !== 'skipped') return row.ok;
  const pair = row.comparisons.find((c) => c.oracle === 'symbolic' && c.reference === 'autograd');
  return pair?.ok === true || Object.is(row.symbolic, row.autograd);
}

/**
 * Whether a number computed outside verify (the seed graph's own grad, a chained symbolic derivative) matches
 * verify's complex-step value, by the test compareGradients applies between exact oracles: within 1e-9 relative to
 * the larger of the two and the derivative's magnitude.
 *
 * @example
 * ```ts
 * matchesExact(neuron.leaves.x1.grad, report.rows[0]); // true when x1.grad is -1.5 to rounding
 * ```
 */
export function matchesExact(value: number, row: VerifyRow): boolean {
  const reference = row.complexStep;
  if (Object.is(value, reference) || value === reference) return true;
  const scale = Math.max(Math.abs(value), Math.abs(reference), row.magnitude);
  return Math.abs(value - reference) <= RTOL * scale;
}
