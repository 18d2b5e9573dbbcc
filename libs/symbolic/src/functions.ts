import { exp, log1p } from '@crossgrad/libm';
import { addList, call, mulList, pow, sqrt, sub } from './build.js';
import { ZERO, type Call, type Call2, type Expr, type Fn2Name, type FnName } from './expr.js';

// Everything the package knows about one function, in one entry: what the builder folds, the derivative rule, the
// value, the JavaScript `compile` emits, and how it prints. Adding a function is one entry here, its name in
// FN_NAMES (expr.ts) and its builder in build.ts; the table's type makes a missing entry a compile error. A
// two-argument function is the same in FUNCTIONS2 (its name in FN2_NAMES), with both partial derivatives.

/**
 * One function of the op set, as the table in functions.ts holds it.
 * @example
 * ```ts
 * FUNCTIONS.sin.evaluate(0); // 0
 * ```
 */
export interface FnSpec {
  /** The value where the builder may replace `f(number)` by a number because it is exact (`exp(0)` is 1), else
   * undefined: `log(2)` stays a call, exact in print. */
  readonly fold: (u: number) => number | undefined;
  /** The derivative rule: f'(u), the factor the chain rule multiplies u' by. */
  readonly derivative: {
    readonly formula: string;
    readonly outer: (e: Call) => Expr;
  };
  /** The value on numbers, IEEE throughout (NaN outside the domain, NaN in gives NaN out). */
  readonly evaluate: (u: number) => number;
  /** The JavaScript `compile` emits for `f(arg)`, `arg` being a variable or a literal: a `Math` function, or one
   * of {@link COMPILE_HELPERS} by its name (the generated code receives them), so it computes what `evaluate`
   * computes, bit for bit. */
  readonly js: (arg: string) => string;
  /** The name infix prints and the parser reads. */
  readonly infix: string;
  /** TeX for `f(arg)`, `arg` already TeX. */
  readonly tex: (arg: string) => string;
}

/**
 * One two-argument function, as the table {@link FUNCTIONS2} holds it: the same facts as {@link FnSpec}, with a
 * partial derivative for each argument.
 * @example
 * ```ts
 * FUNCTIONS2.max.evaluate(1, 2); // 2
 * ```
 */
export interface Fn2Spec {
  /** The value where the builder may replace `f(a, b)` by a number or an argument because it is exact, else
   * undefined. */
  readonly fold: (a: Expr, b: Expr) => Expr | number | undefined;
  /** The derivative rule: ∂f/∂a and ∂f/∂b, the factors the chain rule multiplies a' and b' by. */
  readonly derivative: {
    readonly formula: string;
    readonly partials: (e: Call2) => readonly [Expr, Expr];
  };
  /** The value on numbers, IEEE throughout. */
  readonly evaluate: (a: number, b: number) => number;
  /** The JavaScript `compile` emits for `f(a, b)`, computing what `evaluate` computes, bit for bit. */
  readonly js: (a: string, b: string) => string;
  /** The name infix prints and the parser reads. */
  readonly infix: string;
  /** TeX for `f(a, b)`, the arguments already TeX. */
  readonly tex: (a: string, b: string) => string;
}

/** The logistic function 1 / (1 + e^-u). */
function sigmoidScalar(u: number): number {
  return 1 / (1 + exp(-u));
}

/** log(1 + e^u), computed without overflow or cancellation as max(u, 0) + log1p(e^-|u|). */
function softplusScalar(u: number): number {
  return Math.max(u, 0) + log1p(exp(-Math.abs(u)));
}

/** max(u, 0), with relu(NaN) = NaN. */
function reluScalar(u: number): number {
  return u > 0 ? u : u <= 0 ? 0 : NaN;
}

/** The derivative of relu: 1 for u > 0, else 0 (0 at 0, as micrograd and PyTorch), NaN for NaN. */
function stepScalar(u: number): number {
  return u > 0 ? 1 : u <= 0 ? 0 : NaN;
}

/** The derivative of abs: -1, 0 or 1 (0 at ±0), NaN for NaN. */
function signScalar(u: number): number {
  return u > 0 ? 1 : u < 0 ? -1 : u === 0 ? 0 : NaN;
}

/** log(u), and 0 at u = 0 (either sign): the logarithm of d/dv u^v = u^v·logz(u), whose limit at u = 0 is 0. */
function logzScalar(u: number): number {
  return u === 0 ? 0 : Math.log(u);
}

