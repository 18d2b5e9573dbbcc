import type { Expr, Mul, Pow } from './expr.js';
import { isMergeableExponent } from './order.js';

// How a canonical node reads on paper, shared by the infix and TeX printers: `a + (-1)·b` is `a - b`, and
// `a · b^-k` (integer k) is `a / b^k`. Nodes `opaque(e)` says are printed by name (the temporaries of
// `format(e, { cse: true })`) are never taken apart.

/** True when a printed number starts with a minus sign (also for -0). */
export function signBit(v: number): boolean {
  return v < 0 || Object.is(v, -0);
}

/** Whether `e` prints with a leading minus that a sum can turn into ` - `. */
export function isNegative(e: Expr, opaque: (e: Expr) => boolean): boolean {
  if (opaque(e)) return false;
  if (e.kind === 'num') return signBit(e.value);
  return e.kind === 'mul' && e.factors[0].kind === 'num' && signBit(e.factors[0].value);
}

/** The terms of a sum in print order: stored order, except that a non-negative term goes first (`1 - x`). */
export function termsInPrintOrder(terms: readonly Expr[], opaque: (e: Expr) => boolean): readonly Expr[] {
  const first = terms.findIndex((t) => !isNegative(t, opaque));
  if (first <= 0) return terms;
  return [terms[first], ...terms.slice(0, first), ...terms.slice(first + 1)];
}

/** A denominator factor: `base ^ power` with power a positive integer. */
export interface DenominatorFactor {
  readonly base: Expr;
  readonly power: number;
}

/** A product as a fraction. The coefficient keeps its sign; `divisor` is set when it reads better as `/ k`. */
export interface Fraction {
  readonly coefficient: number;
  /** k when the coefficient is exactly ±1/k for an integer k (printed `x / k`), else 0. */
  readonly divisor: number;
  readonly numerator: readonly Expr[];
  readonly denominator: readonly DenominatorFactor[];
}

/** A power that prints in a denominator: a negative integer exponent (and not opaque) that the builders merge
 * back when `1 / x^k` is read (`(x^k)^-1 → x^-k` for |k| up to 2^20; `x^-1e15` prints as it is). */
export function isReciprocal(e: Expr, opaque: (e: Expr) => boolean): e is Pow {
  return e.kind === 'pow' && !opaque(e) && e.exponent.kind === 'num' && isPrintedReciprocal(e.exponent.value);
}

/** Whether `x^v` prints as `1 / x^-v`: a negative integer the builders merge back. */
export function isPrintedReciprocal(v: number): boolean {
  return v < 0 && Number.isSafeInteger(v) && isMergeableExponent(v);
}

/** `e` (a product, or a reciprocal power) split into coefficient, numerator and denominator. */
export function fractionOf(e: Mul | Pow, opaque: (e: Expr) => boolean): Fraction {
  const factors = e.kind === 'mul' ? e.factors : [e];
  let coefficient = 1;
  const numerator: Expr[] = [];
  const denominator: DenominatorFactor[] = [];
  for (const f of factors) {
    if (f.kind === 'num' && !opaque(f)) coefficient = f.value;
    else if (isReciprocal(f, opaque))
      denominator.push({ base: f.base, power: -(f.exponent as { value: number }).value });
    else numerator.push(f);
  }
  return { coefficient, divisor: numerator.length > 0 ? divisorOf(coefficient) : 0, numerator, denominator };
}

/** k when |c| = 1/k exactly for an integer k ≥ 2 (so `x / k` parses back to the same coefficient) and k prints no
 * longer than |c| does (`x / 3`, but `1e-7 * x`); else 0. */
function divisorOf(c: number): number {
  const m = Math.abs(c);
  if (!(m > 0 && m < 1)) return 0;
  const k = Math.round(1 / m);
  return k >= 2 && 1 / k === m && String(k).length <= String(m).length ? k : 0;
}
