/**
 * Why a solver stopped. The names follow MINPACK's `info` codes and SciPy's `ftol`/`xtol`/`gtol`:
 *
 * - `'ftol'`: the relative reduction of the objective (actual and predicted) fell below `ftol` (for least
 *   squares also when the step test held at the same time).
 * - `'xtol'`: the relative size of the step (the trust region's radius against the scaled parameters for
 *   least squares, the step against the point for L-BFGS) fell below `xtol`.
 * - `'gtol'`: the gradient test held: for least squares the largest cosine between the residual vector and a
 *   column of the Jacobian is at most `gtol` (exactly zero residuals included); for minimisation the gradient's
 *   infinity norm is at most `gtol · max(1, |f|)`.
 * - `'machine-precision'`: no further reduction or step is possible in double precision (MINPACK's codes 6–8).
 * - `'max-evaluations'`, `'max-iterations'`: a budget ran out.
 * - `'non-finite-residual'`: every trial point near the last iterate gave a non-finite residual or objective,
 *   until the trust region or line search had nothing left to try.
 * - `'non-finite-jacobian'`: the Jacobian or gradient at an accepted point was not finite.
 * - `'singular-jacobian'`: the iteration stopped, but the Jacobian at the solution is rank-deficient, so some
 *   parameter is not determined by the data (its standard error is infinite).
 * - `'line-search-failed'`: the line search found no point satisfying the Wolfe conditions (rounding at the
 *   level of the function's noise, or a direction that is not one of descent).
 *
 * @example
 * ```ts
 * const why: Termination = fit('b1 * x', { x: [1, 2], y: [2, 4] }, { b1: 1 }).termination; // 'gtol'
 * ```
 */
export type Termination =
  | 'ftol'
  | 'xtol'
  | 'gtol'
  | 'machine-precision'
  | 'max-evaluations'
  | 'max-iterations'
  | 'non-finite-residual'
  | 'non-finite-jacobian'
  | 'singular-jacobian'
  | 'line-search-failed';

/** Whether a termination means a solution was found (to the tolerances asked for). */
export function isConvergence(t: Termination): boolean {
  return t === 'ftol' || t === 'xtol' || t === 'gtol' || t === 'machine-precision';
}