const paren = (tex: string) => (a: string) => `${tex}\\left(${a}\\right)`;
/** Folds where f(0) is exactly `at0` (for -0 too: odd functions give -0 back, as Math does). */
const atZero =
  (f: (u: number) => number) =>
  (u: number): number | undefined =>
    u === 0 ? f(u) : undefined;
/** Folds every number: the function is exact on all of them. */
const always =
  (f: (u: number) => number) =>
  (u: number): number =>
    f(u);
const call1 = (name: string) => (a: string) => `${name}(${a})`;

/**
 * The function table, keyed by {@link FnName}.
 * @example
 * ```ts
 * FUNCTIONS.tan.derivative.formula; // "tan(u)' = (1 + tan(u)^2) · u'"
 * ```
 */
export const FUNCTIONS: { readonly [F in FnName]: FnSpec } = Object.freeze({
  exp: {
    fold: atZero(exp),
    derivative: { formula: "exp(u)' = exp(u) · u'", outer: (e: Call) => e },
    // @crossgrad/libm's: correctly rounded but for about 1 argument in 1,000, the same bits in every engine.
    evaluate: exp,
    js: call1('exp'),
    infix: 'exp',
    tex: paren('\\exp'),
  },
  log: {
    fold: (u: number) => (u === 1 ? 0 : undefined),
    derivative: { formula: "log(u)' = u' / u", outer: (e: Call) => pow(e.arg, -1) },
    evaluate: Math.log,
    js: call1('Math.log'),
    infix: 'log',
    tex: paren('\\log'),
  },
  sqrt: {
    // Perfect squares only: sqrt(4) is 2, sqrt(2) stays exact in print.
    fold: (u: number) => {
      const r = Math.sqrt(u);
      return Number.isInteger(r) && r * r === u ? r : undefined;
    },
    derivative: {
      formula: "sqrt(u)' = u' / (2 · sqrt(u))",
      outer: (e: Call) => pow(mulList([2, e]), -1),
    },
    evaluate: Math.sqrt,
    js: call1('Math.sqrt'),
    infix: 'sqrt',
    tex: (a: string) => `\\sqrt{${a}}`,
  },
  sin: {
    fold: atZero(Math.sin),
    derivative: { formula: "sin(u)' = cos(u) · u'", outer: (e: Call) => call('cos', e.arg) },
    evaluate: Math.sin,
    js: call1('Math.sin'),
    infix: 'sin',
    tex: paren('\\sin'),
  },
  cos: {
    fold: atZero(Math.cos),
    derivative: {
      formula: "cos(u)' = -sin(u) · u'",
      outer: (e: Call) => mulList([-1, call('sin', e.arg)]),
    },
    evaluate: Math.cos,
    js: call1('Math.cos'),
    infix: 'cos',
    tex: paren('\\cos'),
  },
  tan: {
    fold: atZero(Math.tan),
    derivative: { formula: "tan(u)' = (1 + tan(u)^2) · u'", outer: (e: Call) => addList([1, pow(e, 2)]) },
    evaluate: Math.tan,
    js: call1('Math.tan'),
    infix: 'tan',
    tex: paren('\\tan'),
  },
  asin: {
    fold: atZero(Math.asin),
    derivative: {
      // 1 - u² as (1 - u)(1 + u): exact to rounding next to ±1, where 1 - u² cancels.
      formula: "asin(u)' = u' / sqrt((1 - u) · (1 + u))",
      outer: (e: Call) => pow(sqrt(mulList([sub(1, e.arg), addList([1, e.arg])])), -1),
    },
    evaluate: Math.asin,
    js: call1('Math.asin'),
    infix: 'asin',
    tex: paren('\\arcsin'),
  },
  acos: {
    fold: (u: number) => (u === 1 ? 0 : undefined),
    derivative: {
      formula: "acos(u)' = -u' / sqrt((1 - u) · (1 + u))",
      outer: (e: Call) => mulList([-1, pow(sqrt(mulList([sub(1, e.arg), addList([1, e.arg])])), -1)]),
    },
    evaluate: Math.acos,
    js: call1('Math.acos'),
    infix: 'acos',
    tex: paren('\\arccos'),
  },
  atan: {
    fold: atZero(Math.atan),
    derivative: {
      formula: "atan(u)' = u' / (1 + u^2)",
      outer: (e: Call) => pow(addList([1, pow(e.arg, 2)]), -1),
    },
    evaluate: Math.atan,
    js: call1('Math.atan'),
    infix: 'atan',
    tex: paren('\\arctan'),
  },
  sinh: {
    fold: atZero(Math.sinh),
    derivative: { formula: "sinh(u)' = cosh(u) · u'", outer: (e: Call) => call('cosh', e.arg) },
    evaluate: Math.sinh,
    js: call1('Math.sinh'),
    infix: 'sinh',
    tex: paren('\\sinh'),
  },
  cosh: {
    fold: atZero(Math.cosh),
    derivative: { formula: "cosh(u)' = sinh(u) · u'", outer: (e: Call) => call('sinh', e.arg) },
    evaluate: Math.cosh,
    js: call1('Math.cosh'),
    infix: 'cosh',
    tex: paren('\\cosh'),
  },
  tanh: {
    fold: atZero(Math.tanh),
    derivative: {
      formula: "tanh(u)' = (1 - tanh(u)^2) · u'",
      outer: (e: Call) => sub(1, pow(e, 2)),
    },
    evaluate: Math.tanh,
    js: call1('Math.tanh'),
    infix: 'tanh',
    tex: paren('\\tanh'),
  },
  asinh: {
    fold: atZero(Math.asinh),
    derivative: {
      formula: "asinh(u)' = u' / sqrt(u^2 + 1)",
      outer: (e: Call) => pow(sqrt(addList([pow(e.arg, 2), 1])), -1),
    },
    evaluate: Math.asinh,
    js: call1('Math.asinh'),
    infix: 'asinh',
    tex: paren('\\operatorname{arsinh}'),
  },
  acosh: {
    fold: (u: number) => (u === 1 ? 0 : undefined),
    derivative: {
      // u² - 1 as (u - 1)(u + 1) under separate roots: exact next to 1, no overflow of u².
      formula: "acosh(u)' = u' / (sqrt(u - 1) · sqrt(u + 1))",
      outer: (e: Call) => mulList([pow(sqrt(sub(e.arg, 1)), -1), pow(sqrt(addList([e.arg, 1])), -1)]),
    },
    evaluate: Math.acosh,
    js: call1('Math.acosh'),
    infix: 'acosh',
    tex: paren('\\operatorname{arcosh}'),
  },
  atanh: {
    fold: atZero(Math.atanh),
    derivative: {
      formula: "atanh(u)' = u' / ((1 - u) · (1 + u))",
      outer: (e: Call) => pow(mulList([sub(1, e.arg), addList([1, e.arg])]), -1),
    },
    evaluate: Math.atanh,
    js: call1('Math.atanh'),
    infix: 'atanh',
    tex: paren('\\operatorname{artanh}'),
  },
  sigmoid: {
    fold: atZero(sigmoidScalar),
    derivative: {
      formula: "sigmoid(u)' = sigmoid(u) · (1 - sigmoid(u)) · u'",
      outer: (e: Call) => mulList([e, sub(1, e)]),
    },
    evaluate: sigmoidScalar,
    js: call1('sigmoid'),
    infix: 'sigmoid',
    tex: paren('\\sigma'),
  },
  softplus: {
    // softplus(0) = log(2): not exact, so nothing folds.
    fold: () => undefined,
    derivative: {
      formula: "softplus(u)' = sigmoid(u) · u'",
      outer: (e: Call) => call('sigmoid', e.arg),
    },
    evaluate: softplusScalar,
    js: call1('softplus'),
    infix: 'softplus',
    tex: paren('\\operatorname{softplus}'),
  },
  relu: {
    fold: always(reluScalar),
    derivative: { formula: "relu(u)' = step(u) · u'  (0 at 0)", outer: (e: Call) => call('step', e.arg) },
    evaluate: reluScalar,
    js: call1('relu'),
    infix: 'relu',
    tex: paren('\\operatorname{relu}'),
  },
  abs: {
    fold: always(Math.abs),
    derivative: { formula: "abs(u)' = sign(u) · u'  (0 at 0)", outer: (e: Call) => call('sign', e.arg) },
    evaluate: Math.abs,
    js: call1('Math.abs'),
    infix: 'abs',
    tex: (a: string) => `\\left|${a}\\right|`,
  },
  step: {
    fold: always(stepScalar),
    derivative: { formula: "step(u)' = 0", outer: () => ZERO },
    evaluate: stepScalar,
    js: call1('step'),
    infix: 'step',
    tex: paren('\\operatorname{step}'),
  },
  sign: {
    fold: always(signScalar),
    derivative: { formula: "sign(u)' = 0", outer: () => ZERO },
    evaluate: signScalar,
    js: call1('sign'),
    infix: 'sign',
    tex: paren('\\operatorname{sign}'),
  },
  logz: {
    // Exact where log is (logz(1) = 0), and at 0.
    fold: (u: number) => (u === 1 || u === 0 ? 0 : undefined),
    derivative: { formula: "logz(u)' = u' / u", outer: (e: Call) => pow(e.arg, -1) },
    evaluate: logzScalar,
    js: call1('logz'),
    infix: 'logz',
    tex: paren('\\operatorname{logz}'),
  },
});

