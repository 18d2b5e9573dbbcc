// The numeric meaning of `^`, shared by constant folding, `evaluate` and `compile` so the three agree bit for bit;
// the functions' values are in the function table (functions.ts). IEEE throughout: NaN outside a domain, NaN in
// gives NaN out.

/**
 * `a ^ b`; `b = -1` is an exact division, as constant folding of `1 / b` must give the same number. A fractional
 * power of a negative number is NaN (the real domain: see the README's numeric conventions).
 */
export function powScalar(a: number, b: number): number {
  return b === -1 ? 1 / a : Math.pow(a, b);
}
