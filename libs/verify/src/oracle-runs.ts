import { diff, evaluate, type Expr, type Fn2Name, type FnName, gradient } from '@crossgrad/symbolic';
import { type Complex, complex } from './complex.js';
import { type ComplexStepDetail, evaluateComplex } from './complex-step.js';
import { kinkArgument, kinkNodes, MIN_NORMAL } from './error-model.js';
import { finiteDifference, type FiniteDifferenceOptions } from './finite-difference.js';
import { outOfRange } from './range.js';
import { noiseProgram, realProgram, valuesProgram } from './real-eval.js';
import { pointValues, type Tape, tapeOf } from './tape.js';
import { FUNCTIONS2 } from './functions.js';
import { COMPLEX_STEP, complexCall, complexCall2 } from './slopes.js';

/**
 * The rule table `diff` accepts, whatever @crossgrad/symbolic names its type.
 *
 * @example
 * ```ts
 * const rules: DiffRuleTable = { ...diffRules };
 * compareGradients('sin(x)', { x: 1 }, { rules });
 * ```
 */
export type DiffRuleTable = NonNullable<NonNullable<Parameters<typeof diff>[2]>['rules']>;

/**
 * Symbolic's derivative per variable, evaluated, and whether evaluating that derivative expression left the
 * floating-point range (its form can overflow or underflow where the expression's own values do not, such as
 * `(e^(2u) + 1)^-3` for a u of 125).
 *
 * @example
 * ```ts
 * symbolicGradient(parse('x^2'), ['x'], { x: 3 }, undefined); // { values: { x: 6 }, outOfRange: [] }
 * ```
 */
export function symbolicGradient(
  expr: Expr,
  variables: readonly string[],
  point: Readonly<Record<string, number>>,
  rules: DiffRuleTable | undefined,
): { values: Record<string, number>; outOfRange: string[] } {
  const derivatives = new Map<string, Expr>();
  if (rules === undefined) {
    const g = gradient(expr, variables);
    for (const v of variables) {
      const d = g.get(v);
      if (d !== undefined) derivatives.set(v, d);
    }
  } else {
    for (const v of variables) derivatives.set(v, diff(expr, v, { rules }));
  }
  const values: Record<string, number> = {};
  const lost: string[] = [];
  for (const [v, d] of derivatives) {
    values[v] = evaluate(d, point);
    const tape = tapeOf(d);
    if (outOfRange(tape, valuesProgram(tape)(pointValues(tape, point)))) lost.push(v);
  }
  return { values, outOfRange: lost };
}

/**
 * One variable's finite difference, or why there is none.
 * @example
 * ```ts
 * const o: FdOutcome = { skipped: 'the expression does not use this variable' };
 * ```
 */
export type FdOutcome = { value: number; error: number } | { skipped: string };

/**
 * Finite differences of the expression's own evaluation, for the variables in `wanted`, with its rounding bound as
 * the noise floor. The first step stays below half the shortest length scale of the expression (so an oscillation
 * is resolved, not averaged away) and below a quarter of the (linearised) distance to the nearest kink (so no probe
 * pair straddles one). Where that leaves less than 64 doubles between the point and its first probe, the
 * expression changes faster than the doubles near the point can show (`sin(x^30)` at 2.75): no finite difference
 * for that variable.
 *
 * @example
 * ```ts
 * finiteDifferences(tape, [0.5], complexStepDetail(tape, { x: 0.5 }), new Set(['x'])); // { x: { value, error } }
 * ```
 */
export function finiteDifferences(
  tape: Tape,
  x: readonly number[],
  cs: ComplexStepDetail,
  wanted: ReadonlySet<string>,
  opts: Omit<FiniteDifferenceOptions, 'step'> = {},
): Record<string, FdOutcome> {
  const out: Record<string, FdOutcome> = {};
  const active: { index: number; name: string; step: number; at: number }[] = [];
  tape.variables.forEach((name, index) => {
    if (!wanted.has(name)) return;
    const at = x[index] ?? NaN;
    let h = Math.min(0.1 * Math.max(Math.abs(at), 1), (cs.lengthScale[name] ?? Infinity) / 2);
    for (const k of cs.kinks) {
      const s = Math.abs(k.slope[name] ?? 0);
      if (s > 0) h = Math.min(h, Math.abs(k.argument) / s / 4);
    }
    if (h >= 64 * Math.max(Math.abs(at) * Number.EPSILON, Number.MIN_VALUE)) {
      active.push({ index, name, step: h, at });
    } else {
      out[name] = { skipped: 'the expression changes faster than the doubles near the point resolve' };
    }
  });
  if (active.length === 0) return out;
  const f = realProgram(tape);
  const noise = noiseProgram(tape);
  const probe = [...x];
  const place = (sub: readonly number[]): number[] => {
    active.forEach((a, k) => {
      probe[a.index] = sub[k] ?? NaN;
    });
    return probe;
  };
  const r = finiteDifference(
    (sub) => f(place(sub)),
    active.map((a) => a.at),
    { noise: (sub) => noise(place(sub)), ...opts, step: active.map((a) => a.step) },
  );
  active.forEach((a, k) => {
    const value = r.gradient[k] ?? NaN;
    const error = r.error[k] ?? Infinity;
    // An infinite error is no tolerance: finite differences have nothing to say about this variable here.
    out[a.name] = !Number.isFinite(value)
      ? { skipped: 'no finite estimate: the probes left the domain' }
      : Number.isFinite(error)
        ? { value, error }
        : { skipped: 'the expression changes faster than the doubles near the point resolve' };
  });
  return out;
}

