import { checkExpr } from './check.js';
import type { Expr } from './expr.js';
import { postOrder } from './walk.js';

/**
 * The names of the variables in `e`, sorted.
 *
 * @example
 * ```ts
 * variables(parse('tanh(x1*w1 + x2*w2 + b)')); // ['b', 'w1', 'w2', 'x1', 'x2']
 * ```
 */
export function variables(e: Expr): string[] {
  const names: string[] = [];
  for (const node of postOrder(checkExpr(e, 'variables'))) if (node.kind === 'sym') names.push(node.name);
  return names.sort();
}
