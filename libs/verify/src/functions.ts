import { Value } from '@crossgrad/autograd';
import {
  abs,
  add,
  cos,
  exp,
  type Expr,
  type FnName,
  log,
  logz,
  pow,
  relu,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  step,
  tan,
  tanh,
} from '@crossgrad/symbolic';
import {
  cabs,
  ccos,
  cexp,
  clog,
  clogz,
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