/**
 * The one-sided derivatives of the expression in one variable at a point where relu/abs (or step/sign) arguments sit
 * at 0 or within `kinkTolerance` of it, and the one-sided limits of its value.
 *
 * @example
 * ```ts
 * const tape = tapeOf(parse('abs(x)'));
 * oneSidedSlopes(tape, [0], 'x', { step: 1e-20, lengthScale: Infinity, kinkTolerance: 1e-8 }).right; // 1
 * ```
 */
export interface OneSided {
  /** The derivative from the left, `lim (f(x) - f(x - t))/t` as t ↓ 0. */
  readonly left: number;
  /** The derivative from the right, `lim (f(x + t) - f(x))/t` as t ↓ 0. */
  readonly right: number;
  /** The limit of the value from the left (differs from the value where a step or sign jumps). */
  readonly leftValue: number;
  /** The limit of the value from the right. */
  readonly rightValue: number;
  /** How far the values above may move with the step alone (the `h²` terms): a larger gap is a jump. */
  readonly valueDrift: number;
}

/**
 * The one-sided slopes by one-sided complex steps. Each kinked function (relu, abs, step, sign) is linear on either
 * side of 0, so once every kink whose argument is within `kinkTolerance` of 0 is held on one branch, the expression
 * is analytic near the point and `Im f(x + ih)/h` is its derivative there, exact to rounding as any complex step.
 * The branch is the side the argument moves to: the sign of its imaginary part `h·∂u/∂v` (the sign of its real part
 * where it does not move). A step `h > 0` gives the derivative on the right, `h < 0` the one on the left, each
 * extrapolated over `h` and `2h` as the complex step is. A kink exactly at 0 takes its branch's value there (0 for
 * relu and abs; 0 or 1 for step, ±1 for sign), so a jump shows as a one-sided value apart from the value. (Next to
 * a kink, the branch not taken is extended to the argument, so the values then say nothing about a jump.)
 *
 * The step is `1e-20` times the variable's size (1 at 0) or its length scale, whichever is smaller, or the complex
 * step's own for this variable where that is smaller (it shrank it so that no value moves); never the larger step
 * the complex step takes where `h·f'` underflows, which at a kink would reach past it.
 *
 * @example
 * ```ts
 * oneSidedSlopes(tapeOf(parse('x*abs(x)')), [0], 'x', { step: 1e-20, lengthScale: Infinity, kinkTolerance: 1e-8 });
 * // { left: 0, right: 0, … }
 * ```
 */
export function oneSidedSlopes(
  tape: Tape,
  x: readonly number[],
  variable: string,
  opts: { readonly step: number; readonly lengthScale: number; readonly kinkTolerance: number },
): OneSided {
  const { kinkTolerance } = opts;
  const real = valuesProgram(tape)(x);
  const held = new Set(
    kinkNodes(tape).filter((i) => !(Math.abs(kinkArgument(tape, i, real)) > kinkTolerance)),
  );
  const seed = tape.variables.indexOf(variable);
  const side = (h: number): { slope: number; value: number; drift: number } => {
    const z1 = evaluateHeld(tape, x, held, seed, h);
    const z2 = evaluateHeld(tape, x, held, seed, 2 * h);
    const d1 = z1.im / h;
    const d2 = z2.im / (2 * h);
    return {
      slope: (d1 === d2 ? d1 : (4 * d1 - d2) / 3) + 0, // + 0: no -0
      value: z1.re,
      drift: 2 * Math.abs(z2.re - z1.re),
    };
  };
  const at = Math.abs(x[seed] ?? NaN);
  const size = Math.min(at > 0 ? at : 1, opts.lengthScale > 0 ? opts.lengthScale : Infinity);
  const base = Math.max(COMPLEX_STEP * size, MIN_NORMAL);
  const h = opts.step > 0 ? Math.min(opts.step, base) : base;
  const right = side(h);
  const left = side(-h);
  return {
    left: left.slope,
    right: right.slope,
    leftValue: left.value,
    rightValue: right.value,
    valueDrift: Math.max(left.drift, right.drift),
  };
}

/** The expression in complex arithmetic, variable `seed` perturbed by `i·h`, the kinks in `held` on one branch. */
function evaluateHeld(
  tape: Tape,
  x: readonly number[],
  held: ReadonlySet<number>,
  seed: number,
  h: number,
): Complex {
  const z = evaluateComplex(
    tape,
    x,
    seed,
    h,
    (fn, u, i) => (held.has(i) && u.im !== 0 ? onBranch(fn, u) : complexCall(fn, u)),
    (fn, a, b, i) =>
      held.has(i) && a.im !== b.im && FUNCTIONS2[fn].kink !== undefined
        ? onBranch2(fn, a, b)
        : complexCall2(fn, a, b),
  );
  return z[z.length - 1] ?? complex(NaN, NaN);
}

/**
 * A kinked function on the branch its argument `u` moves to (the sign of `u.im`). Every such function is linear on
 * each side of 0: its branch is `c·t + d`, read off the function itself at ±1, and taken on the whole of `u` (at an
 * argument next to 0 but not at it, the other side's branch is extended to it).
 */
function onBranch(fn: FnName, u: Complex): Complex {
  const side = u.im > 0 ? 1 : -1;
  const c = complexCall(fn, complex(side, 1)).im;
  const d = complexCall(fn, complex(side)).re - c * side;
  return complex(c * u.re + d, c * u.im);
}

/**
 * min or max on the branch the difference of its arguments moves to (the sign of `Im(a - b)`): the argument the
 * function picks where `a - b` has that sign, read off the function itself at (±1, 0), taken whole (next to a tie
 * but not at it, that branch is extended to the point).
 */
function onBranch2(fn: Fn2Name, a: Complex, b: Complex): Complex {
  const side = a.im - b.im > 0 ? 1 : -1;
  return complexCall2(fn, complex(side), complex(0)).re === side ? a : b;
}
