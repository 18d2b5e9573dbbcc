import { Value } from '@crossgrad/autograd';
import {
  abs,
  acos,
  acosh,
  add,
  asin,
  asinh,
  atan,
  atan2,
  atanh,
  cos,
  cosh,
  exp,
  type Expr,
  type Fn2Name,
  type FnName,
  log,
  logz,
  max,
  min,
  mul,
  pow,
  relu,
  sigmoid,
  sign,
  sin,
  sinh,
  softplus,
  sqrt,
  step,
  tan,
  tanh,
} from '@crossgrad/symbolic';
import {
  cabs,
  cacos,
  cacosh,
  casin,
  casinh,
  catan,
  catan2,
  catanh,
  ccos,
  ccosh,
  cexp,
  clog,
  clogz,
  cmax,
  cmin,
  csinh,
  type Complex,
  crelu,
  csigmoid,
  csign,
  csin,
  csoftplus,
  csqrt,
  cstep,
  ctan,
  ctanh,
} from './complex.js';

/**
 * How far a function's argument must move before its value changes on the function's own scale: `'unit'` by about 1
 * (exp, sin, tanh, …), `'relative'` by about its own size (log, sqrt: a pole or branch point at 0), `'none'` for the
 * piecewise-linear and piecewise-constant functions. Finite differences need a first step below this.
 *
 * @example
 * ```ts
 * FUNCTIONS.log.scale; // 'relative'
 * ```
 */
export type LengthScale = 'unit' | 'relative' | 'none';

/**
 * Everything this package knows about one elementary function, in one place: each oracle and bridge reads it from
 * here, so a function symbolic knows and this table lacks is a compile error, not a run-time surprise.
 *
 * @example
 * ```ts
 * const entry: FunctionEntry = FUNCTIONS.sin;
 * entry.real(0); // 0
 * entry.complex(complex(0, 1e-20)).im; // 1e-20: the slope 1, times the step
 * ```
 */
export interface FunctionEntry {
  /** The function in real floating-point arithmetic: the value finite differences probe. */
  readonly real: (u: number) => number;
  /**
   * The function's analytic extension (principal branch), accurate in the imaginary part for a tiny imaginary
   * argument: the complex step's evaluation.
   */
  readonly complex: (z: Complex) => Complex;
  /** The @crossgrad/symbolic builder (`fromValue`'s direction of the bridge). */
  readonly expr: (u: Expr) => Expr;
  /**
   * The @crossgrad/autograd node for it (`toValue`'s direction). A function autograd lacks (`step`, `sign`, which
   * only derivatives produce) becomes a constant leaf holding its value: its derivative is 0 wherever it is defined.
   * `logz` (log with logz(0) = 0, also only from derivatives) becomes autograd's `log`, and a constant 0 at 0.
   */
  readonly value: (u: Value) => Value;
  /**
   * The `op` of that autograd node, which `fromValue` maps back; undefined for the functions only derivatives
   * produce (`step`, `sign`: a constant; `logz`: autograd's `log`, which maps back to `log`).
   */
  readonly op: string | undefined;
  /** Not differentiable at 0 (a kink or a jump): derivatives there are conventions, not limits. */
  readonly kink: boolean;
  /**
   * The value at `u` is ±Infinity from a pole (log at 0), not a number the chain rule can use. A pole no double
   * reaches exactly (tan at π/2) does not count.
   */
  readonly pole: (u: number) => boolean;
  /** How far the argument moves before the value changes on its own scale. */
  readonly scale: LengthScale;
  /**
   * Exactly 0 only by underflow: the value is positive for every finite argument (exp, sigmoid), so a 0 means the
   * floating-point range was left and a chain rule through it means nothing.
   */
  readonly positive: boolean;
  /**
   * The size of the local slope for error bounds, from the function's value, where the usual formula is a
   * difference that cancels where the function saturates (`1 - tanh²`, `s·(1 - s)`): it is counted with absolute
   * values, as a sum is. Undefined where the slope has no such cancellation.
   */
  readonly slopeSize?: (value: number) => number;
  /** mathjs `derivative` knows the function under the same name. */
  readonly mathjs: boolean;
  /**
   * How random expressions (`exprArbitrary`) wrap the function's argument to stay inside its domain and away from
   * its poles; undefined where any argument will do.
   */
  readonly safeArgument?: (u: Expr) => Expr;
  /**
   * The open interval of real arguments where the function is real and differentiable (but for a kink at 0, where
   * it has one), the table's own domain fact: the property that checks every entry against the complex step draws
   * its points inside it.
   */
  readonly domain: readonly [number, number];
}

