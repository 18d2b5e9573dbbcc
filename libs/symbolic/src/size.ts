import { checkExpr } from './check.js';
import { treeSizeOf, type Expr } from './expr.js';
import { postOrder } from './walk.js';

/**
 * Sizes of an expression: see {@link size}.
 * @example
 * ```ts
 * const { dag, tree }: ExprSize = size(parse('x + 1'));
 * ```
 */
export interface ExprSize {
  /** Distinct nodes: the memory it takes and the work `diff` or `evaluate` does. */
  readonly dag: number;
  /** Nodes of the tree it stands for, shared subexpressions counted at every use: what a tree-based system would
   * build or print. Kept per node when nodes are made, so it costs nothing here; a float (inexact past 2^53,
   * Infinity past the float range). */
  readonly tree: number;
}

/**
 * Node counts of `e` as a DAG and as a tree.
 *
 * @example
 * ```ts
 * size(expandTanh(parse('tanh(n)'))); // { dag: 10, tree: 15 }: exp(2 * n) is stored once, counted twice in the tree
 * ```
 */
export function size(e: Expr): ExprSize {
  const root = checkExpr(e, 'size');
  return { dag: postOrder(root).length, tree: treeSizeOf(root) };
}
