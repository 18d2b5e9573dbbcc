import type { Expr } from '@crossgrad/symbolic';
import { type Complex, cadd, cmul, complex, cpow } from './complex.js';
import { FUNCTIONS } from './functions.js';
import { lostSlope, underflowed } from './range.js';
import { valueNoise } from './real-eval.js';
import { COMPLEX_STEP, complexCall, localSlopes, slopeNoise } from './slopes.js';
import { pointValues, type Tape, tapeOf } from './tape.js';

export { COMPLEX_STEP };

/** A relu/abs/step/sign node's argument: its value and its slope in each variable. */
export interface Kink {
  readonly argument: number;
  readonly slope: Readonly<Record<string, number>>;
}

/** Everything one complex-step evaluation learns about an expression at a point. */
export interface ComplexStepDetail {
  /** The expression's value (real part of the evaluation). */
  readonly value: number;
  /** ∂f/∂v per variable. */
  readonly gradient: Readonly<Record<string, number>>;
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
   * values under a derivative cancel (`x·tanh(y)` expanded, at a tiny `y`).
   */
  readonly rounding: Readonly<Record<string, number>>;
  /**
   * Per variable, the shortest distance over which some function in the expression changes on its own scale (see
   * `shortestScale`); Infinity for a polynomial.
   */
  readonly lengthScale: Readonly<Record<string, number>>;
  /** Some node's value or slope is NaN or infinite, or underflows (see `underflows`), at this point. */
  readonly nonFinite: boolean;
  /** The arguments of the non-differentiable functions (relu, abs, step, sign), one per node. */
  readonly kinks: readonly Kink[];
}

/**
 * The gradient of `expr` at `point` by the complex step `Im f(x + ih) / h` with `h = 1e-20`, two passes per
 * variable over the expression DAG (each shared node evaluated once per pass; the second, at `2h`, extrapolates
 * away the `h²` term that shows where the derivative is 0). It uses its own complex arithmetic
 * and no derivative rule, so it is independent of both @crossgrad/symbolic and @crossgrad/autograd, and exact to
 * rounding: there is no subtraction of nearby values. relu, abs (and step, sign) follow the sign of the real part,
 * so their derivative at 0 is 0.
 *
 * @returns ∂f/∂v for every variable of the expression.
 * @throws MissingVariableError when the point lacks a variable or gives a non-finite value.
 * @example
 * ```ts
 * complexStep(parse('x^2 * sin(y)'), { x: 3, y: 0 }); // { x: 0, y: 9 }
 * ```
 */
export function complexStep(expr: Expr, point: Readonly<Record<string, number>>): Record<string, number> {
  return { ...complexStepDetail(tapeOf(expr), point).gradient };
}

/** The complex-step gradient with the extras {@link compareGradients} needs (magnitudes, kinks, non-finite flag). */
export function complexStepDetail(tape: Tape, point: Readonly<Record<string, number>>): ComplexStepDetail {
  const x = pointValues(tape, point);
  const { nodes, operands, variables } = tape;
  const n = nodes.length;
  const real = evaluateComplex(tape, x, -1, 0).map((z) => z.re);
  const slopes = localSlopes(tape, real);
  const noise = valueNoise(tape, real);
  const slopeErrors = slopeNoise(tape, real, noise);
  // An infinite slope into an operand that varies makes chain-rule oracles multiply Infinity by 0 or by Infinity.
  const varies = nodes.map((e) => e.kind === 'sym');
  let nonFinite = real.some((v) => !Number.isFinite(v));
  operands.forEach((ops, i) => {
    ops.forEach((k, j) => {
      if (varies[k]) {
        varies[i] = true;
        if (!Number.isFinite(slopes[i]![j]!)) nonFinite = true;
      }
    });
    if (varies[i] && underflows(nodes[i]!, real, i, ops, slopes[i]!)) nonFinite = true;
  });
  const kinkNodes: number[] = [];
  nodes.forEach((e, i) => {
    if (e.kind === 'call' && FUNCTIONS[e.fn].kink) kinkNodes.push(i);
  });
  const kinkSlopes = kinkNodes.map(() => ({}) as Record<string, number>);
  const gradient: Record<string, number> = {};
  const magnitude: Record<string, number> = {};
  const magnitudes = new Float64Array(n);
  const roundings = new Float64Array(n);
  const rounding: Record<string, number> = {};
  const lengthScale: Record<string, number> = {};
  variables.forEach((name, v) => {
    const z = evaluateComplex(tape, x, v, COMPLEX_STEP);
    // Im f(x + ih)/h = f'(x) - h²f'''(x)/6 + …: the h² term is far below rounding, except where f' itself is 0 (x³ at
    // 0 gives -h²). One more pass at 2h and Richardson's (4·D(h) - D(2h))/3 removes it.
    const z2 = evaluateComplex(tape, x, v, 2 * COMPLEX_STEP);
    const slope = (i: number): number => {
      const d1 = z[i]!.im / COMPLEX_STEP;
      const d2 = z2[i]!.im / (2 * COMPLEX_STEP);
      return d1 === d2 ? d1 : (4 * d1 - d2) / 3;
    };
    gradient[name] = slope(n - 1);
    kinkNodes.forEach((node, k) => {
      kinkSlopes[k]![name] = slope(operands[node]![0]!);
    });
    if (z.some((c) => !Number.isFinite(c.im))) nonFinite = true;
    for (let i = 0; i < n; i++) {
      const e = nodes[i]!;
      if (e.kind === 'num' || e.kind === 'sym') {
        magnitudes[i] = e.kind === 'sym' && e.name === name ? 1 : 0;
        roundings[i] = 0;
      } else {
        let m = 0;
        let r = 0;
        const ops = operands[i]!;
        const s = slopes[i]!;
        const ds = slopeErrors[i]!;
        for (let k = 0; k < ops.length; k++) {
          const mk = magnitudes[ops[k]!]!;
          const rk = roundings[ops[k]!]!;
          // A derivative of 0 can still carry rounding (the slope of u² at a u that rounded to 0).
          if (rk !== 0) r += s[k]! * rk;
          if (mk === 0) continue;
          m += s[k]! * mk;
          r += ds[k]! * mk;
        }
        magnitudes[i] = m;
        roundings[i] = r + EPS * ops.length * m;
      }
    }
    magnitude[name] = magnitudes[n - 1]!;
    rounding[name] = roundings[n - 1]!;
    if (!Number.isFinite(magnitude[name])) nonFinite = true;
    lengthScale[name] = shortestScale(tape, real, magnitudes);
  });
  const kinks = kinkNodes.map((node, k) => ({ argument: real[operands[node]![0]!]!, slope: kinkSlopes[k]! }));
  return { value: real[n - 1]!, gradient, magnitude, rounding, lengthScale, nonFinite, kinks };
}