const paren2 = (tex: string) => (a: string, b: string) => `${tex}\\left(${a}, ${b}\\right)`;
const call2js = (name: string) => (a: string, b: string) => `${name}(${a}, ${b})`;
/** Both arguments numbers: the value, exact for min and max. */
const numbers = (a: Expr, b: Expr, f: (a: number, b: number) => number): number | undefined =>
  a.kind === 'num' && b.kind === 'num' ? f(a.value, b.value) : undefined;

/**
 * The two-argument function table, keyed by {@link Fn2Name}. Edge conventions, the same as autograd's:
 *
 * - `atan2(y, x)`: ∂/∂y = x / (x² + y²), ∂/∂x = -y / (x² + y²); at (0, 0) both are 0/0 = NaN (no derivative).
 * - `min(a, b)`, `max(a, b)` differentiate as `b - relu(b - a)` and `b + relu(a - b)` with `relu'(0) = 0`:
 *   ∂max/∂a = step(a - b), ∂max/∂b = 1 - step(a - b) (∂min/∂a = step(b - a)), so at a tie the second argument
 *   gets the whole gradient. That is one branch's derivative (one-sided, a subgradient, never PyTorch's 0.5/0.5
 *   blend that no branch has), `max(x, 0)` has relu's derivative at 0 too, and `max(a, a)` folds to `a`.
 *   Arguments keep their order (the builder never swaps them), so the convention follows what was written.
 *
 * @example
 * ```ts
 * FUNCTIONS2.atan2.derivative.formula; // "atan2(u, v)' = (v · u' - u · v') / (u^2 + v^2)"
 * ```
 */
