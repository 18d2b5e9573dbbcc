import { DATA, GRAD, MARK, type Value } from './value.js';

// Each traversal takes fresh stamps, above every mark left by earlier ones, and marks the nodes it reaches with
// them, so "seen in this traversal" is one comparison, nothing has to be reset afterwards, and a traversal cut
// short (an exception) leaves nothing to repair. Backward's count of parents shares the node's one mark slot: its
// first sweep takes a base stamp and the range above it (as many stamps as the graph has edges), and a node's
// mark is base + parents not yet sent. Stamps are doubles, exact to 2^53: ten million edges per backward would
// last 9·10^8 calls.
let lastStamp = 0;

/** Nodes reached by the last `countParents`. */
let counted = 0;

// Work stack kept between calls (its slots are cleared after use, its capacity kept): allocating a big one in
// the middle of backward would start young-generation collections that copy the whole graph just built.
const STACK: (Value | undefined)[] = [];

/**
 * Backward's first sweep: takes a fresh base stamp and marks every node reachable from `root` with base + its
 * parents within the graph; interior grads are set to 0 (leaves keep theirs: they accumulate). Returns the base:
 * a node is ready in the second sweep when its mark is back down to it. See `slotLayout` for the order in which
 * backward then visits the nodes.
 *
 * @example
 * ```ts
 * const base = countParents(y); // before backward's sweep from y
 * y.stamp === base; // true: the root has no parent
 * ```
 */
export function countParents(root: Value): number {
  // The module's constants as locals: an imported or module-level binding is read with a check at each use until the
  // function is optimised, and a process's first backward or compile runs it unoptimised.
  const mark = MARK;
  const grad = GRAD;
  const base = lastStamp + 1;
  const stack = STACK;
  root.stamp = base;
  if (root.c0 === null) {
    lastStamp = base;
    counted = 1;
    return base;
  }
  root.grad = 0;
  // The last stamp taken: one per edge. Kept as it goes, as is the count of nodes, so that nothing after the loop
  // computes: the engine may have optimised the loop before that code ever ran, and would drop its code there.
  let last = base;
  let nodes = 1;
  let top = 0;
  stack[0] = root;
  // The marks and grads are read and written in the nodes' chunks (see MARK in value.ts).
  while (top >= 0) {
    const v = stack[top] as Value;
    stack[top--] = undefined;
    const c0 = v.c0 as Value;
    last++;
    // Marks below the base are from earlier traversals: the node is new to this one. Leaves are counted but not
    // entered: they have no operands.
    const s0 = c0.s;
    const i0 = c0.i;
    const m0 = s0[i0 + mark];
    if (m0 < base) {
      nodes++;
      s0[i0 + mark] = base + 1;
      if (c0.c0 !== null) {
        s0[i0 + grad] = 0;
        stack[++top] = c0;
      }
    } else {
      s0[i0 + mark] = m0 + 1;
    }
    const c1 = v.c1;
    if (c1 === null) continue;
    last++;
    const s1 = c1.s;
    const i1 = c1.i;
    const m1 = s1[i1 + mark];
    if (m1 < base) {
      nodes++;
      s1[i1 + mark] = base + 1;
      if (c1.c0 !== null) {
        s1[i1 + grad] = 0;
        stack[++top] = c1;
      }
    } else {
      s1[i1 + mark] = m1 + 1;
    }
  }
  // No mark can exceed base + edges: the next traversal starts above all of them.
  lastStamp = last;
  counted = nodes;
  return base;
}

/**
 * The graph under `root` laid out for `compileGraph`: every node gets a slot, numbered in the order in which
 * `backward()` sends grads (the root first, then each node once its last parent has sent: Kahn's algorithm on the
 * reversed graph, with a stack), leaves from 0 up, interior nodes from the last slot down, so that interior slots
 * run in a forward (topological) order. Fills `nodeAt` (the node in each slot) and `val` (its value), and leaves
 * each node's stamp at -1 - slot until the next traversal. With `order`, also the slots in visiting order, leaves
 * included, for the checked backward. One walk does all of it, after backward's own count of parents.
 *
 * @example
 * ```ts
 * const { nodeAt, leaves } = slotLayout(y, false);
 * nodeAt.at(-1) === y; // true: the root takes the last slot
 * ```
 */
export function slotLayout(
  root: Value,
  order: boolean,
): { nodeAt: Value[]; val: Float64Array; leaves: number; order: Int32Array } {
  const base = countParents(root);
  const n = counted;
  const nodeAt = new Array<Value>(n);
  const val = new Float64Array(n);
  const visits = new Int32Array(order ? n : 0);
  const leaves = layOut(root, base, nodeAt, val, visits);
  return { nodeAt, val, leaves, order: visits };
}