/**
 * Everything this package knows about one two-argument function (`atan2`, `min`, `max`), as {@link FunctionEntry}
 * for one argument.
 *
 * @example
 * ```ts
 * FUNCTIONS2.max.real(1, 2); // 2
 * FUNCTIONS2.max.kink?.(1, 1); // 0: a tie is a kink
 * ```
 */
export interface Function2Entry {
  /** The function in real floating-point arithmetic. */
  readonly real: (a: number, b: number) => number;
  /** Its extension to perturbed arguments, for the complex step (see `complex.ts`). */
  readonly complex: (a: Complex, b: Complex) => Complex;
  /** The @crossgrad/symbolic builder. */
  readonly expr: (a: Expr, b: Expr) => Expr;
  /** The @crossgrad/autograd node for it. */
  readonly value: (a: Value, b: Value) => Value;
  /** The `op` of that autograd node, which `fromValue` maps back. */
  readonly op: string;
  /**
   * Where the function has a kink: the kink's argument, 0 at the kink (`a - b` for min and max, whose kink is a
   * tie), so the one-sided slopes treat it as relu's and abs's; undefined for a function with no kink.
   */
  readonly kink?: (a: number, b: number) => number;
  /**
   * Where the value jumps: an argument that is 0 on the function's cut and Infinity where there is none nearby
   * (atan2's is `y` where `x < 0`: on the negative x-axis it goes from π to -π). A point on the cut has no
   * derivative in the first argument; next to it, finite differences keep their probes on the point's side, as
   * next to a kink. Undefined for a function with no cut.
   */
  readonly cut?: (a: number, b: number) => number;
  /** How far the arguments move before the value changes on its own scale (`'relative'`: their distance to 0). */
  readonly scale: LengthScale;
  /** mathjs `derivative` knows the function under the same name. */
  readonly mathjs: boolean;
  /** How random expressions wrap the arguments; undefined where any will do. */
  readonly safeArguments?: (a: Expr, b: Expr) => readonly [Expr, Expr];
  /** Per argument, the open interval the property draws it from (see {@link FunctionEntry.domain}). */
  readonly domain: readonly [readonly [number, number], readonly [number, number]];
}

/** `1 + u²`: positive everywhere, the safe argument of log and sqrt. */
function onePlusSquare(u: Expr): Expr {
  return add(1, pow(u, 2));
}

/** No pole a double reaches. */
function never(): boolean {
  return false;
}

/** The constant node for a function autograd lacks, holding its value at the argument. */
function constant(f: (u: number) => number): (u: Value) => Value {
  return (u) => new Value(f(u.data));
}

function realSigmoid(u: number): number {
  return u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
}

/** `log(1 + e^u)` computed stably, as `max(u, 0) + log1p(e^-|u|)`. */
function realSoftplus(u: number): number {
  return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
}

/** `u / 2` of `sin u`: in [-1/2, 1/2], well inside the domain of asin, acos and atanh. */
function halfSine(u: Expr): Expr {
  return mul(0.5, sin(u));
}

const ALL: readonly [number, number] = [-Infinity, Infinity];

function realStep(u: number): number {
  return u > 0 ? 1 : Number.isNaN(u) ? NaN : 0;
}

/**
 * The table of every function an expression may call, keyed by symbolic's `FnName`: one entry per function, each
 * with every fact this package needs about it. Typed as a `Record` over `FnName`, so a name added to symbolic
 * without an entry here does not compile.
 *
 * @example
 * ```ts
 * FUNCTIONS.relu.real(-2); // 0
 * FUNCTIONS.relu.kink; // true
 * FUNCTIONS.relu.op; // 'ReLU', the autograd node's op
 * ```
 */
