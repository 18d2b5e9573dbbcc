import { type Expr, format } from '@crossgrad/symbolic';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { lostSlope, underflowed } from './range.js';
import { call2Slopes, callSlope, powSlopes } from './slopes.js';
import type { Tape } from './tape.js';

/**
 * The error model behind this package's tolerances and verdicts: for one expression at one point, how large a
 * derivative computation is (its magnitude), how far rounding can move it (its rounding bound), how far a variable
 * can move before some function in the expression changes on its own scale (its length scale), and where the point
 * sits against the expression's kinks, poles and domain edges. Every number comes from the values at the point and
 * from local slopes found by the complex step on one operation, never from a derivative rule.
 */

const EPS = Number.EPSILON;
/**
 * The smallest positive normal double.
 * @example
 * ```ts
 * MIN_NORMAL === 2 ** -1022; // true
 * ```
 */
export const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * A relu/abs/step/sign node's argument: its value and its slope in each variable.
 * @example
 * ```ts
 * complexStepDetail(tapeOf(parse('relu(x - y)')), { x: 1, y: 1 }).kinks[0]; // { fn: 'relu', argument: 0, … }
 * ```
 */
export interface Kink {
  /** The kinked function. */
  readonly fn: string;
  /** The argument's value at the point (`a - b` for min and max: 0 at a tie). */
  readonly argument: number;
  /** ∂argument/∂v per variable. */
  readonly slope: Readonly<Record<string, number>>;
  /** The variables the argument depends on (structurally, even where its slope is 0). */
  readonly variables: readonly string[];
}

/**
 * What the values at the point say about whether the expression has a derivative there, before any oracle runs.
 * Each field is the reason (one line) or undefined.
 *
 * @example
 * ```ts
 * complexStepDetail(tapeOf(parse('log(x)')), { x: -1 }).facts.undefinedValue; // 'log(x) is not a real number here (NaN)'
 * ```
 */
export interface PointFacts {
  /** Some value is not a real number: NaN (outside the domain) or ±Infinity from a pole. */
  readonly undefinedValue: string | undefined;
  /** Some value overflows the double range (the number exists, the double does not). */
  readonly overflow: string | undefined;
  /**
   * Per variable: the expression has no derivative in it here (an infinite slope, the end of the domain, a kink
   * exactly at the point).
   */
  readonly notDifferentiable: Readonly<Record<string, string>>;
  /**
   * Per variable: the first reason in `notDifferentiable` other than a kink at the point (an infinite slope, the end
   * of the domain). A relu/abs kink exactly at the point settles nothing by itself: `abs(x)^2` and `x·relu(x)` have
   * a derivative at 0 and `abs(x)` has none, so {@link compareGradients} decides those from the one-sided slopes.
   */
  readonly singular: Readonly<Record<string, string>>;
  /** Per variable: some value or slope it reaches underflows where a chain rule multiplies it by a large number. */
  readonly underflow: Readonly<Record<string, string>>;
}

/**
 * A short name of a subexpression for a reason line.
 * @example
 * ```ts
 * describeNode(parse('sin(x) * y')); // 'y * sin(x)'
 * ```
 */
export function describeNode(e: Expr): string {
  const text = format(e);
  return text.length <= 40 ? text : `${text.slice(0, 37)}…`;
}

/**
 * Per variable, which tape nodes depend on it (structurally: `x^2` depends on x even where its slope is 0).
 *
 * @example
 * ```ts
 * dependence(tapeOf(parse('x * y'))).get('x'); // Uint8Array [1, 0, 1]: x, y, x·y
 * ```
 */
export function dependence(tape: Tape): Map<string, Uint8Array> {
  const { nodes, operands, variables } = tape;
  const out = new Map<string, Uint8Array>();
  for (const name of variables) {
    const dep = new Uint8Array(nodes.length);
    nodes.forEach((e, i) => {
      if (e.kind === 'sym') dep[i] = e.name === name ? 1 : 0;
      else for (const k of operands[i] ?? []) if (dep[k] === 1) dep[i] = 1;
    });
    out.set(name, dep);
  }
  return out;
}

