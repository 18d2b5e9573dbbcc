import type { Expr, Fn2Name, FnName } from '@crossgrad/symbolic';
import { type Complex, cadd, cmul, complex, cpow } from './complex.js';
import {
  dependence,
  derivativeScales,
  type Kink,
  kinkArgument,
  kinkNodes,
  MIN_NORMAL,
  pointFacts,
  type PointFacts,
  shortestScale,
  slopeRounding,
} from './error-model.js';
import { valueNoise, valuesProgram } from './real-eval.js';
import { COMPLEX_STEP, complexCall, complexCall2, localSlopes } from './slopes.js';
import { pointValues, type Tape, tapeOf } from './tape.js';

export { COMPLEX_STEP };
export type { Kink };

/**
 * What {@link complexStep} found: a derivative for every variable some step resolves, and for the others why none
 * can.
 *
 * @example
 * ```ts
 * const r: ComplexStepResult = complexStep(parse('sqrt(x) + y'), { x: 0, y: 1 });
 * r.gradient; // { y: 1 }
 * r.unresolved; // { x: 'sqrt(x) has an infinite slope here' }
 * ```
 */
export interface ComplexStepResult {
  /** ∂f/∂v for every variable a step resolves. */
  readonly gradient: Readonly<Record<string, number>>;
  /** Per variable that no step resolves, the reason (the value is not a real number, an infinite slope, …). */
  readonly unresolved: Readonly<Record<string, string>>;
  /** The step `h` taken per variable (the last one tried for an unresolved variable). */
  readonly step: Readonly<Record<string, number>>;
}

/**
 * Everything one complex-step evaluation learns about an expression at a point.
 * @example
 * ```ts
 * const d: ComplexStepDetail = complexStepDetail(tapeOf(parse('x * y')), { x: 2, y: 3 });
 * d.gradient; // { x: 3, y: 2 }
 * d.magnitude; // { x: 3, y: 2 }
 * ```
 */
export interface ComplexStepDetail {
  /** The expression's value (real part of the evaluation). */
  readonly value: number;
  /**
   * `Im f(x + ih)/h` per variable at the step taken, even where it is no derivative (NaN at a point outside the
   * domain, ±Infinity at a pole); `unresolved` says where.
   */
  readonly gradient: Readonly<Record<string, number>>;
  /** Per variable that no step resolves, why. */
  readonly unresolved: Readonly<Record<string, string>>;
  /** The step taken per variable. */
  readonly step: Readonly<Record<string, number>>;
  /**
   * Per variable, the size of the derivative computation: the chain rule with every local slope and factor in
   * absolute value, and the differences in the usual slope formulas (`1 - tanh²`, `s·(1 - s)`) counted as sums.
   * Rounding in a derivative computed by rules is a small multiple of `eps · magnitude`; where terms cancel, that
   * is far larger than the derivative itself.
   */
  readonly magnitude: Readonly<Record<string, number>>;
  /**
   * Per variable, a first-order bound on the rounding error of ∂f/∂v as the chain rule computes it: errors in the
   * operands' values move the local slopes, and errors in slopes carry through the products. Large where the
   * values under a derivative cancel (`x·tanh(y)` expanded, at a tiny `y`). Never NaN.
   */
  readonly rounding: Readonly<Record<string, number>>;
  /**
   * Per variable, the shortest distance over which some function in the expression changes on its own scale;
   * Infinity for a polynomial.
   */
  readonly lengthScale: Readonly<Record<string, number>>;
  /** Where the point has no derivative or no real value (see {@link PointFacts}). */
  readonly facts: PointFacts;
  /** The arguments of the non-differentiable functions (relu, abs, step, sign), one per node. */
  readonly kinks: readonly Kink[];
}