export const FUNCTIONS2: { readonly [F in Fn2Name]: Fn2Spec } = Object.freeze({
  atan2: {
    // atan2(±0, x > 0) is ±0 exactly; nothing else is exact.
    fold: (a: Expr, b: Expr) =>
      a.kind === 'num' && a.value === 0 && b.kind === 'num' && b.value > 0 ? a.value : undefined,
    derivative: {
      formula: "atan2(u, v)' = (v · u' - u · v') / (u^2 + v^2)",
      partials: (e: Call2) => {
        const [u, v] = e.args;
        const r = pow(addList([pow(u, 2), pow(v, 2)]), -1);
        return [mulList([v, r]), mulList([-1, u, r])] as const;
      },
    },
    evaluate: Math.atan2,
    js: call2js('Math.atan2'),
    infix: 'atan2',
    tex: paren2('\\operatorname{atan2}'),
  },
  min: {
    fold: (a: Expr, b: Expr) => (a === b ? a : numbers(a, b, Math.min)),
    derivative: {
      formula: "min(u, v)' = step(v - u) · u' + (1 - step(v - u)) · v'  (a tie: v')",
      partials: (e: Call2) => {
        const s = call('step', sub(e.args[1], e.args[0]));
        return [s, sub(1, s)] as const;
      },
    },
    evaluate: Math.min,
    js: call2js('Math.min'),
    infix: 'min',
    tex: paren2('\\min'),
  },
  max: {
    fold: (a: Expr, b: Expr) => (a === b ? a : numbers(a, b, Math.max)),
    derivative: {
      formula: "max(u, v)' = step(u - v) · u' + (1 - step(u - v)) · v'  (a tie: v')",
      partials: (e: Call2) => {
        const s = call('step', sub(e.args[0], e.args[1]));
        return [s, sub(1, s)] as const;
      },
    },
    evaluate: Math.max,
    js: call2js('Math.max'),
    infix: 'max',
    tex: paren2('\\max'),
  },
});

/**
 * The helper functions the JavaScript of {@link FnSpec.js} may call by name (those not on `Math`).
 * @example
 * ```ts
 * COMPILE_HELPERS.sigmoid(0); // 0.5
 * ```
 */
export const COMPILE_HELPERS: Readonly<Record<string, (u: number) => number>> = Object.freeze({
  exp,
  sigmoid: sigmoidScalar,
  softplus: softplusScalar,
  relu: reluScalar,
  step: stepScalar,
  sign: signScalar,
  logz: logzScalar,
});
