import { addList, call, call2, mulList, pow } from './build.js';
import { childrenOf, type Expr } from './expr.js';

// Every walk over an Expr goes through here: an explicit stack, never recursion, and each DAG node once.

/**
 * The nodes reachable from `root`, each once, children before parents (root last). Nodes in `stop` are listed
 * but not entered.
 */
export function postOrder(root: Expr, stop?: ReadonlyMap<Expr, unknown>): Expr[] {
  const order: Expr[] = [];
  const seen = new Set<Expr>([root]);
  const nodes: Expr[] = [root];
  const kidsOf: (readonly Expr[])[] = [stop?.has(root) ? NONE : childrenOf(root)];
  const next: number[] = [0];
  let top = 0;
  while (top >= 0) {
    const kids = kidsOf[top];
    const i = next[top];
    if (i < kids.length) {
      next[top] = i + 1;
      const child = kids[i];
      if (!seen.has(child)) {
        seen.add(child);
        top++;
        nodes[top] = child;
        kidsOf[top] = stop?.has(child) ? NONE : childrenOf(child);
        next[top] = 0;
      }
    } else {
      order.push(nodes[top]);
      top--;
    }
  }
  return order;
}

const NONE: readonly Expr[] = [];

/** `node` with its operands replaced by `kids` (same order), through the builders, so clean-up applies again. */
export function rebuild(node: Expr, kids: readonly Expr[]): Expr {
  const old = childrenOf(node);
  if (old.every((k, i) => k === kids[i])) return node;
  switch (node.kind) {
    case 'add':
      return addList(kids);
    case 'mul':
      return mulList(kids);
    case 'pow':
      return pow(kids[0], kids[1]);
    case 'call':
      return call(node.fn, kids[0]);
    case 'call2':
      return call2(node.fn, kids[0], kids[1]);
    default:
      return node;
  }
}

/**
 * Rewrite bottom-up: `visit(node, kids)` gets each node once with its already rewritten operands and returns its
 * replacement. Linear in the DAG.
 */
export function mapExpr(root: Expr, visit: (node: Expr, kids: readonly Expr[]) => Expr): Expr {
  const done = new Map<Expr, Expr>();
  for (const node of postOrder(root)) {
    const kids = childrenOf(node).map((k) => done.get(k) as Expr);
    done.set(node, visit(node, kids));
  }
  return done.get(root) as Expr;
}
