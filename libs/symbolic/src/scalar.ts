import type { FnName } from './expr.js';

// The numeric meaning of every op, in one place: constant folding, `evaluate` and `compile` all use these, so the
// three agree bit for bit. IEEE throughout: NaN outside a domain, NaN in gives NaN out.

/** `a ^ b`; `b = -1` is an exact division, as constant folding of `1 / b` must give the same number. */
export function powScalar(a: number, b: number): number {
  return b === -1 ? 1 / a : Math.pow(a, b);
}

/** The logistic function 1 / (1 + e^-u). */
export function sigmoidScalar(u: number): number {
  return 1 / (1 + Math.exp(-u));
}

/** max(u, 0), with relu(NaN) = NaN. */
export function reluScalar(u: number): number {
  return u > 0 ? u : u <= 0 ? 0 : NaN;
}

/** The derivative of relu: 1 for u > 0, else 0 (0 at 0, as micrograd and PyTorch), NaN for NaN. */
export function stepScalar(u: number): number {
  return u > 0 ? 1 : u <= 0 ? 0 : NaN;
}

/** The derivative of abs: -1, 0 or 1 (0 at ±0), NaN for NaN. */
export function signScalar(u: number): number {
  return u > 0 ? 1 : u < 0 ? -1 : u === 0 ? 0 : NaN;
}

/** Every function of the op set on numbers. */
export const SCALAR_FNS: Readonly<Record<FnName, (u: number) => number>> = Object.freeze({
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: sigmoidScalar,
  relu: reluScalar,
  abs: Math.abs,
  step: stepScalar,
  sign: signScalar,
});