/**
 * The gradient of `expr` at `point` by the complex step `Im f(x + ih) / h`, with its own complex arithmetic and no
 * derivative rule, so it is independent of both @crossgrad/symbolic and @crossgrad/autograd. There is no
 * subtraction of nearby values, so the step can be tiny; its error is the `h²` term, relative `(h/L)²` for a length
 * scale `L` of the expression (removed by a second pass at `2h` and Richardson's extrapolation) and the rounding of
 * the evaluation itself: a few ulps where the chain of operations is well conditioned, more where values cancel.
 *
 * The step is scaled to the distance over which the expression changes: `h = 1e-20·s` with `s` the expression's
 * shortest length scale in the variable (the distance to a pole or a domain edge for log, sqrt and powers, `1/|u'|`
 * for sin, exp, …), not the size of the variable (`exp(y)` at `y = 1e-308` changes on a scale of 1); only where the
 * expression has no such scale in it (a polynomial) is `s = |x|` (1 at x = 0). `h` is never below the smallest
 * normal double. A step is taken only if it moves no value of the expression by more than that value's rounding
 * (`(x + ih)²` is `x² - h²`: at `x = 3e-100` a fixed h = 1e-20 made `sqrt(x² + y²)` NaN); otherwise it shrinks,
 * down to the smallest normal double. Where `h` times some slope would underflow (`exp(x)` at -700, whose slope is
 * 1e-304), a larger step, up to `1e-8·s`, is taken instead. Where no step works (an infinite slope, a point outside
 * the domain, a perturbation that moves a value even at the smallest step, `h·f'` below the doubles at every step
 * tried), the variable is listed in `unresolved` with the reason instead of getting a number, never a 0 that only
 * an underflow made.
 *
 * relu, abs, step and sign follow the sign of the real part. A kink exactly at the point (their argument is 0)
 * leaves every variable it depends on unresolved, reason `'<node> is at its kink (argument 0)'`: one step cannot
 * tell `abs(x)`, which has no derivative there, from `abs(x)^2`, which has; {@link compareGradients} decides from the
 * one-sided slopes.
 *
 * @throws MissingVariableError when the point lacks a variable or gives a non-finite value.
 * @example
 * ```ts
 * complexStep(parse('x^2 * sin(y)'), { x: 3, y: 0 }).gradient; // { x: 0, y: 9 }
 * complexStep(parse('sqrt(x)'), { x: 1e-300 }).gradient; // { x: 5e149 }
 * complexStep(parse('log(x)'), { x: -1 }).unresolved; // { x: 'log(x) is not a real number here (NaN)' }
 * complexStep(parse('x * exp(y)'), { x: 2.5e-17, y: 2.2e-308 }).gradient; // { x: 1, y: 2.5e-17 }, h = 1e-20 for y
 * complexStep(parse('abs(x)^2'), { x: 0 }).unresolved; // { x: 'abs(x) is at its kink (argument 0)' }
 * ```
 */
export function complexStep(expr: Expr, point: Readonly<Record<string, number>>): ComplexStepResult {
  const d = complexStepDetail(tapeOf(expr), point);
  const gradient: Record<string, number> = {};
  for (const [name, g] of Object.entries(d.gradient)) if (!(name in d.unresolved)) gradient[name] = g;
  return { gradient, unresolved: { ...d.unresolved }, step: { ...d.step } };
}

/**
 * The complex-step gradient with the extras {@link compareGradients} needs: magnitudes, rounding bounds, length
 * scales, kinks and the facts of the point.
 *
 * @example
 * ```ts
 * complexStepDetail(tapeOf(parse('sqrt(x)')), { x: 0 }).unresolved; // { x: 'sqrt(x) has an infinite slope here' }
 * ```
 */
