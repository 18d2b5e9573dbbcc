/**
 * The ways of computing a derivative that {@link compareGradients} puts side by side. `oneSided` is the derivative
 * from the one-sided slopes where a partial sits at a relu/abs kink and they agree (see `GradientRow.oneSided`).
 *
 * @example
 * ```ts
 * const r = compareGradients('x^2', { x: 3 });
 * r.rows[0]?.comparisons.map((c) => `${c.oracle} ~ ${c.reference}`); // ['symbolic ~ autograd', …]
 * ```
 */
export type Oracle = 'symbolic' | 'autograd' | 'complexStep' | 'finiteDifference' | 'mathjs' | 'oneSided';

/**
 * One oracle's derivative against another's.
 *
 * @example
 * ```ts
 * const c = compareGradients('x^2', { x: 3 }).rows[0]?.comparisons[0];
 * c?.ok; // true: symbolic 6 vs autograd 6
 * ```
 */
export interface Comparison {
  readonly oracle: Oracle;
  readonly reference: Oracle;
  /** `|a - b|`. */
  readonly absError: number;
  /** `max(|a|, |b|, magnitude)`: what the relative error is relative to. */
  readonly scale: number;
  /** `|a - b| / scale`; 0 when equal. */
  readonly relError: number;
  /**
   * The largest `absError` that passes: `rtol·max(|a|, |b|, magnitude) + 4·rounding + atol`, plus `safety ×` the
   * error estimate for finite differences. Never NaN: a part that cannot be bounded (a NaN magnitude at a point
   * where the value is not a number) counts as Infinity, and the row's verdict then does not rest on it.
   */
  readonly tolerance: number;
  /** `absError <= tolerance` (false for NaN). */
  readonly ok: boolean;
}

/**
 * The exact oracles' pairs, in the order rows list them.
 * @example
 * ```ts
 * EXACT_PAIRS[0]; // ['symbolic', 'autograd']
 * ```
 */
export const EXACT_PAIRS: readonly (readonly [Oracle, Oracle])[] = [
  ['symbolic', 'autograd'],
  ['symbolic', 'complexStep'],
  ['autograd', 'complexStep'],
  ['mathjs', 'complexStep'],
];

/**
 * The references finite differences are compared with, in order.
 * @example
 * ```ts
 * FD_REFERENCES[0]; // 'complexStep'
 * ```
 */
export const FD_REFERENCES: readonly Oracle[] = ['complexStep', 'symbolic', 'autograd', 'mathjs'];

/**
 * Two oracles can each be off by the rounding bound, and the bound is first order: some room on top.
 * @example
 * ```ts
 * const floor = atol + ROUNDING_SAFETY * row.rounding;
 * ```
 */
export const ROUNDING_SAFETY = 4;

/**
 * A tolerance term that could not be bounded counts as unbounded, never as NaN.
 * @example
 * ```ts
 * bound(NaN); // Infinity
 * bound(1e-9); // 1e-9
 * ```
 */
export function bound(t: number): number {
  return Number.isNaN(t) ? Infinity : t;
}

/**
 * One comparison: `|a - b|` against `rtol·max(|a|, |b|, magnitude) + floor`.
 * @example
 * ```ts
 * compare('symbolic', 'autograd', 6, 6 + 1e-12, 6, 1e-9, 1e-30).ok; // true
 * ```
 */
export function compare(
  oracle: Oracle,
  reference: Oracle,
  a: number,
  b: number,
  magnitude: number,
  rtol: number,
  floor: number,
): Comparison {
  const scale = Math.max(Math.abs(a), Math.abs(b), bound(magnitude));
  const tolerance = bound(rtol * scale + bound(floor));
  if (a === b) return { oracle, reference, absError: 0, scale, relError: 0, tolerance, ok: true };
  const absError = Math.abs(a - b);
  const relError = absError / scale;
  return { oracle, reference, absError, scale, relError, tolerance, ok: absError <= tolerance };
}

/**
 * How far outside its tolerance a comparison is (Infinity for NaN).
 * @example
 * ```ts
 * badness(compare('symbolic', 'autograd', 1, 2, 1, 1e-9, 0)); // about 5e8: far outside
 * ```
 */
export function badness(c: Comparison): number {
  return Number.isNaN(c.absError) ? Infinity : c.absError / Math.max(c.tolerance, Number.MIN_VALUE);
}