export const FUNCTIONS: Readonly<Record<FnName, FunctionEntry>> = {
  exp: {
    real: Math.exp,
    complex: cexp,
    expr: exp,
    value: (u) => u.exp(),
    op: 'exp',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: true,
    mathjs: true,
    domain: ALL,
  },
  log: {
    real: Math.log,
    complex: clog,
    expr: log,
    value: (u) => u.log(),
    op: 'log',
    kink: false,
    pole: (u) => u === 0,
    scale: 'relative',
    positive: false,
    mathjs: true,
    safeArgument: onePlusSquare,
    domain: [0, Infinity],
  },
  sqrt: {
    real: Math.sqrt,
    complex: csqrt,
    expr: sqrt,
    value: (u) => u.sqrt(),
    op: 'sqrt',
    kink: false,
    pole: never,
    scale: 'relative',
    positive: false,
    mathjs: true,
    safeArgument: onePlusSquare,
    domain: [0, Infinity],
  },
  sin: {
    real: Math.sin,
    complex: csin,
    expr: sin,
    value: (u) => u.sin(),
    op: 'sin',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: false,
    mathjs: true,
    domain: ALL,
  },
  cos: {
    real: Math.cos,
    complex: ccos,
    expr: cos,
    value: (u) => u.cos(),
    op: 'cos',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: false,
    mathjs: true,
    domain: ALL,
  },
  tan: {
    real: Math.tan,
    complex: ctan,
    expr: tan,
    value: (u) => u.tan(),
    op: 'tan',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: false,
    mathjs: true,
    // In [-1, 1], clear of the poles at ±π/2 where no oracle is reliable.
    safeArgument: sin,
    domain: [-Math.PI / 2, Math.PI / 2],
  },
  asin: {
    real: Math.asin,
    complex: casin,
    expr: asin,
    value: (u) => u.asin(),
    op: 'asin',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: false,
    mathjs: true,
    safeArgument: halfSine,
    domain: [-1, 1],
  },
  acos: {
    real: Math.acos,
    complex: cacos,
    expr: acos,
    value: (u) => u.acos(),
    op: 'acos',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: false,
    mathjs: true,
    safeArgument: halfSine,
    domain: [-1, 1],
  },
  atan: {
    real: Math.atan,
    complex: catan,
    expr: atan,
    value: (u) => u.atan(),
    op: 'atan',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: false,
    mathjs: true,
    domain: ALL,
  },
  sinh: {
    real: Math.sinh,
    complex: csinh,
    expr: sinh,
    value: (u) => u.sinh(),
    op: 'sinh',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: false,
    mathjs: true,
    domain: ALL,
  },
  cosh: {
    real: Math.cosh,
    complex: ccosh,
    expr: cosh,
    value: (u) => u.cosh(),
    op: 'cosh',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: true,
    mathjs: true,
    domain: ALL,
  },
  tanh: {
    real: Math.tanh,
    complex: ctanh,
    expr: tanh,
    value: (u) => u.tanh(),
    op: 'tanh',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: false,
    slopeSize: (t) => 1 + t * t,
    mathjs: true,
    domain: ALL,
  },
  asinh: {
    real: Math.asinh,
    complex: casinh,
    expr: asinh,
    value: (u) => u.asinh(),
    op: 'asinh',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: false,
    mathjs: true,
    domain: ALL,
  },
  acosh: {
    real: Math.acosh,
    complex: cacosh,
    expr: acosh,
    value: (u) => u.acosh(),
    op: 'acosh',
    kink: false,
    pole: never,
    // The slope's branch point at 1: the argument's distance to it sets the scale, as 0 does for log.
    scale: 'relative',
    positive: false,
    // mathjs writes acosh' as 1 / sqrt(u^2 - 1), which overflows to 0 for |u| > 1e154 where the slope is not 0.
    mathjs: false,
    // 2 + u²: at least 2, clear of the branch point at 1.
    safeArgument: (u) => add(2, pow(u, 2)),
    domain: [1, Infinity],
  },
  atanh: {
    real: Math.atanh,
    complex: catanh,
    expr: atanh,
    value: (u) => u.atanh(),
    op: 'atanh',
    kink: false,
    pole: (u) => u === 1 || u === -1,
    scale: 'unit',
    positive: false,
    mathjs: true,
    safeArgument: halfSine,
    domain: [-1, 1],
  },
  sigmoid: {
    real: realSigmoid,
    complex: csigmoid,
    expr: sigmoid,
    value: (u) => u.sigmoid(),
    op: 'sigmoid',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: true,
    slopeSize: (s) => s * (1 + s),
    mathjs: false,
    domain: ALL,
  },
  softplus: {
    real: realSoftplus,
    complex: csoftplus,
    expr: softplus,
    value: (u) => u.softplus(),
    op: 'softplus',
    kink: false,
    pole: never,
    scale: 'unit',
    positive: true,
    mathjs: false,
    domain: ALL,
  },
  relu: {
    real: (u) => (u > 0 ? u : Number.isNaN(u) ? NaN : 0),
    complex: crelu,
    expr: relu,
    value: (u) => u.relu(),
    op: 'ReLU',
    kink: true,
    pole: never,
    scale: 'none',
    positive: false,
    mathjs: false,
    domain: ALL,
  },
  abs: {
    real: Math.abs,
    complex: cabs,
    expr: abs,
    value: (u) => u.abs(),
    op: 'abs',
    kink: true,
    pole: never,
    scale: 'none',
    positive: false,
    mathjs: true,
    domain: ALL,
  },
  step: {
    real: realStep,
    complex: cstep,
    expr: step,
    value: constant(realStep),
    op: undefined,
    kink: true,
    pole: never,
    scale: 'none',
    positive: false,
    mathjs: false,
    domain: ALL,
  },
  sign: {
    real: Math.sign,
    complex: csign,
    expr: sign,
    value: constant(Math.sign),
    op: undefined,
    kink: true,
    pole: never,
    scale: 'none',
    positive: false,
    mathjs: false,
    domain: ALL,
  },
  logz: {
    real: (u) => (u === 0 ? 0 : Math.log(u)),
    complex: clogz,
    expr: logz,
    // autograd's log, and a constant 0 at 0 (where logz has no derivative: it jumps from -∞ to 0).
    value: (u) => (u.data === 0 ? new Value(0) : u.log()),
    op: undefined,
    kink: true,
    pole: never,
    scale: 'relative',
    positive: false,
    mathjs: false,
    domain: [0, Infinity],
  },
};

