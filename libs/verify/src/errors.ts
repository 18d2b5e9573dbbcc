/**
 * Base class of every error @crossgrad/verify throws, so callers can catch this library's errors by type.
 *
 * @example
 * ```ts
 * try {
 *   finiteDifference((x) => x[0]!, []);
 * } catch (e) {
 *   if (e instanceof VerifyError) console.error(e.message);
 * }
 * ```
 */
export class VerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A point lacks a value for a variable the expression uses, or gives a value that is not a number.
 *
 * @example
 * ```ts
 * complexStep(parse('x * y'), { x: 1 }); // throws MissingVariableError: no value for variable "y" ...
 * ```
 */
export class MissingVariableError extends VerifyError {
  constructor(
    readonly variable: string,
    detail = `no value for variable "${variable}" in the point`,
  ) {
    super(detail);
  }
}

/**
 * An input that the function cannot work with: an empty or non-finite point, an option out of range, a graph
 * that is not a `Value` graph, a user function that returns something else than documented.
 *
 * @example
 * ```ts
 * finiteDifference((x) => x[0]!, [1], { ratio: 1 }); // throws InvalidInputError: ratio must be > 1 ...
 * ```
 */
export class InvalidInputError extends VerifyError {}

/**
 * An expression or graph uses a function or operation this package has no arithmetic for.
 *
 * @example
 * ```ts
 * fromValue(nodeWithOp('gelu')); // throws UnsupportedFunctionError: unsupported function or op "gelu" ...
 * ```
 */
export class UnsupportedFunctionError extends VerifyError {
  constructor(readonly fn: string) {
    super(
      `unsupported function or op "${fn}"; supported: exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs (and step, sign)`,
    );
  }
}
