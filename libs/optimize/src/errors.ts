/**
 * Base class of every error @crossgrad/optimize throws on bad input, so callers can catch them all at once.
 *
 * @example
 * ```ts
 * try {
 *   fit('b1 * x', { x: [1, 2], y: [1, 2] }, {});
 * } catch (e) {
 *   if (e instanceof OptimizeError) console.error(e.message);
 * }
 * ```
 */
export class OptimizeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An argument the solver cannot work with: a formula that does not parse (symbolic's error is the `cause`), a
 * start value missing or not finite, data columns of different lengths or with non-finite numbers, fewer
 * observations than parameters, an option out of range. `argument` names it (`'model'`, `'start'`, `'data'`,
 * `'options.ftol'`…).
 *
 * @example
 * ```ts
 * fit('b1 * x', { x: [1, 2], y: [1, 2] }, {}); // throws InvalidInputError: fit: start gives no parameters ...
 * ```
 */
export class InvalidInputError extends OptimizeError {
  constructor(
    readonly argument: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A model or objective uses a variable that is neither a parameter (a key of the start) nor a data column.
 *
 * @example
 * ```ts
 * fit('b1 * z', { x: [1, 2], y: [1, 2] }, { b1: 1 }); // throws UnknownVariableError: ... 'z' ...
 * ```
 */
export class UnknownVariableError extends OptimizeError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The residuals or the objective are not finite at the start point, so there is nothing to improve on.
 *
 * @example
 * ```ts
 * fit('log(b1 * x)', { x: [1, 2], y: [1, 2] }, { b1: -1 }); // throws NonFiniteError: ... not finite at the start ...
 * ```
 */
export class NonFiniteError extends OptimizeError {}
