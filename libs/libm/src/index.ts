/**
 * @crossgrad/libm: e^x and ln(1 + x) in IEEE-754 double arithmetic alone, correctly rounded for all but about one
 * argument in a thousand and the same bits in every JavaScript engine (`Math.exp` and `Math.log1p` are each engine's
 * own), with their code in a form code generators write inline. @crossgrad/autograd and @crossgrad/symbolic both
 * compute with them, so eager, interpreted and generated code give the same numbers.
 *
 * @example
 * ```ts
 * import { exp } from '@crossgrad/libm';
 * exp(1); // 2.718281828459045
 * ```
 */
export { EXP_METHOD, EXP_SCOPE, exp, expSource } from './exp.js';
