/**
 * Every op of the engine in one table: the forward value and the local derivatives, side by side. The eager
 * `Value` methods and the compiled tape (`compileGraph`) both read these entries, so an op's arithmetic is written
 * once and the two give bit-identical results.
 */
import { exp, log1p } from '@crossgrad/libm';

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
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'asin'
  | 'acos'
  | 'atan'
  | 'sinh'
  | 'cosh'
  | 'tanh'
  | 'asinh'
  | 'acosh'
  | 'atanh'
  | 'sigmoid'
  | 'softplus'
  | 'relu'
  | 'abs';

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
 * outside a domain, IEEE arithmetic at poles and at the ends of a domain where the slope is infinite: `asin` and
 * `acos` at ±1 and `acosh` at 1 have the finite value and a derivative of ±Infinity (a division by 0), `atanh`
 * at ±1 is ±Infinity with derivative Infinity.
 *
 * @example
 * ```ts
 * FUNCTIONS.tanh.derivative(0, FUNCTIONS.tanh.value(0)); // 1
 * ```
 */
export const FUNCTIONS: { readonly [K in FnName]: FnRule } = {
  exp: { op: 'exp', value: exp, derivative: (_x, y) => y },
  log: { op: 'log', value: Math.log, derivative: (x) => 1 / x },
  sqrt: { op: 'sqrt', value: Math.sqrt, derivative: (_x, y) => 0.5 / y },
  sin: { op: 'sin', value: Math.sin, derivative: (x) => Math.cos(x) },
  cos: { op: 'cos', value: Math.cos, derivative: (x) => -Math.sin(x) },
  tan: { op: 'tan', value: Math.tan, derivative: (_x, t) => 1 + t * t },
  // 1 - x² as (1 - x)(1 + x), exact to rounding next to ±1 where 1 - x·x cancels.
  asin: { op: 'asin', value: Math.asin, derivative: (x) => 1 / Math.sqrt((1 - x) * (1 + x)) },
  acos: { op: 'acos', value: Math.acos, derivative: (x) => -1 / Math.sqrt((1 - x) * (1 + x)) },
  atan: { op: 'atan', value: Math.atan, derivative: (x) => 1 / (1 + x * x) },
  sinh: { op: 'sinh', value: Math.sinh, derivative: (x) => Math.cosh(x) },
  cosh: { op: 'cosh', value: Math.cosh, derivative: (x) => Math.sinh(x) },
  tanh: { op: 'tanh', value: Math.tanh, derivative: (_x, t) => 1 - t * t },
  // hypot: no overflow of x² for |x| > 1e154.
  asinh: { op: 'asinh', value: Math.asinh, derivative: (x) => 1 / Math.hypot(x, 1) },
  // x² - 1 as (x - 1)(x + 1) under the roots: exact next to 1, no overflow.
  acosh: { op: 'acosh', value: Math.acosh, derivative: (x) => 1 / (Math.sqrt(x - 1) * Math.sqrt(x + 1)) },
  atanh: { op: 'atanh', value: Math.atanh, derivative: (x) => 1 / ((1 - x) * (1 + x)) },
  sigmoid: {
    op: 'sigmoid',
    value: (x) => 1 / (1 + exp(-x)),
    derivative: (_x, s) => s * (1 - s),
  },
  softplus: {
    op: 'softplus',
    // log(1 + e^x) without overflow for large x or loss of digits for very negative x. The generated loops
    // (loops.ts) write value and derivative out as here, sharing exp(-|x|): change them together.
    value: (x) => Math.max(x, 0) + log1p(exp(-Math.abs(x))),
    derivative: (x) => 1 / (1 + exp(-x)),
  },
  relu: {
    op: 'ReLU',
    value: (x) => (x > 0 || x !== x ? x : 0),
    derivative: (x) => (x > 0 ? 1 : 0),
  },
  abs: { op: 'abs', value: Math.abs, derivative: (x) => Math.sign(x) },
};

/**
 * The names of the two-argument functions. Adding a name here without an entry in {@link FUNCTIONS2} is a
 * compile error.
 *
 * @example
 * ```ts
 * const f: Fn2Name = 'atan2';
 * ```
 */
export type Fn2Name = 'atan2' | 'min' | 'max';

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
    // a^-1 is the exact division 1 / a (symbolic's too): the same number as V8's Math.pow, on every engine.
    value: (a, b) => (b === -1 ? 1 / a : Math.pow(a, b)),
    // At b = -1 (every division is a product with a reciprocal), a^-2 correctly rounded without Math.pow.
    d0: (a, b) => (b === 0 ? 0 : b === -1 ? -1 * reciprocalSquare(a) : b * Math.pow(a, b - 1)),
    d1: (a, b, y) => (a === 0 ? (b >= 0 ? 0 : NaN) : y * Math.log(a)),
  },
};

