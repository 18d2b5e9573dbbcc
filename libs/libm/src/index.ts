/**
 * @crossgrad/libm: e^x and ln(1 + x) in IEEE-754 double arithmetic alone, correctly rounded for all but about one
 * argument in a thousand and the same bits in every JavaScript engine (`Math.exp` and `Math.log1p` are each engine's
 * own), with their code in a form code generators write inline. @crossgrad/autograd and @crossgrad/symbolic both
 * compute with them, so eager, interpreted and generated code give the same numbers.
 *
 * @example
 * ```ts
 * import { exp, log1p } from '@crossgrad/libm';
 * exp(1); // 2.718281828459045
 * log1p(1); // 0.6931471805599453
 * ```
 */
export { EXP_METHOD, exp, expSource } from './exp.js';
export { INLINE_SCOPE } from './inline.js';
export { LOG1P_METHOD, log1p, log1pSource } from './log1p.js';