/**
 * Classifies the point: where a value is not a real number (and why), where a value overflows, and per variable
 * where the expression has no derivative (infinite slope, one-sided domain, a kink exactly at 0) or where a value
 * or slope underflows under a chain rule.
 *
 * @example
 * ```ts
 * const tape = tapeOf(parse('sqrt(x)'));
 * const real = [0, 0];
 * pointFacts(tape, real, localSlopes(tape, real), dependence(tape)).notDifferentiable; // { x: 'sqrt(x) has an infinite slope here' }
 * ```
 */
export function pointFacts(
  tape: Tape,
  real: readonly number[],
  slopes: readonly (readonly number[])[],
  depends: ReadonlyMap<string, Uint8Array>,
): PointFacts {
  const { nodes, operands } = tape;
  let undefinedValue: string | undefined;
  let overflow: string | undefined;
  const notDifferentiable: Record<string, string> = {};
  const singular: Record<string, string> = {};
  const underflow: Record<string, string> = {};
  for (let i = 0; i < nodes.length; i++) {
    const e = nodes[i];
    const ops = operands[i];
    const v = real[i];
    if (e === undefined || ops === undefined || v === undefined) continue;
    const args = ops.map((k) => real[k] ?? NaN);
    const operandsFinite = args.every((a) => Number.isFinite(a));
    if (!Number.isFinite(v) && operandsFinite) {
      if (e.kind === 'num') undefinedValue ??= constantFault(v);
      else if (Number.isNaN(v)) undefinedValue ??= `${describeNode(e)} is not a real number here (NaN)`;
      else if (isPole(e, args)) undefinedValue ??= `${describeNode(e)} has a pole here (${v})`;
      else overflow ??= `${describeNode(e)} overflows the double range`;
    }
    if (!operandsFinite || !Number.isFinite(v)) continue;
    for (const [name, dep] of depends) {
      if (dep[i] !== 1 || name in singular) continue;
      const reason = noDerivative(e, ops, args, slopes[i] ?? [], dep);
      if (reason !== undefined) {
        notDifferentiable[name] ??= reason.text;
        if (!reason.kink) singular[name] = reason.text;
      } else if (!(name in underflow) && underflows(e, real, i, ops, slopes[i] ?? [])) {
        underflow[name] = `${describeNode(e)} underflows under a chain rule`;
      }
    }
  }
  return { undefinedValue, overflow, notDifferentiable, singular, underflow };
}

/**
 * Why an infinite or NaN constant leaves no real value: the builders fold `1/0` and `1e308 * 10` to Infinity as
 * IEEE does, and a number past the double range reads as Infinity, so the constant stands for a pole.
 */
function constantFault(v: number): string {
  return Number.isNaN(v)
    ? 'the constant NaN (such as 0/0 folds to) is not a real number'
    : `the constant ${Math.abs(v)} (a division by 0 or a number past the double range, folded as the expression ` +
        'was built) is a pole, not a real number';
}

/** A value made infinite by a pole: `0^w` for a negative `w`, a function's pole (`log(0)`; see the function table). */
function isPole(e: Expr, args: readonly number[]): boolean {
  if (e.kind === 'pow') return args[0] === 0 && (args[1] ?? 0) < 0;
  return e.kind === 'call' && FUNCTIONS[e.fn].pole(args[0] ?? NaN);
}

