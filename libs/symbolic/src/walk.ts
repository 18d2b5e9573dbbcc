import { addList, call, call2, mulList, pow } from './build.js';
import { childrenOf, operandAt, operandCount, type Expr } from './expr.js';

// Every walk over an Expr goes through here: an explicit stack, never recursion, and each DAG node once.

/** What a walk may be told not to enter: a map or set of nodes, or anything with such a `has`. */
export interface NodeSet {
  has(e: Expr): boolean;
}

/**
 * The nodes reachable from `root`, each once, children before parents (root last). Nodes in `stop` are listed
 * but not entered.
 */
export function postOrder(root: Expr, stop?: NodeSet): Expr[] {
  const order: Expr[] = [];
  const seen = new Set<Expr>([root]);
  const nodes: Expr[] = [root];
  // Per node on the stack: its operand count (0 for one not entered) and the next operand to visit.
  const count: number[] = [stop?.has(root) ? 0 : operandCount(root)];
  const next: number[] = [0];
  let top = 0;
  while (top >= 0) {
    const i = next[top];
    if (i < count[top]) {
      next[top] = i + 1;
      const child = operandAt(nodes[top], i);
      if (!seen.has(child)) {
        seen.add(child);
        top++;
        nodes[top] = child;
        count[top] = stop?.has(child) ? 0 : operandCount(child);
        next[top] = 0;
      }
    } else {
      order.push(nodes[top]);
      top--;
    }
  }
  return order;
}

/**
 * The DAG below a root, flattened: its nodes in {@link postOrder}'s order, each node's position in that list, and
 * each node's operands by position.
 */
export interface IndexedDag {
  /** The nodes, children before parents, the root last. */
  readonly nodes: readonly Expr[];
  /** The operands of `nodes[i]` are at positions `operands[start[i] .. start[i + 1])`, in order. */
  readonly start: Int32Array;
  readonly operands: Int32Array;
  /** The position of `e` in `nodes`, or -1 for a node not in the DAG. */
  positionOf(e: Expr): number;
}

/**
 * Told of each node as {@link indexDag} lists it: its position `p` and its operands' positions,
 * `operands[from .. from + k)` (all listed already).
 */
export interface DagVisitor {
  visit(node: Expr, p: number, operands: Int32Array, from: number, k: number): void;
}

/**
 * `root`'s DAG as an {@link IndexedDag}, in one walk: the nodes in the order `postOrder(root)` gives, and the
 * positions of their operands, so that later passes index arrays instead of looking nodes up. A `visitor` is told
 * of each node as it is listed, its operands before it, so that a pass can be done in the same walk.
 */
export function indexDag(root: Expr, visitor?: DagVisitor): IndexedDag {
  const position = new Map<Expr, number>();
  const nodes: Expr[] = [];
  let start = new Int32Array(1 << 10);
  let operands = new Int32Array(1 << 11);
  let edges = 0;
  const stack: Expr[] = [root];
  const count: number[] = [operandCount(root)];
  const next: number[] = [0];
  // The positions of the operands met so far of the nodes on the stack, in order: a node's are the last ones
  // when it is done.
  let done = new Int32Array(64);
  let sp = 0;
  let top = 0;
  while (top >= 0) {
    const node = stack[top];
    const i = next[top];
    if (i < count[top]) {
      next[top] = i + 1;
      const child = operandAt(node, i);
      const p = position.get(child) ?? -1;
      if (p < 0) {
        top++;
        stack[top] = child;
        count[top] = operandCount(child);
        next[top] = 0;
        continue;
      }
      if (sp === done.length) done = grown(done, sp + 1);
      done[sp++] = p;
      continue;
    }
    const k = count[top];
    if (edges + k > operands.length) operands = grown(operands, edges + k);
    sp -= k;
    for (let j = 0; j < k; j++) operands[edges + j] = done[sp + j];
    const p = nodes.length;
    visitor?.visit(node, p, operands, edges, k);
    edges += k;
    nodes.push(node);
    position.set(node, p);
    if (p + 2 > start.length) start = grown(start, p + 2);
    start[p + 1] = edges;
    if (sp === done.length) done = grown(done, sp + 1);
    done[sp++] = p;
    top--;
  }
  return {
    nodes,
    start: start.slice(0, nodes.length + 1),
    operands: operands.slice(0, edges),
    positionOf(e: Expr): number {
      return position.get(e) ?? -1;
    },
  };
}

/**
 * A copy of `a` with room for at least `n` entries (twice as many as `a` has, if that is more): how the walks here and
 * the compiler's emitter grow their typed arrays.
 *
 * @example
 * ```ts
 * grown(Int32Array.of(1, 2), 3); // Int32Array [1, 2, 0, 0]
 * ```
 */
export function grown<A extends Int32Array | Uint8Array | Float64Array>(a: A, n: number): A {
  const b = new (a.constructor as new (length: number) => A)(Math.max(2 * a.length, n));
  b.set(a);
  return b;
}

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
