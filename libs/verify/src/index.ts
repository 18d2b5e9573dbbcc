/**
 * @crossgrad/verify: proof that @crossgrad/symbolic and @crossgrad/autograd agree, and checks for a user's own
 * gradients.
 *
 * - {@link compareGradients} / {@link formatReport}: every oracle's derivative of one expression at one point.
 * - {@link gradcheck} / {@link checkGradient}: torch-style gradient check of a `Value` function or a hand-written
 *   gradient.
 * - {@link finiteDifference} (Ridders' extrapolation with an error estimate) and {@link complexStep} (exact to
 *   rounding, rule-free).
 * - {@link toValue} / {@link fromValue}: bridges between `Expr` and `Value` graphs.
 * - {@link exprArbitrary} / {@link pointArbitrary}: fast-check arbitraries for property tests.
 *
 * @example
 * ```ts
 * import { compareGradients, formatReport } from '@crossgrad/verify';
 * console.log(formatReport(compareGradients('x * exp(-x^2) + relu(y)', { x: 0.5, y: 2 })));
 * ```
 * @packageDocumentation
 */
export { VerifyError, InvalidInputError, MissingVariableError, UnsupportedFunctionError } from './errors.js';
export {
  finiteDifference,
  type FiniteDifferenceOptions,
  type FiniteDifferenceResult,
} from './finite-difference.js';
export { complexStep, COMPLEX_STEP, type ComplexStepResult } from './complex-step.js';
export { toValue, type ValueGraph } from './to-value.js';
export { fromValue, pointFromValue, type FromValueOptions } from './from-value.js';
export {
  compareGradients,
  type CompareOptions,
  type Comparison,
  type DiffRuleTable,
  type GradientReport,
  type GradientRow,
  type Oracle,
} from './compare.js';
export { type Verdict, VERDICT_PRECEDENCE } from './verdict.js';
export { formatReport } from './report.js';
export { loadMathjs } from './mathjs-oracle.js';
export {
  gradcheck,
  checkGradient,
  type GradcheckOptions,
  type GradcheckEntry,
  type GradcheckResult,
} from './gradcheck.js';
export { exprArbitrary, EXPR_OPS, type ExprArbitraryOptions, type ExprOp } from './arbitraries/expr.js';
export { pointArbitrary, type PointArbitraryOptions } from './arbitraries/point.js';
