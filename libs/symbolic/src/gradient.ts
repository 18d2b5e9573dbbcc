import { addList } from './build.js';
import { checkExpr, checkVariables } from './check.js';
import { Differentiator, ruleTable, type DiffOptions } from './diff.js';
import { childrenOf, ONE, ZERO, type Expr } from './expr.js';
import { partial } from './partial.js';
import { isZeroPending, LazyProduct, materialize, times, type Pending } from './product.js';
import { isZero } from './rules.js';
import { variables } from './variables.js';
import { postOrder } from './walk.js';

/**
 * Every partial derivative of `e` at once, by reverse accumulation over the DAG: each node's adjoint is built
 * once, from its parents', and sent to its operands through the rule table's partials, so all partials together
 * cost about one derivative. `vars` defaults to `variables(e)`; a variable `e` does not contain gets 0 (also one
 * the builders simplified away: `gradient(parse('(x/x)^2 + w'), ['x'])` maps x to 0). The local
 * derivatives come from the rule table, `options.rules` replacing rules as in {@link diff}.
 *
 * @example
 * ```ts
 * const g = gradient(parse('x*y + sin(x)'));
 * format(g.get('x')!); // 'y + cos(x)'
 * format(g.get('y')!); // 'x'
 * ```
 */
export function gradient(e: Expr, vars?: readonly string[], options: DiffOptions = {}): Map<string, Expr> {
  const root = checkExpr(e, 'gradient');
  const names = vars === undefined ? variables(root) : checkVariables(vars, 'gradient');
  const rules = ruleTable(options?.rules, 'gradient');
  const wanted = new Set(names);
  const order = postOrder(root);
  // Only nodes that depend on a wanted variable carry an adjoint worth sending.
  const live = new Set<Expr>();
  for (const node of order) {
    if (node.kind === 'sym' ? wanted.has(node.name) : childrenOf(node).some((k) => live.has(k)))
      live.add(node);
  }
  const result = new Map<string, Expr>(names.map((n) => [n, ZERO]));
  // Contributions are products kept unbuilt where they only pass a factor on (see product.ts): the adjoints along
  // a chain of n calls are then one cell each, not n flat products of up to n factors.
  const incoming = new Map<Expr, Pending[]>();
  if (live.has(root)) incoming.set(root, [ONE]);
  // Reverse topological order: a node's adjoint is complete when it is reached.
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    const parts = incoming.get(node);
    if (parts === undefined) continue;
    incoming.delete(node);
    // addList of one product is that product (it is never a number or a sum's zero).
    let adjoint: Pending =
      parts.length === 1 && parts[0] instanceof LazyProduct ? parts[0] : addList(parts.map(materialize));
    if (node.kind === 'sym') {
      result.set(node.name, materialize(adjoint));
      continue;
    }
    if (isZeroPending(adjoint)) continue;
    const kids = childrenOf(node);
    const locals: Expr[] = [];
    let sends = 0;
    for (let j = 0; j < kids.length; j++) {
      const local = live.has(kids[j]) ? partial(node, j, rules) : ZERO;
      locals.push(local);
      if (!isZero(local)) sends++;
    }
    // An adjoint sent to several operands is built once here, not once per operand.
    if (sends > 1) adjoint = materialize(adjoint);
    for (let j = 0; j < kids.length; j++) {
      if (isZero(locals[j])) continue;
      const kid = kids[j];
      const contribution = times(locals[j], adjoint);
      const list = incoming.get(kid);
      if (list === undefined) incoming.set(kid, [contribution]);
      else list.push(contribution);
    }
  }
  return result;
}

/**
 * Second derivatives: `hessian(e).get(a).get(b)` = ∂²e/∂a∂b, by differentiating the gradient (each column's
 * differentiator is shared by all rows, so common subexpressions are differentiated once).
 *
 * `options.rules` as in {@link diff}.
 *
 * @example
 * ```ts
 * format(hessian(parse('x^2 * y')).get('x')!.get('y')!); // '2 * x'
 * ```
 */
export function hessian(
  e: Expr,
  vars?: readonly string[],
  options: DiffOptions = {},
): Map<string, Map<string, Expr>> {
  const root = checkExpr(e, 'hessian');
  const names = vars === undefined ? variables(root) : checkVariables(vars, 'hessian');
  const rules = ruleTable(options?.rules, 'hessian');
  const g = gradient(root, names, { rules });
  const columns = names.map((n) => new Differentiator(n, rules));
  return new Map(
    names.map((row) => {
      const gi = g.get(row) as Expr;
      return [row, new Map(names.map((col, j) => [col, columns[j].of(gi)]))];
    }),
  );
}