/**
 * 1 / a², correctly rounded where a² is a normal number (|a| from about 1e-145 to 1e145), else `Math.pow(a, -2)`:
 * a·a = p + e exactly (Dekker's product, by Veltkamp's split), q = 1/p, then q corrected by the residual
 * 1 - q·(p + e), itself computed exactly to first order. It is the derivative of every division (d/da a^-1 =
 * -a^-2), where `Math.pow` cost about 50 ns a call in V8 and was not correctly rounded there in 7% of cases;
 * micrograd (CPython, glibc's pow) gets the correctly rounded value. Checked against exact rational arithmetic
 * on 340,000 arguments across the range, and at the edges (0, ±Infinity, NaN: `Math.pow`'s values).
 *
 * @example
 * ```ts
 * reciprocalSquare(3); // 0.1111111111111111, the double nearest 1/9
 * ```
 */
export function reciprocalSquare(a: number): number {
  const p = a * a;
  if (!(p > 1e-290 && p < 1e290)) return Math.pow(a, -2);
  const ah = highHalf(a);
  const al = a - ah;
  const e = ah * ah - p + 2 * ah * al + al * al;
  const q = 1 / p;
  const qh = highHalf(q);
  const ql = q - qh;
  const ph = highHalf(p);
  const pl = p - ph;
  const u = q * p;
  const v = qh * ph - u + qh * pl + ql * ph + ql * pl;
  const r = 1 - u - v - q * e;
  return q + q * r;
}

/** The upper 26 bits of x's significand (Veltkamp's split by 2^27 + 1): x - highHalf(x) is exact. */
function highHalf(x: number): number {
  const c = 134217729 * x;
  return c - (c - x);
}

/**
 * A two-argument function: its op name on graph nodes, its value and both partial derivatives, as a
 * {@link BinaryRule}.
 *
 * @example
 * ```ts
 * const hyp: Fn2Rule = {
 *   op: 'hyp',
 *   value: Math.hypot,
 *   d0: (a, _b, y) => a / y,
 *   d1: (_a, b, y) => b / y,
 * };
 * ```
 */
export interface Fn2Rule extends BinaryRule {
  /** The `op` string of the nodes it makes (children `[a, b]`). */
  readonly op: string;
}

/**
 * The two-argument functions, keyed by name, with their edge conventions:
 *
 * - `atan2(y, x)`: Math.atan2's value (the angle of the point (x, y), in [-π, π]); d/dy = x / (x² + y²),
 *   d/dx = -y / (x² + y²). At (0, 0) the value is IEEE's atan2 (±0 or ±π by the zeros' signs) and both
 *   derivatives are 0/0 = NaN: there is no derivative there.
 * - `min(a, b)`, `max(a, b)`: Math.min/Math.max's value (NaN if either is NaN). They differentiate as
 *   `max(a, b) = b + relu(a - b)` and `min(a, b) = b - relu(b - a)`, with relu's convention `relu'(0) = 0`: the
 *   first argument gets the gradient only where it is strictly chosen (a > b for max, a < b for min), and at a
 *   tie the second gets it all. So `max(x, 0)` is `relu(x)` with the same derivative, at 0 too; the gradient is
 *   always the derivative of one of the two branches (a one-sided derivative, so a subgradient of max and of
 *   -min), never a blend that no branch has; and `max(a, a)` passes 1 to `a` (0 + 1), as the identity does.
 *   PyTorch instead splits a tie 0.5/0.5, which is symmetric but gives `max(x, 0)` the slope 0.5 at 0, a value
 *   neither branch has.
 *
 * @example
 * ```ts
 * FUNCTIONS2.max.d0(1, 1, 1); // 0: at a tie the second argument gets the gradient
 * FUNCTIONS2.atan2.d1(1, 0, Math.PI / 2); // -1
 * ```
 */
export const FUNCTIONS2: { readonly [K in Fn2Name]: Fn2Rule } = {
  atan2: {
    op: 'atan2',
    value: Math.atan2,
    // Through r = hypot(x, y): x² + y² neither overflows nor underflows (at x = y = 1e-200 it is 0).
    d0: (y, x) => {
      const r = Math.hypot(x, y);
      return x / r / r;
    },
    d1: (y, x) => {
      const r = Math.hypot(x, y);
      return -y / r / r;
    },
  },
  min: { op: 'min', value: Math.min, d0: (a, b) => (a < b ? 1 : 0), d1: (a, b) => (a < b ? 0 : 1) },
  max: { op: 'max', value: Math.max, d0: (a, b) => (a > b ? 1 : 0), d1: (a, b) => (a > b ? 0 : 1) },
};