/** `slotLayout`'s walk, its loop alone in a function (see `countParents`); returns the number of leaves. */
function layOut(root: Value, base: number, nodeAt: Value[], val: Float64Array, visits: Int32Array): number {
  const mark = MARK;
  const data = DATA;
  const order = visits.length > 0;
  let nextLeaf = 0;
  let nextNode = nodeAt.length;
  let p = 0;
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    const c0 = v.c0;
    const s = c0 === null ? nextLeaf++ : --nextNode;
    nodeAt[s] = v;
    const sv = v.s;
    const iv = v.i;
    val[s] = sv[iv + data];
    // Every parent has sent: the count in the mark is done with.
    sv[iv + mark] = -1 - s;
    if (order) visits[p++] = s;
    if (c0 === null) continue;
    if ((c0.s[c0.i + mark] -= 1) === base) stack.push(c0);
    const c1 = v.c1;
    if (c1 !== null && (c1.s[c1.i + mark] -= 1) === base) stack.push(c1);
  }
  return nextLeaf;
}

/**
 * Every node reachable from `root`, each once, children before parents (`root` last). Iterative depth-first
 * search with an explicit stack (first operand, then second), so the depth of the graph is bounded by memory, not
 * by the call stack.
 *
 * @example
 * ```ts
 * const a = new Value(2, 'a');
 * const y = a.mul(a).add(1);
 * topologicalOrder(y).map((v) => v.op); // ['', '*', '', '+']
 * ```
 */
export function topologicalOrder(root: Value): Value[] {
  const mark = MARK; // as a local: see countParents
  const stamp = ++lastStamp;
  root.stamp = stamp;
  if (root.c0 === null) return [root];
  const order: Value[] = [];
  const stack: Value[] = [root];
  // Per stack entry: the operand to look at next (0: c0, 1: c1, 2: none left).
  const next: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const v = stack[top];
    const k = next[top];
    let c: Value | null;
    if (k === 0) {
      next[top] = 1;
      c = v.c0;
    } else if (k === 1) {
      next[top] = 2;
      c = v.c1;
    } else {
      stack.pop();
      next.pop();
      order.push(v);
      continue;
    }
    // Marking on push is enough in a DAG: meeting a node again while it is on the stack would mean a cycle. The
    // marks are read and written in the nodes' chunks (see MARK in value.ts).
    if (c !== null && c.s[c.i + mark] !== stamp) {
      c.s[c.i + mark] = stamp;
      if (c.c0 === null) {
        order.push(c); // a leaf is finished as soon as it is seen
      } else {
        stack.push(c);
        next.push(0);
      }
    }
  }
  return order;
}

/**
 * The graph under a root as arrays (see {@link flatGraph}).
 *
 * @example
 * ```ts
 * const { nodes, first, second }: FlatGraph = flatGraph(y);
 * ```
 */
export interface FlatGraph {
  /** Every node under the root once, operands before the nodes that use them, the root last (as `topologicalOrder`). */
  readonly nodes: readonly Value[];
  /** Per node, the position in `nodes` of its first operand; -1 for a leaf. */
  readonly first: Int32Array;
  /** Per node, the position in `nodes` of its second operand; -1 for a leaf or a one-operand op. */
  readonly second: Int32Array;
}

/**
 * The graph under `root` as arrays: its nodes in `topologicalOrder`'s order and, per node, where its operands are
 * in that list. For code that walks a graph's structure (converting it, say) without a `Map` from node to position:
 * linear, no recursion.
 *
 * @example
 * ```ts
 * const a = new Value(2, 'a');
 * const { nodes, first, second } = flatGraph(a.mul(a).add(1));
 * nodes.map((v) => v.op); // ['', '*', '', '+']
 * [...first]; // [-1, 0, -1, 1]
 * [...second]; // [-1, 0, -1, 2]
 * ```
 */
export function flatGraph(root: Value): FlatGraph {
  const nodes = topologicalOrder(root);
  const first = new Int32Array(nodes.length);
  const second = new Int32Array(nodes.length);
  operandPositions(nodes, first, second);
  return { nodes, first, second };
}

/**
 * `flatGraph`'s positions: each node's mark holds -1 - its position from when it is reached (its operands come
 * before it, so theirs are set), negative, never a traversal's stamp.
 */
function operandPositions(nodes: readonly Value[], first: Int32Array, second: Int32Array): void {
  const mark = MARK;
  for (let p = 0; p < nodes.length; p++) {
    const v = nodes[p];
    v.s[v.i + mark] = -1 - p;
    const c0 = v.c0;
    const c1 = v.c1;
    first[p] = c0 === null ? -1 : -1 - c0.s[c0.i + mark];
    second[p] = c1 === null ? -1 : -1 - c1.s[c1.i + mark];
  }
}
