/**
 * The words of compiled instructions, stored as they run: Int32Array words, each instruction its word, its
 * destination slot, then a count of sources (the list words) or a function number (CALL, CALL2), then its source
 * slots. Slots hold the arguments (the first ones), constants, node values, adjoints and the partial products of
 * reverse accumulation. The common shapes have words of their own, so the tape's loop runs no inner loop for them.
 *
 * @example
 * ```ts
 * const program = Int32Array.of(W.MUL2, 2, 0, 1); // v[2] = v[0] * v[1]
 * ```
 */
export const W = {
  ADD: 0, ADD2: 1, MUL: 2, MUL2: 3, ACC: 4, ACC1: 5, ACC2: 6, SET: 7, SET1: 8, SET2: 9, POW: 10, RECIP: 11,
  CALL: 12, EXP: 13, LOG: 14, SQRT: 15, SIN: 16, COS: 17, TANH: 18, ABS: 19, SIGMOID: 20, SOFTPLUS: 21,
  ADD4: 22, CALL2: 23,
} as const; // prettier-ignore
// ADD: dst = s0 + s1 + ... (left to right); MUL: dst = s0 * s1 * ...; ACC: dst += s0 * s1 * ... (an adjoint
// receiving a further contribution); SET: dst = s0 * s1 * ... + 0 (an adjoint's first contribution: what 0 + the
// product gives, -0 included, so an adjoint needs no instruction clearing it); POW: dst = pow(s0, s1); RECIP:
// dst = 1 / s0, which is pow(s0, -1) (scalar.ts); CALL and the Math words: dst = f(s0); CALL2 (`CALL2 dst f s0 s1`,
// f a two-argument function's number in FN2_NAMES): dst = f(s0, s1).

/**
 * A number as JavaScript source that reads back as the same number: -0 and negative numbers in parentheses, so that
 * the literal can stand after any operator.
 *
 * @example
 * ```ts
 * [literal(2.5), literal(-1), literal(-0), literal(NaN)]; // ['2.5', '(-1)', '(-0)', 'NaN']
 * ```
 */
export function literal(v: number): string {
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${v})` : String(v);
}

/**
 * Where the source slots of the instruction at `pc` start: after its destination, and after the count of a list
 * word (ADD, MUL, ACC, SET) or the function number of CALL and CALL2.
 *
 * @example
 * ```ts
 * firstSource(Int32Array.of(W.ADD, 5, 3, 0, 1, 2), 0); // 3
 * ```
 */
export function firstSource(code: Int32Array, pc: number): number {
  const word = code[pc];
  return word === W.ADD ||
    word === W.MUL ||
    word === W.ACC ||
    word === W.SET ||
    word === W.CALL ||
    word === W.CALL2
    ? pc + 3
    : pc + 2;
}

/**
 * Where the instruction after the one at `pc` starts (the end of its source slots).
 *
 * @example
 * ```ts
 * nextInstruction(Int32Array.of(W.ADD, 5, 3, 0, 1, 2), 0); // 6
 * ```
 */
export function nextInstruction(code: Int32Array, pc: number): number {
  const word = code[pc];
  if (word === W.ADD || word === W.MUL || word === W.ACC || word === W.SET) return pc + 3 + code[pc + 2];
  if (word === W.CALL2) return pc + 5;
  if (word === W.ADD4) return pc + 6;
  if (
    word === W.CALL ||
    word === W.ADD2 ||
    word === W.MUL2 ||
    word === W.ACC2 ||
    word === W.SET2 ||
    word === W.POW
  ) {
    return pc + 4;
  }
  return pc + 3;
}