/** Why node `e` has no derivative in an operand it depends on through, and whether that is a kink; or undefined. */
function noDerivative(
  e: Expr,
  ops: readonly number[],
  args: readonly number[],
  slopes: readonly number[],
  dep: Uint8Array,
): { readonly text: string; readonly kink: boolean } | undefined {
  if (e.kind === 'call' && FUNCTIONS[e.fn].kink && args[0] === 0 && dep[ops[0] ?? -1] === 1) {
    return { text: `${describeNode(e)} is at its kink (argument 0)`, kink: true };
  }
  if (e.kind === 'call2') {
    const { kink, cut } = FUNCTIONS2[e.fn];
    if (cut !== undefined && dep[ops[0] ?? -1] === 1 && cut(args[0] ?? NaN, args[1] ?? NaN) === 0) {
      return {
        text: `${describeNode(e)} is on its cut (first argument 0, second negative): the value jumps between π and -π`,
        kink: false,
      };
    }
    const moves = dep[ops[0] ?? -1] === 1 || dep[ops[1] ?? -1] === 1;
    if (kink !== undefined && moves && kink(args[0] ?? NaN, args[1] ?? NaN) === 0) {
      return { text: `${describeNode(e)} is at its kink (its arguments tie)`, kink: true };
    }
    for (let k = 0; k < 2; k++) {
      if (dep[ops[k] ?? -1] === 1 && Number.isNaN(slopes[k] ?? NaN)) {
        return { text: `${describeNode(e)} has no derivative here (0/0)`, kink: false };
      }
    }
  }
  if (e.kind === 'pow' && args[0] === 0 && dep[ops[0] ?? -1] === 1 && !Number.isInteger(args[1])) {
    return { text: `${describeNode(e)}: the domain ends at 0 (a one-sided slope)`, kink: false };
  }
  for (let k = 0; k < ops.length; k++) {
    if (dep[ops[k] ?? -1] === 1 && !Number.isFinite(slopes[k] ?? NaN)) {
      return { text: `${describeNode(e)} has an infinite slope here`, kink: false };
    }
  }
  return undefined;
}

/**
 * Node `i` lost its value or its slope towards 0 (see `underflowed`): the power's slope in its base counts too, for
 * the chain rule multiplies it by the rest of the derivative.
 */
function underflows(
  e: Expr,
  real: readonly number[],
  i: number,
  ops: readonly number[],
  slopes: readonly number[],
): boolean {
  if (underflowed(e, real, i, ops)) return true;
  if (e.kind !== 'pow') return false;
  const b = real[ops[0] ?? -1] ?? NaN;
  return b !== 0 && Number.isFinite(b) && real[ops[1] ?? -1] !== 0 && lostSlope(slopes[0] ?? 0);
}

/**
 * Per node and operand, how much the local slope can move when the operands' values move by their rounding error
 * (`noise`): a derivative computed by the chain rule multiplies slopes taken at rounded values. Found by re-taking
 * the slope at the moved values, so without derivative rules. Where moving an operand by its whole rounding error
 * leaves the function's domain (`sqrt(1 - x)` at `x = 1 - 2^-53`, where `1 - x` is 2^-53 and its bound 4e-16), the
 * move is halved until the slope exists and the change scaled back up, a first-order bound that is never NaN.
 *
 * @example
 * ```ts
 * const tape = tapeOf(parse('sqrt(1 - x)'));
 * const real = valuesProgram(tape)([1 - 2 ** -53]);
 * slopeRounding(tape, [...real], valueNoise(tape, real)); // finite everywhere, never NaN
 * ```
 */
export function slopeRounding(tape: Tape, real: readonly number[], noise: ArrayLike<number>): number[][] {
  const { nodes, operands } = tape;
  const at = (k: number): number => real[k] ?? NaN;
  const err = (k: number): number => noise[k] ?? 0;
  return nodes.map((e, i) => {
    const ops = operands[i] ?? [];
    switch (e.kind) {
      case 'num':
      case 'sym':
        return [];
      case 'add':
        return ops.map(() => 0);
      case 'mul':
        return ops.map((_, k) => {
          let total = 0;
          for (let j = 0; j < ops.length; j++) {
            const nj = err(ops[j] ?? -1);
            if (j === k || nj === 0) continue;
            let p = nj;
            for (let l = 0; l < ops.length; l++) if (l !== j && l !== k) p *= Math.abs(at(ops[l] ?? -1));
            total += p;
          }
          return total;
        });
      case 'pow': {
        const b = at(ops[0] ?? -1);
        const w = at(ops[1] ?? -1);
        const byBase = slopeChange((d) => powSlopes(b + d, w), err(ops[0] ?? -1), 2);
        const byExponent = slopeChange((d) => powSlopes(b, w + d), err(ops[1] ?? -1), 2);
        return [0, 1].map((k) => (byBase[k] ?? 0) + (byExponent[k] ?? 0));
      }
      case 'call': {
        const u = at(ops[0] ?? -1);
        return slopeChange((d) => [callSlope(e.fn, u + d)], err(ops[0] ?? -1), 1);
      }
      case 'call2': {
        const a = at(ops[0] ?? -1);
        const b = at(ops[1] ?? -1);
        const byA = slopeChange((d) => call2Slopes(e.fn, a + d, b), err(ops[0] ?? -1), 2);
        const byB = slopeChange((d) => call2Slopes(e.fn, a, b + d), err(ops[1] ?? -1), 2);
        return [0, 1].map((k) => (byA[k] ?? 0) + (byB[k] ?? 0));
      }
    }
  });
}

