import type { GradientRow as VerifyRow } from '@crossgrad/verify';

/** compareGradients' default relative tolerance between exact oracles. */
const RTOL = 1e-9;

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
