import { EXP_NAMES, EXP_VALUES } from './exp.js';
import { LOG1P_NAMES, LOG1P_VALUES } from './log1p.js';

/**
 * The names under which the statements of `expSource` and `log1pSource` read their tables (and call the function
 * itself off the fast path), and their values: pass both to `new Function`.
 *
 * @example
 * ```ts
 * import { INLINE_SCOPE, expSource } from '@crossgrad/libm';
 * const f = new Function(...INLINE_SCOPE.names, `return (x) => { let y; ${expSource('y', 'x')} return y; };`)(
 *   ...INLINE_SCOPE.values,
 * ) as (x: number) => number;
 * f(1); // 2.718281828459045
 * ```
 */
export const INLINE_SCOPE: { readonly names: readonly string[]; readonly values: readonly unknown[] } = {
  names: [...EXP_NAMES, ...LOG1P_NAMES],
  values: [...EXP_VALUES, ...LOG1P_VALUES],
};
