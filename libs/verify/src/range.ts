import type { Expr } from '@crossgrad/symbolic';
import { FUNCTIONS } from './functions.js';
import type { Tape } from './tape.js';

const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * The value of tape node `i` left the normal floating-point range towards 0: it is subnormal, or it is 0 where the
 * exact result is not (a function positive everywhere, such as exp or sigmoid, of a finite argument; a product of
 * non-zero factors; a power of a non-zero finite base). A chain rule then multiplies the lost number by a large
 * one, and the result means nothing.
 */
export function underflowed(e: Expr, values: ArrayLike<number>, i: number, ops: readonly number[]): boolean {
  // A missing index reads as NaN: not finite, never an underflow.
  const at = (k: number | undefined): number => (k === undefined ? NaN : (values[k] ?? NaN));
  const v = at(i);
  if (v !== 0) return Math.abs(v) < MIN_NORMAL;
  switch (e.kind) {
    case 'call':
      return FUNCTIONS[e.fn].positive && Number.isFinite(at(ops[0]));
    case 'call2':
      return false;
    case 'mul':
      return ops.every((k) => at(k) !== 0 && Number.isFinite(at(k)));
    case 'pow': {
      const b = at(ops[0]);
      return b !== 0 && Number.isFinite(b) && Number.isFinite(at(ops[1]));
    }
    default:
      return false;
  }
}

/** A slope that is not 0 in exact arithmetic but came out subnormal or 0. */
export function lostSlope(slope: number): boolean {
  return Math.abs(slope) < MIN_NORMAL;
}

/** Some node of the evaluated tape is NaN, infinite or underflowed. */
export function outOfRange(tape: Tape, values: ArrayLike<number>): boolean {
  return tape.nodes.some(
    (e, i) => !Number.isFinite(values[i] ?? NaN) || underflowed(e, values, i, tape.operands[i] ?? []),
  );
}