export function complexStepDetail(tape: Tape, point: Readonly<Record<string, number>>): ComplexStepDetail {
  const x = pointValues(tape, point);
  const { nodes, operands, variables } = tape;
  const n = nodes.length;
  // The values in real arithmetic, IEEE as every other evaluator here: the real part of a complex evaluation is not
  // (a complex product with an infinite factor has a NaN imaginary part, which the next product carries into the
  // real part: x·∞ would be NaN, not ∞).
  const real = Array.from(valuesProgram(tape)(x));
  const slopes = localSlopes(tape, real);
  const noise = valueNoise(tape, real);
  const slopeErrors = slopeRounding(tape, real, noise);
  const depends = dependence(tape);
  const facts = pointFacts(tape, real, slopes, depends);
  const kinkAt = kinkNodes(tape);
  const kinkSlopes = kinkAt.map((): Record<string, number> => ({}));
  const gradient: Record<string, number> = {};
  const unresolved: Record<string, string> = {};
  const step: Record<string, number> = {};
  const magnitude: Record<string, number> = {};
  const rounding: Record<string, number> = {};
  const lengthScale: Record<string, number> = {};
  const valueFault = facts.undefinedValue ?? facts.overflow;
  variables.forEach((name, v) => {
    const { magnitudes, roundings } = derivativeScales(tape, name, slopes, slopeErrors);
    magnitude[name] = magnitudes[n - 1] ?? 0;
    rounding[name] = roundings[n - 1] ?? 0;
    const scale = shortestScale(tape, real, magnitudes);
    lengthScale[name] = scale;
    const xv = x[v] ?? 0;
    const taken = takeStep(tape, x, v, real, noise, stepSize(xv, scale), magnitudes, depends.get(name));
    step[name] = taken.h;
    const slope = (i: number): number => {
      const d1 = (taken.z[i]?.im ?? NaN) / taken.h;
      const d2 = (taken.z2[i]?.im ?? NaN) / (2 * taken.h);
      // Im f(x + ih)/h = f'(x) - h²f'''(x)/6 + …: the h² term is far below rounding, except where f' itself is 0
      // (x³ at 0 gives -h²). Richardson's (4·D(h) - D(2h))/3 removes it.
      return d1 === d2 ? d1 : (4 * d1 - d2) / 3;
    };
    gradient[name] = slope(n - 1);
    kinkAt.forEach((node, k) => {
      const into = kinkSlopes[k];
      const ops = operands[node] ?? [];
      // The kink's argument: min's and max's is the difference of theirs.
      if (into !== undefined) {
        into[name] = ops.length === 2 ? slope(ops[0] ?? -1) - slope(ops[1] ?? -1) : slope(ops[0] ?? -1);
      }
    });
    const reason =
      valueFault ??
      facts.notDifferentiable[name] ??
      taken.fault ??
      (Number.isFinite(gradient[name]) ? undefined : 'the derivative is not a finite double');
    if (reason !== undefined) unresolved[name] = reason;
  });
  const kinks = kinkAt.map((node, k): Kink => ({
    fn: nodeFn(nodes[node]),
    argument: kinkArgument(tape, node, real),
    slope: kinkSlopes[k] ?? {},
    variables: variables.filter((name) => depends.get(name)?.[node] === 1),
  }));
  return {
    value: real[n - 1] ?? NaN,
    gradient,
    unresolved,
    step,
    magnitude,
    rounding,
    lengthScale,
    facts,
    kinks,
  };
}

function nodeFn(e: Expr | undefined): string {
  return e?.kind === 'call' || e?.kind === 'call2' ? e.fn : '';
}

/**
 * The size the step is relative to: the distance over which the expression changes in this variable (its length
 * scale: to a pole or the end of a domain for log, sqrt and powers, `1/|u'|` for sin, exp, …), whatever the size of
 * the variable itself: `exp(y)` at `y = 1e-308` changes on a scale of 1, and a step of `1e-20·|y|` would make
 * `h·f'` underflow. Only an expression with no such scale in the variable (a polynomial, or a point where the scale
 * is 0 or not a number) takes the variable's own size, 1 at 0.
 */
function stepSize(x: number, lengthScale: number): number {
  if (lengthScale > 0 && lengthScale < Infinity) return lengthScale;
  return x === 0 ? 1 : Math.abs(x);
}

