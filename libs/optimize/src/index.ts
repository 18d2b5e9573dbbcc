/**
 * @crossgrad/optimize: curve fitting and minimisation on exact derivatives. Levenberg-Marquardt after MINPACK
 * for least squares ({@link fit}, {@link leastSquares}), L-BFGS with a strong Wolfe line search
 * ({@link minimize}), certified on NIST's reference problems.
 *
 * @example
 * ```ts
 * import { fit } from '@crossgrad/optimize';
 * fit('a * x + b', { x: [0, 1, 2], y: [1, 3, 5] }, { a: 0, b: 0 }).params; // { a: 2, b: 1.0000000000000004 }
 * ```
 * @packageDocumentation
 */
export { OptimizeError, InvalidInputError, UnknownVariableError, NonFiniteError } from './errors.js';
export type { Termination } from './termination.js';
export {
  leastSquares,
  type LeastSquaresOptions,
  type LeastSquaresResult,
  type ResidualCallbacks,
  type ValueResiduals,
} from './least-squares.js';
export { fit, type FitOptions, type FitResult } from './fit.js';
export { jacobian, rowJacobian, type JacobianKernel, type JacobianOptions } from './jacobian.js';
export type { RowKernel } from '@crossgrad/symbolic';
export { minimize, type MinimizeOptions, type MinimizeResult } from './minimize.js';
export { report } from './report.js';