/**
 * Per entry, the largest change of `slopes(d)` from `slopes(0)` for `d` = ±`delta`, halving the move (and scaling
 * the change back) while both moved slopes are not finite. 0 for a zero `delta`; Infinity only where no move has a
 * slope.
 */
function slopeChange(slopes: (d: number) => readonly number[], delta: number, count: number): number[] {
  if (delta === 0) return new Array<number>(count).fill(0);
  const s0 = slopes(0);
  const out = s0.map((v) => (Number.isFinite(v) ? NaN : Infinity));
  for (let d = delta, halvings = 0; halvings <= 60 && d > 0 && out.some(Number.isNaN); d /= 2, halvings++) {
    const up = slopes(d);
    const down = slopes(-d);
    out.forEach((o, k) => {
      if (!Number.isNaN(o)) return;
      const at = s0[k] ?? NaN;
      const u = Math.abs((up[k] ?? NaN) - at);
      const w = Math.abs((down[k] ?? NaN) - at);
      const change = Number.isFinite(u) ? (Number.isFinite(w) ? Math.max(u, w) : u) : w;
      if (Number.isFinite(change)) out[k] = change * (delta / d);
    });
  }
  return out.map((o) => (Number.isNaN(o) ? Infinity : o));
}

/**
 * One variable's derivative computation: per node its magnitude and rounding bound.
 * @example
 * ```ts
 * derivativeScales(tape, 'x', slopes, slopeErrors).magnitudes; // one entry per tape node
 * ```
 */
export interface DerivativeScales {
  /** Per node, ∂node/∂v with every local slope and factor in absolute value. */
  readonly magnitudes: Float64Array;
  /** Per node, a first-order bound on the rounding error of ∂node/∂v as the chain rule computes it. */
  readonly roundings: Float64Array;
}

/**
 * The magnitude and rounding bound of ∂node/∂`name` for every node, in one pass over the tape: the chain rule with
 * absolute values, and with the errors in the operands' values moving the slopes (`slopeErrors`) and the errors in
 * the slopes carried through the products.
 *
 * @example
 * ```ts
 * const { magnitudes, roundings } = derivativeScales(tape, 'x', slopes, slopeErrors);
 * magnitudes[magnitudes.length - 1]; // the derivative's magnitude
 * ```
 */
export function derivativeScales(
  tape: Tape,
  name: string,
  slopes: readonly (readonly number[])[],
  slopeErrors: readonly (readonly number[])[],
): DerivativeScales {
  const { nodes, operands } = tape;
  const n = nodes.length;
  const magnitudes = new Float64Array(n);
  const roundings = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = nodes[i];
    if (e === undefined) continue;
    if (e.kind === 'num' || e.kind === 'sym') {
      magnitudes[i] = e.kind === 'sym' && e.name === name ? 1 : 0;
      continue;
    }
    let m = 0;
    let r = 0;
    const ops = operands[i] ?? [];
    const s = slopes[i] ?? [];
    const ds = slopeErrors[i] ?? [];
    for (let k = 0; k < ops.length; k++) {
      const op = ops[k] ?? -1;
      const mk = magnitudes[op] ?? 0;
      const rk = roundings[op] ?? 0;
      // A derivative of 0 can still carry rounding (the slope of u² at a u that rounded to 0).
      if (rk !== 0) r += (s[k] ?? 0) * rk;
      if (mk === 0) continue;
      m += (s[k] ?? 0) * mk;
      r += (ds[k] ?? 0) * mk;
    }
    magnitudes[i] = m;
    roundings[i] = r + EPS * ops.length * m;
  }
  return { magnitudes, roundings };
}