/** The step relative to the point: the complex step's `h²` error is then far below rounding. */
const STEP_SCALE = 1e-20;
/**
 * The largest step relative to the point, taken only where `h·f'` would underflow at the usual one: its `h²` error,
 * relative `(h/L)²` = 1e-16, is removed by the extrapolation.
 */
const MAX_STEP_SCALE = 1e-8;
/** How much the step shrinks when it moved a value. */
const SHRINK = 1e-8;

/** A step and its two evaluations, or why no step works. */
interface Taken {
  readonly h: number;
  readonly z: readonly Complex[];
  readonly z2: readonly Complex[];
  readonly fault: string | undefined;
}

/**
 * The step for variable `v`: from `1e-20·size` down (shrinking by 1e-8, to the smallest normal double) until the
 * evaluations at `h` and `2h` leave every finite value where it was, to its rounding. Where `h·f'` would then
 * underflow (`exp(x)` at -700: 1e-20 × 1e-304), a step up to `1e-8·size` is tried instead.
 */
function takeStep(
  tape: Tape,
  x: readonly number[],
  v: number,
  real: readonly number[],
  noise: ArrayLike<number>,
  size: number,
  magnitudes: Float64Array,
  dep: Uint8Array | undefined,
): Taken {
  const magnitude = magnitudes[magnitudes.length - 1] ?? 0;
  const at = (h: number): Taken => {
    const z = evaluateComplex(tape, x, v, h);
    const z2 = evaluateComplex(tape, x, v, 2 * h);
    return { h, z, z2, fault: stepFault(z, real, noise) ?? stepFault(z2, real, noise) };
  };
  // Some node's h·∂node/∂v is below 2^-1040, where a subnormal keeps fewer than 34 bits (1e-10), or underflowed to 0
  // where its magnitude says it is not 0: its imaginary part has lost bits, and the derivative with it. Scaled by
  // 2^520 twice so that the test itself neither underflows nor overflows.
  const lost = (t: Taken): boolean =>
    t.z.some((c, i) => {
      if (dep?.[i] !== 1) return false;
      // A tiny value stands in for a magnitude whose own slope underflowed (exp at -700: value and slope 1e-304).
      const m = Math.max(magnitudes[i] ?? 0, Math.abs(real[i] ?? 0) / size);
      if (m === 0 || !Number.isFinite(m)) return false;
      const scaled = c.im === 0 ? m * (t.h * 2 ** 520) : Math.abs(c.im) * 2 ** 520;
      return scaled * 2 ** 520 < 1;
    });
  let taken = at(Math.max(STEP_SCALE * size, MIN_NORMAL));
  if (taken.fault === undefined && lost(taken)) {
    // A larger step keeps h·f' in range (exp(x) at -700, x² at 3e-152); its h² error is removed by the extrapolation.
    const tried = at(Math.max(MAX_STEP_SCALE * size, MIN_NORMAL));
    if (tried.fault === undefined && curved(tried, magnitude) === undefined) taken = tried;
  }
  for (;;) {
    if (taken.fault !== undefined && taken.fault.startsWith(FINAL)) return taken;
    const fault = taken.fault ?? curved(taken, magnitude);
    if (fault === undefined) break;
    // Shrinking cannot help once h·f' has lost bits: the bend may be that rounding.
    if (lost(taken) || taken.h <= MIN_NORMAL) return { ...taken, fault: taken.fault ?? UNDERFLOW };
    taken = at(Math.max(taken.h * SHRINK, MIN_NORMAL));
  }
  return lost(taken) ? { ...taken, fault: UNDERFLOW } : taken;
}

const UNDERFLOW = 'the derivative times the step underflows';

/**
 * The two steps disagree by more than the `h²` term should make them (`Im/h` at `h` and at `2h`): the step is not
 * small next to how fast the expression bends, though no value moved beyond its (first-order) rounding bound, as
 * `(1 + x)^y` at a y of -2.5e21 with h = 1e-20.
 */
