/**
 * Why a solver stopped. The names follow MINPACK's `info` codes and SciPy's `ftol`/`xtol`/`gtol`:
 *
 * - `'ftol'`: the relative reduction of the objective fell below `ftol` (for least squares: both the actual and
 *   the predicted reduction, also when the step test held at the same time; for L-BFGS: the reduction of the last
 *   iteration relative to |f|).
 * - `'xtol'`: least squares only: the trust region's radius fell below `xtol` times the norm of the scaled
 *   parameters.
 * - `'gtol'`: the gradient test held: for least squares the largest cosine between the residual vector and a
 *   column of the Jacobian is at most `gtol` (exactly zero residuals included); for L-BFGS the gradient's
 *   infinity norm is at most `gtol`.
 * - `'machine-precision'`: least squares: no further reduction or step is possible in double precision
 *   (MINPACK's codes 6–8).
 * - `'max-evaluations'`, `'max-iterations'`: a budget ran out.
 * - `'non-finite-value'`: every trial point near the last iterate gave a non-finite residual or objective, until
 *   the trust region or the line search had nothing left to try.
 * - `'non-finite-derivative'`: the Jacobian or gradient at an accepted point was not finite.
 * - `'singular-jacobian'`: least squares: the iteration stopped, but the Jacobian at the solution is
 *   rank-deficient, so some parameter is not determined by the data (its standard error is infinite).
 * - `'line-search-failed'`: L-BFGS: the line search found no point satisfying the strong Wolfe conditions (the
 *   function is unbounded below along the direction, or rounding hides any further decrease).
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
  | 'non-finite-value'
  | 'non-finite-derivative'
  | 'singular-jacobian'
  | 'line-search-failed';

/** Whether a termination means a solution was found (to the tolerances asked for). */
export function isConvergence(t: Termination): boolean {
  return t === 'ftol' || t === 'xtol' || t === 'gtol' || t === 'machine-precision';
}
