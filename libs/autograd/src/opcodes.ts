import { FUNCTIONS, FUNCTIONS2, type Fn2Rule, type FnRule } from './rules.js';

// The merged tape's opcodes, shared by the interpreter (compile.ts) and the code generator (codegen.ts). Leaves
// (inputs and frozen constants) have no instruction; unary functions are FN + their index in FNS: e.g.
// `FN + FNS.indexOf(FUNCTIONS.exp)` is exp's code, and `DOT + FN + 9` a neuron followed by the table's tenth function.

/** `a + b`. */
export const ADD = 0;
/** `a * b`. */
export const MUL = 1;
/** `a ** b` with a Value exponent. */
export const POW = 2;
/** `a ** k`, k in the instruction's constant. */
export const POWK = 3;
/** The first function's code. */
export const FN = 4;
/** The first two-argument function's code: FN2 + its index in {@link FNS2}. */
export const FN2 = 70;
// Superinstructions of the merged tape: SUM + u is `a + b1 + … + bn`, DOT + u is `acc + p1·q1 + … + pn·qn`, each
// followed by the unary op u (POWK or a function's code) when u is not 0.
/** A chain of sums. */
export const SUM = 100;
/** A neuron's chain of products and sums. */
export const DOT = 170;

/**
 * Every entry of the function table gets a code, so a function added to the table compiles with no change to the
 * interpreter or the generator.
 *
 * @example
 * ```ts
 * FNS[0] === FUNCTIONS.exp; // true: the table's order
 * ```
 */
export const FNS: readonly FnRule[] = Object.values(FUNCTIONS);

/**
 * Every entry of the two-argument table gets a code, FN2 + its index, in the table's order.
 *
 * @example
 * ```ts
 * FNS2[0] === FUNCTIONS2.atan2; // true
 * ```
 */
export const FNS2: readonly Fn2Rule[] = Object.values(FUNCTIONS2);

if (FN + FNS.length > FN2 || FN2 + FNS2.length > SUM) throw new Error('compileGraph: opcode ranges overlap');

/**
 * The first slot of each instruction of a merged tape (and, at index `code.length`, the slot after the last): the
 * leaves take slots 0 … leaves - 1, then each instruction one slot per node it stands for (a SUM of n terms n, a
 * DOT 2n, one more for a unary op at its end).
 *
 * @example
 * ```ts
 * firstSlots(Uint8Array.of(ADD, MUL), Int32Array.of(1, 1), 2); // Int32Array [2, 3, 4]
 * ```
 */
export function firstSlots(code: Uint8Array, b: Int32Array, leaves: number): Int32Array {
  const m = code.length;
  const first = new Int32Array(m + 1);
  for (let f = 0, i = leaves; f <= m; f++) {
    first[f] = i;
    if (f === m) break;
    const c = code[f];
    if (c < SUM) i++;
    else {
      const dot = c >= DOT;
      const u = c - (dot ? DOT : SUM);
      i += (dot ? 2 : 1) * b[f] + (u !== ADD ? 1 : 0);
    }
  }
  return first;
}