function curved(t: Taken, magnitude: number): string | undefined {
  const { z, z2, h } = t;
  const d1 = (z[z.length - 1]?.im ?? NaN) / h;
  const d2 = (z2[z2.length - 1]?.im ?? NaN) / (2 * h);
  if (!Number.isFinite(d1) || !Number.isFinite(d2)) return undefined;
  const allowed = 1e-6 * Math.max(Math.abs(d1), Math.abs(d2), magnitude) + 1e-30;
  return Math.abs(d1 - d2) <= allowed
    ? undefined
    : 'no step resolves it: the expression bends within the smallest step';
}

/** The start of a fault no smaller step can cure. */
const FINAL = 'an infinite slope';

/**
 * Why a step does not work: a slope is infinite (no step will), or a finite value moved by more than its rounding
 * (a smaller step may work).
 */
function stepFault(
  z: readonly Complex[],
  real: readonly number[],
  noise: ArrayLike<number>,
): string | undefined {
  for (let i = 0; i < z.length; i++) {
    const r = real[i] ?? NaN;
    const c = z[i];
    if (!Number.isFinite(r) || c === undefined) continue;
    if (!Number.isFinite(c.im)) return FINAL;
    const allowed = 4 * (noise[i] ?? 0) + 4 * EPS * Math.abs(r);
    if (!(Math.abs(c.re - r) <= allowed)) {
      return 'no step resolves it: the perturbation moves a value even at the smallest normal step';
    }
  }
  return undefined;
}

const EPS = Number.EPSILON;

/**
 * Evaluates the tape in complex arithmetic with variable `seed` perturbed by `i·h` (none when `seed` is -1).
 * `call` evaluates node `i`'s function (by default the function table's complex version); the one-sided slopes at
 * a kink pass one that holds the kinks on a branch.
 *
 * @example
 * ```ts
 * const z = evaluateComplex(tapeOf(parse('x^2')), [3], 0, 1e-20);
 * z[z.length - 1]; // { re: 9, im: 6e-20 }: Im f(x + ih) / h is the derivative 6
 * ```
 */
export function evaluateComplex(
  tape: Tape,
  x: readonly number[],
  seed: number,
  h: number,
  call: (fn: FnName, u: Complex, i: number) => Complex = complexCall,
  call2: (fn: Fn2Name, a: Complex, b: Complex, i: number) => Complex = complexCall2,
): Complex[] {
  const { nodes, operands, variables } = tape;
  const slot = new Map(variables.map((name, i) => [name, i]));
  const z: Complex[] = new Array<Complex>(nodes.length);
  const at = (k: number): Complex => z[k] ?? NAN;
  for (let i = 0; i < nodes.length; i++) {
    const e = nodes[i];
    const ops = operands[i] ?? [];
    if (e === undefined) continue;
    switch (e.kind) {
      case 'num':
        z[i] = complex(e.value);
        break;
      case 'sym': {
        const v = slot.get(e.name) ?? -1;
        z[i] = complex(x[v] ?? NaN, v === seed ? h : 0);
        break;
      }
      case 'add':
        z[i] = ops.reduce((acc, k) => cadd(acc, at(k)), complex(0));
        break;
      case 'mul':
        z[i] = ops.reduce((acc, k) => cmul(acc, at(k)), complex(1));
        break;
      case 'pow':
        z[i] = cpow(at(ops[0] ?? -1), at(ops[1] ?? -1));
        break;
      case 'call':
        z[i] = call(e.fn, at(ops[0] ?? -1), i);
        break;
      case 'call2':
        z[i] = call2(e.fn, at(ops[0] ?? -1), at(ops[1] ?? -1), i);
        break;
    }
  }
  return z;
}

const NAN: Complex = { re: NaN, im: NaN };
