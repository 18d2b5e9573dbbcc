import type { Value } from './value.js';

// Each traversal takes fresh stamps, above every mark left by earlier ones, and marks the nodes it reaches with
// them, so "seen in this traversal" is one comparison, nothing has to be reset afterwards, and a traversal cut
// short (an exception) leaves nothing to repair. Backward's count of parents shares the node's one mark slot: its
// first sweep takes a base stamp and the range above it (as many stamps as the graph has edges), and a node's
// mark is base + parents not yet sent. Stamps are doubles, exact to 2^53: ten million edges per backward would
// last 9·10^8 calls.
let lastStamp = 0;

// Work stack kept between calls (its slots are cleared after use, its capacity kept): allocating a big one in
// the middle of backward would start young-generation collections that copy the whole graph just built.
const STACK: (Value | undefined)[] = [];

/**
 * Backward's first sweep: takes a fresh base stamp and marks every node reachable from `root` with base + its
 * parents within the graph; interior grads are set to 0 (leaves keep theirs: they accumulate). Returns the base:
 * a node is ready in the second sweep when its mark is back down to it. See `kahnOrder` for the order in which
 * backward then visits the nodes.
 *
 * @example
 * ```ts
 * const base = countParents(y); // before backward's sweep from y
 * y.stamp === base; // true: the root has no parent
 * ```
 */
export function countParents(root: Value): number {
  const base = lastStamp + 1;
  const stack = STACK;
  root.stamp = base;
  if (root.c0 === null) {
    lastStamp = base;
    return base;
  }
  root.grad = 0;
  let edges = 0;
  let top = 0;
  stack[0] = root;
  while (top >= 0) {
    const v = stack[top] as Value;
    stack[top--] = undefined;
    const c0 = v.c0 as Value;
    edges++;
    // Marks below the base are from earlier traversals: the node is new to this one. Leaves are counted but not
    // entered: they have no operands.
    const m0 = c0.stamp;
    if (m0 < base) {
      c0.stamp = base + 1;
      if (c0.c0 !== null) {
        c0.grad = 0;
        stack[++top] = c0;
      }
    } else {
      c0.stamp = m0 + 1;
    }
    const c1 = v.c1;
    if (c1 === null) continue;
    edges++;
    const m1 = c1.stamp;
    if (m1 < base) {
      c1.stamp = base + 1;
      if (c1.c0 !== null) {
        c1.grad = 0;
        stack[++top] = c1;
      }
    } else {
      c1.stamp = m1 + 1;
    }
  }
  // No mark can exceed base + edges: the next traversal starts above all of them.
  lastStamp = base + edges;
  return base;
}

/**
 * The order in which `backward()` sends grads: the root first, then each node once its last parent has sent
 * (Kahn's algorithm on the reversed graph, with a stack), leaves only if `withLeaves` (backward visits them only
 * to check their grads). Interior nodes come in the same relative order either way. `compileGraph` records this
 * order so that it adds up gradients exactly as `backward()` does.
 *
 * @example
 * ```ts
 * kahnOrder(y, false).at(0) === y; // true
 * ```
 */
export function kahnOrder(root: Value, withLeaves: boolean): Value[] {
  const base = countParents(root);
  const order: Value[] = [];
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    order.push(v);
    const c0 = v.c0;
    if (c0 === null) continue;
    if ((c0.stamp -= 1) === base && (c0.c0 !== null || withLeaves)) stack.push(c0);
    const c1 = v.c1;
    if (c1 !== null && (c1.stamp -= 1) === base && (c1.c0 !== null || withLeaves)) stack.push(c1);
  }
  return order;
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
    // Marking on push is enough in a DAG: meeting a node again while it is on the stack would mean a cycle.
    if (c !== null && c.stamp !== stamp) {
      c.stamp = stamp;
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
