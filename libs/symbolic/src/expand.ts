import { addList, exp, mulList, pow } from './build.js';
import { checkExpr } from './check.js';
import type { Expr } from './expr.js';
import { mapExpr, rebuild } from './walk.js';

/**
 * Every `tanh(u)` replaced by `(exp(2u) - 1) / (exp(2u) + 1)`, as the seed lecture does; both halves share the
 * one node `exp(2u)`, and `u` is itself expanded first.
 *
 * @example
 * ```ts
 * format(expandTanh(parse('tanh(n)'))); // '(exp(2 * n) - 1) / (exp(2 * n) + 1)'
 * ```
 */
export function expandTanh(e: Expr): Expr {
  return mapExpr(checkExpr(e, 'expandTanh'), (node, kids) => {
    if (node.kind !== 'call' || node.fn !== 'tanh') return rebuild(node, kids);
    const e2u = exp(mulList([2, kids[0]]));
    return mulList([addList([e2u, -1]), pow(addList([e2u, 1]), -1)]);
  });
}