/**
 * How far the variable can move before some function in the expression sees its argument change on that function's
 * own scale: `1/|u'|` for sin, exp, …; `|u|/|u'|` for log and sqrt, `|u|/(|w|·|u'|)` for `u^w` (except a whole
 * power at 0). With the
 * magnitudes standing in for `|u'|`. Finite differences need a first step below this, or they average an
 * oscillation away instead of resolving it; the complex step needs a step far below it.
 *
 * @example
 * ```ts
 * // sin(1000·x): the variable moves by 1e-3 before sin sees a change of 1
 * shortestScale(tape, real, magnitudes); // 0.001
 * ```
 */
export function shortestScale(tape: Tape, real: readonly number[], magnitudes: Float64Array): number {
  let scale = Infinity;
  tape.nodes.forEach((e, i) => {
    const ops = tape.operands[i] ?? [];
    if (e.kind === 'call') {
      const m = magnitudes[ops[0] ?? -1] ?? 0;
      if (m === 0) return;
      const own = FUNCTIONS[e.fn].scale;
      if (own === 'unit') scale = Math.min(scale, 1 / m);
      else if (own === 'relative') scale = Math.min(scale, Math.abs(real[ops[0] ?? -1] ?? NaN) / m);
    } else if (e.kind === 'call2') {
      // atan2 changes on the scale of the point's distance to the origin.
      const m = Math.max(magnitudes[ops[0] ?? -1] ?? 0, magnitudes[ops[1] ?? -1] ?? 0);
      if (m === 0 || FUNCTIONS2[e.fn].scale !== 'relative') return;
      scale = Math.min(scale, Math.hypot(real[ops[0] ?? -1] ?? NaN, real[ops[1] ?? -1] ?? NaN) / m);
    } else if (e.kind === 'pow') {
      const b = ops[0] ?? -1;
      const w = ops[1] ?? -1;
      const mb = magnitudes[b] ?? 0;
      const mw = magnitudes[w] ?? 0;
      const rb = real[b] ?? NaN;
      const rw = real[w] ?? NaN;
      // b^w changes by its own size when b moves by |b|/|w| (x^1000 at 1: by 1e-3). A whole power is smooth at 0,
      // so there it sets no scale.
      const whole = mw === 0 && Number.isInteger(rw) && rw >= 0;
      if (mb > 0 && !(whole && rb === 0))
        scale = Math.min(scale, Math.abs(rb) / (mb * Math.max(1, Math.abs(rw))));
      if (mw > 0) scale = Math.min(scale, 1 / (mw * Math.abs(Math.log(Math.abs(rb)))));
    }
  });
  return scale;
}

/**
 * The argument of kink node `i` at the values `real`: the function's argument (relu, abs, step, sign), the
 * difference of the arguments of min and max (0 at a tie), or atan2's `y` where `x < 0` (0 on its cut; Infinity
 * where the point is not beside it).
 *
 * @example
 * ```ts
 * kinkArgument(tapeOf(parse('max(x, y)')), 2, [1, 3, 3]); // -2
 * ```
 */
export function kinkArgument(tape: Tape, i: number, real: ArrayLike<number>): number {
  const e = tape.nodes[i];
  const ops = tape.operands[i] ?? [];
  const at = (k: number | undefined): number => (k === undefined ? NaN : (real[k] ?? NaN));
  if (e?.kind === 'call2') {
    const { kink, cut } = FUNCTIONS2[e.fn];
    return (kink ?? cut)?.(at(ops[0]), at(ops[1])) ?? Infinity;
  }
  return at(ops[0]);
}

/**
 * The relu/abs/step/sign nodes of the tape, min and max, and atan2 (for its cut), in order.
 * @example
 * ```ts
 * kinkNodes(tapeOf(parse('relu(x) + abs(y)'))); // the tape indices of relu(x) and abs(y)
 * ```
 */
export function kinkNodes(tape: Tape): number[] {
  const out: number[] = [];
  tape.nodes.forEach((e, i) => {
    if (e.kind === 'call' && FUNCTIONS[e.fn].kink) out.push(i);
    if (e.kind === 'call2' && (FUNCTIONS2[e.fn].kink ?? FUNCTIONS2[e.fn].cut) !== undefined) out.push(i);
  });
  return out;
}