/**
 * The symbolic builder for each autograd op that is an elementary function (`'ReLU'` → relu, …), read from
 * {@link FUNCTIONS}.
 *
 * @example
 * ```ts
 * BUILDER_BY_OP.get('ReLU')?.(sym('x')); // relu(x)
 * ```
 */
export const BUILDER_BY_OP: ReadonlyMap<string, (u: Expr) => Expr> = new Map(
  Object.values(FUNCTIONS).flatMap((f) => (f.op === undefined ? [] : [[f.op, f.expr] as const])),
);

/**
 * The table of every two-argument function, keyed by symbolic's `Fn2Name`, as {@link FUNCTIONS} is for one argument.
 * min and max have a kink where their arguments tie (its argument `a - b`), judged as relu's and abs's are: by the
 * one-sided slopes. atan2 has no derivative at the origin (a NaN slope).
 *
 * @example
 * ```ts
 * FUNCTIONS2.atan2.real(1, 0); // Math.PI / 2
 * ```
 */
export const FUNCTIONS2: Readonly<Record<Fn2Name, Function2Entry>> = {
  atan2: {
    real: Math.atan2,
    complex: catan2,
    expr: atan2,
    value: (a, b) => a.atan2(b),
    op: 'atan2',
    cut: (y, x) => (x < 0 ? y : Infinity),
    scale: 'relative',
    // mathjs's derivative has no rule for atan2.
    mathjs: false,
    domain: [ALL, ALL],
  },
  min: {
    real: Math.min,
    complex: cmin,
    expr: min,
    value: (a, b) => a.min(b),
    op: 'min',
    kink: (a, b) => a - b,
    scale: 'none',
    mathjs: false,
    domain: [ALL, ALL],
  },
  max: {
    real: Math.max,
    complex: cmax,
    expr: max,
    value: (a, b) => a.max(b),
    op: 'max',
    kink: (a, b) => a - b,
    scale: 'none',
    mathjs: false,
    domain: [ALL, ALL],
  },
};

/**
 * The symbolic builder for each autograd op of a two-argument function, read from {@link FUNCTIONS2}.
 *
 * @example
 * ```ts
 * BUILDER2_BY_OP.get('max')?.(sym('x'), sym('y')); // max(x, y)
 * ```
 */
export const BUILDER2_BY_OP: ReadonlyMap<string, (a: Expr, b: Expr) => Expr> = new Map(
  Object.values(FUNCTIONS2).map((f) => [f.op, f.expr] as const),
);
