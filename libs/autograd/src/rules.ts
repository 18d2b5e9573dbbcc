/**
 * Every op of the engine in one table: the forward value and the local derivatives, side by side. The eager
 * `Value` methods and the compiled tape (`compileGraph`) both read these entries, so an op's arithmetic is written
 * once and the two give bit-identical results.
 */

/**
 * The names of the one-argument functions. Adding a name here without an entry in {@link FUNCTIONS} is a compile
 * error.
 *
 * @example
 * ```ts
 * const f: FnName = 'softplus';
 * ```
 */
export type FnName =
  'exp' | 'log' | 'sqrt' | 'sin' | 'cos' | 'tan' | 'tanh' | 'sigmoid' | 'softplus' | 'relu' | 'abs';

/**
 * A one-argument function: its op name on graph nodes, its value, and its derivative given the argument `x` and
 * the value `y` already computed (so `tanh` reuses `t` for `1 - t²`).
 *
 * @example
 * ```ts
 * const twice: FnRule = { op: 'twice', value: (x) => 2 * x, derivative: () => 2 };
 * ```
 */
export interface FnRule {
  /** The `op` string of the nodes it makes. */
  readonly op: string;
  /** The forward value at `x`. */
  readonly value: (x: number) => number;
  /** d/dx at `x`, given `y = value(x)`. */
  readonly derivative: (x: number, y: number) => number;
}

/**
 * The one-argument functions, keyed by name. Edge conventions live here: `relu'(0) = 0`, `abs'(0) = 0`, NaN
 * outside a domain, IEEE arithmetic at poles.
 *
 * @example
 * ```ts
 * FUNCTIONS.tanh.derivative(0, FUNCTIONS.tanh.value(0)); // 1
 * ```
 */
export const FUNCTIONS: { readonly [K in FnName]: FnRule } = {
  exp: { op: 'exp', value: Math.exp, derivative: (_x, y) => y },
  log: { op: 'log', value: Math.log, derivative: (x) => 1 / x },
  sqrt: { op: 'sqrt', value: Math.sqrt, derivative: (_x, y) => 0.5 / y },
  sin: { op: 'sin', value: Math.sin, derivative: (x) => Math.cos(x) },
  cos: { op: 'cos', value: Math.cos, derivative: (x) => -Math.sin(x) },
  tan: { op: 'tan', value: Math.tan, derivative: (_x, t) => 1 + t * t },
  tanh: { op: 'tanh', value: Math.tanh, derivative: (_x, t) => 1 - t * t },
  sigmoid: {
    op: 'sigmoid',
    value: (x) => 1 / (1 + Math.exp(-x)),
    derivative: (_x, s) => s * (1 - s),
  },
  softplus: {
    op: 'softplus',
    // log(1 + e^x) without overflow for large x or loss of digits for very negative x.
    value: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    derivative: (x) => 1 / (1 + Math.exp(-x)),
  },
  relu: {
    op: 'ReLU',
    value: (x) => (x > 0 || x !== x ? x : 0),
    derivative: (x) => (x > 0 ? 1 : 0),
  },
  abs: { op: 'abs', value: Math.abs, derivative: (x) => Math.sign(x) },
};

/**
 * A two-operand op: its value and its derivatives with respect to each operand, given both operands and the value.
 *
 * @example
 * ```ts
 * BINARY['*'].d0(2, 3, 6); // 3
 * ```
 */
export interface BinaryRule {
  readonly value: (a: number, b: number) => number;
  /** d/da. */
  readonly d0: (a: number, b: number, y: number) => number;
  /** d/db. */
  readonly d1: (a: number, b: number, y: number) => number;
}

/**
 * The two-operand ops. `**` also serves `**k` (a number exponent `k`, one operand), which uses only `value` and
 * `d0`. Edges of `**`: d/da is 0 where b == 0 (as PyTorch); d/db = a^b · log(a) is, at a == 0, its limit 0 where
 * b >= 0 (a^b is 0, or 1 at b = 0; PyTorch's `pow_backward_exponent` too) and NaN where b < 0 (a^b is a pole).
 * @crossgrad/symbolic writes d/db as `a^b · logz(a)` with `logz(0) = 0`, which gives the same numbers.
 *
 * @example
 * ```ts
 * BINARY['+'].value(1, 2); // 3
 * ```
 */
export const BINARY: { readonly [K in '+' | '*' | '**']: BinaryRule } = {
  '+': { value: (a, b) => a + b, d0: () => 1, d1: () => 1 },
  '*': { value: (a, b) => a * b, d0: (_a, b) => b, d1: (a) => a },
  '**': {
    value: Math.pow,
    d0: (a, b) => (b === 0 ? 0 : b * Math.pow(a, b - 1)),
    d1: (a, b, y) => (a === 0 ? (b >= 0 ? 0 : NaN) : y * Math.log(a)),
  },
};