/**
 * How far the variable can move before some function in the expression sees its argument change on that function's
 * own scale: `1/|u'|` for sin, exp, …; `|u|/|u'|` for log, sqrt and powers other than whole numbers. With the
 * magnitudes standing in for `|u'|`. Finite differences need a first step below this, or they average an
 * oscillation away instead of resolving it.
 */
function shortestScale(tape: Tape, real: readonly number[], magnitudes: Float64Array): number {
  let scale = Infinity;
  tape.nodes.forEach((e, i) => {
    const ops = tape.operands[i]!;
    if (e.kind === 'call') {
      const m = magnitudes[ops[0]!]!;
      if (m === 0) return;
      const own = FUNCTIONS[e.fn].scale;
      if (own === 'unit') scale = Math.min(scale, 1 / m);
      else if (own === 'relative') scale = Math.min(scale, Math.abs(real[ops[0]!]!) / m);
    } else if (e.kind === 'pow') {
      const b = ops[0]!;
      const w = ops[1]!;
      const whole = magnitudes[w] === 0 && Number.isInteger(real[w]!) && real[w]! >= 0;
      if (magnitudes[b]! > 0 && !whole) scale = Math.min(scale, Math.abs(real[b]!) / magnitudes[b]!);
      if (magnitudes[w]! > 0)
        scale = Math.min(scale, 1 / (magnitudes[w]! * Math.abs(Math.log(Math.abs(real[b]!)))));
    }
  });
  return scale;
}

const EPS = Number.EPSILON;
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
  const b = real[ops[0]!]!;
  return b !== 0 && Number.isFinite(b) && real[ops[1]!] !== 0 && lostSlope(slopes[0]!);
}

/**
 * Evaluates the tape in complex arithmetic with variable `seed` perturbed by `i·h` (none when `seed` is -1).
 */
function evaluateComplex(tape: Tape, x: readonly number[], seed: number, h: number): Complex[] {
  const { nodes, operands, variables } = tape;
  const slot = new Map(variables.map((name, i) => [name, i]));
  const z: Complex[] = new Array<Complex>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const e = nodes[i]!;
    const ops = operands[i]!;
    switch (e.kind) {
      case 'num':
        z[i] = complex(e.value);
        break;
      case 'sym': {
        const v = slot.get(e.name)!;
        z[i] = complex(x[v]!, v === seed ? h : 0);
        break;
      }
      case 'add':
        z[i] = ops.reduce((acc, k) => cadd(acc, z[k]!), complex(0));
        break;
      case 'mul':
        z[i] = ops.reduce((acc, k) => cmul(acc, z[k]!), complex(1));
        break;
      case 'pow':
        z[i] = cpow(z[ops[0]!]!, z[ops[1]!]!);
        break;
      case 'call':
        z[i] = complexCall(e.fn, z[ops[0]!]!);
        break;
    }
  }
  return z;
}
