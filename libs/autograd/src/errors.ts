import type { Value } from './value.js';

/**
 * Base class of every error @crossgrad/autograd throws, so callers can catch the library's errors in one place.
 *
 * @example
 * ```ts
 * try {
 *   new MLP(2, []);
 * } catch (e) {
 *   if (e instanceof AutogradError) console.error(e.message);
 * }
 * ```
 */
export class AutogradError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A function or constructor was called with an argument it cannot use (wrong type, size or range). The message
 * names the argument and what was received.
 *
 * @example
 * ```ts
 * new Value('2' as unknown as number); // InvalidArgumentError: Value data must be a number, got string "2"
 * ```
 */
export class InvalidArgumentError extends AutogradError {
  /** The name of the offending argument, e.g. `'data'` or `'nouts'`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
  }
}

/**
 * Thrown by `backward({ checkFinite: true })` at the first node whose value (in forward order) or gradient (in
 * backward order) is NaN or infinite, like PyTorch's anomaly mode. The message names the node by op and label.
 *
 * @example
 * ```ts
 * const x = new Value(-1, 'x');
 * try {
 *   x.log().backward({ checkFinite: true });
 * } catch (e) {
 *   if (e instanceof NonFiniteError) console.log(e.message); // value of 'log' node (unlabelled) is NaN
 * }
 * ```
 */
export class NonFiniteError extends AutogradError {
  /** The node whose data or grad is not finite. */
  readonly node: Value;
  /** Which of the node's numbers is not finite. */
  readonly quantity: 'data' | 'grad';
  /** The offending number (NaN, Infinity or -Infinity). */
  readonly value: number;

  constructor(node: Value, quantity: 'data' | 'grad', value: number) {
    super(`${quantity === 'data' ? 'value' : 'gradient'} of ${describeNode(node)} is ${value}`);
    this.node = node;
    this.quantity = quantity;
    this.value = value;
  }
}

/**
 * How error messages name a node.
 *
 * @example
 * ```ts
 * describeNode(new Value(1, 'x')); // 'leaf "x"'
 * ```
 */
export function describeNode(node: Value): string {
  const label = node.label === '' ? '(unlabelled)' : JSON.stringify(node.label);
  return node.op === '' ? `leaf ${label}` : `'${node.op}' node ${label}`;
}

/**
 * A short, safe rendering of an unexpected argument for error messages.
 *
 * @example
 * ```ts
 * describeArgument('2'); // 'string "2"'
 * ```
 */
export function describeArgument(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  switch (typeof x) {
    case 'string':
      return `string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
    case 'number':
      return `${x}`;
    case 'bigint':
      return `bigint ${x}n`;
    case 'undefined':
      return 'undefined';
    case 'object':
      return `an object (${(x as object).constructor?.name ?? 'no prototype'})`;
    default:
      return typeof x;
  }
}
