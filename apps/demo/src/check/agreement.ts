import type { GradientReport, GradientRow as VerifyRow } from '@crossgrad/verify';

/** compareGradients' default relative tolerance between exact oracles. */
const RTOL = 1e-9;

/**
 * Whether verify's comparison of every oracle (symbolic, autograd, complex step, finite differences) passed for
 * one variable. Where verify does not judge (a non-finite value, a relu/abs argument at its kink: verdict
 * `skipped`), the exact oracles must still match each other, identical non-finite values included.
 *
 * @example
 * ```ts
 * const report = compareGradients('x^2', { x: 3 }, { mathjs: false });
 * rowAgrees(report.rows[0], report.verdict); // true
 * ```
 */
export function rowAgrees(row: VerifyRow, verdict: GradientReport['verdict']): boolean {
  if (verdict !== 'skipped') return row.ok;
  return row.comparisons.every(
    (c) =>
      c.oracle === 'finiteDifference' ||
      c.ok ||
      Object.is(oracleValue(row, c.oracle), oracleValue(row, c.reference)),
  );
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

function oracleValue(row: VerifyRow, oracle: VerifyRow['comparisons'][number]['oracle']): number | undefined {
  return row[oracle];
}
