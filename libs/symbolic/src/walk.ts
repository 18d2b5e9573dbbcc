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
 * The DAG below a root, flattened: its nodes in the order they were made (by `id`: children before parents, the
 * root last), each node's position in that list, and each node's operands by position.
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
 * `root`'s DAG as an {@link IndexedDag}: the nodes in the order they were made (a node is made after its
 * operands, so this lists children first), and the positions of their operands, so that later passes index
 * arrays instead of looking nodes up. A `visitor` is told of each node as it is listed, its operands before it,
 * so that a pass can be done in the same loop. The order of making follows the caller's code: a DAG built by a
 * loop is listed one repetition after another, which the compiler's generated loops rely on.
 */
export function indexDag(root: Expr, visitor?: DagVisitor): IndexedDag {
  // Every node once, children before parents (postOrder's walk), then sorted by id where that order is not
  // already the order of making (a small expression's usually is: no sort then).
  const position = new Map<Expr, number>([[root, -1]]);
  const found: Expr[] = [];
  const stack: Expr[] = [root];
  const next: number[] = [0];
  let sorted = true;
  for (let top = 0; top >= 0;) {
    const node = stack[top];
    const i = next[top];
    if (i < operandCount(node)) {
      next[top] = i + 1;
      const child = operandAt(node, i);
      if (!position.has(child)) {
        position.set(child, -1);
        stack[++top] = child;
        next[top] = 0;
      }
    } else {
      if (found.length > 0 && node.id < found[found.length - 1].id) sorted = false;
      found.push(node);
      top--;
    }
  }
  const n = found.length;
  let order: ArrayLike<number> | undefined;
  if (!sorted) {
    // As numbers: id · 2^b + index in one float, exact while it stays below 2^53 (else by a comparison).
    let scale = 1;
    let maxId = 0;
    while (scale < n) scale *= 2;
    for (let i = 0; i < n; i++) maxId = Math.max(maxId, found[i].id);
    if ((maxId + 1) * scale <= 2 ** 53) {
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) keys[i] = found[i].id * scale + i;
      keys.sort();
      for (let i = 0; i < n; i++) keys[i] %= scale;
      order = keys;
    } else {
      order = Array.from(found.keys()).sort((i, j) => found[i].id - found[j].id);
    }
  }
  const nodes: Expr[] = new Array<Expr>(n);
  const start = new Int32Array(n + 1);
  let operands = new Int32Array(Math.max(2 * n, 16));
  let edges = 0;
  for (let p = 0; p < n; p++) {
    const node = order === undefined ? found[p] : found[order[p]];
    const k = operandCount(node);
    if (edges + k > operands.length) operands = grown(operands, edges + k);
    for (let j = 0; j < k; j++) operands[edges + j] = position.get(operandAt(node, j)) as number;
    visitor?.visit(node, p, operands, edges, k);
    edges += k;
    nodes[p] = node;
    position.set(node, p);
    start[p + 1] = edges;
  }
  return {
    nodes,
    start,
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
