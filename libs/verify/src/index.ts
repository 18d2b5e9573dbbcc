export { VerifyError, InvalidInputError, MissingVariableError, UnsupportedFunctionError } from './errors.js';
export {
  finiteDifference,
  type FiniteDifferenceOptions,
  type FiniteDifferenceResult,
} from './finite-difference.js';
