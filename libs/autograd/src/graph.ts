import type { Value } from './value.js';

// Each traversal takes a fresh stamp and marks the nodes it reaches with it, so "seen in this traversal" is one
// comparison, nothing has to be reset afterwards, and a traversal cut short (an exception) leaves nothing to
// repair: a node's parent count (backward's) is meaningful only while its stamp is the current one.
let lastStamp = 0;

// Work stack kept between calls (its slots are cleared after use, its capacity kept): allocating a big one in
// the middle of backward would start young-generation collections that copy the whole graph just built.
const STACK: (Value | undefined)[] = [];

/**
 * Backward's first sweep: a fresh stamp on every node reachable from `root`, its `count` = its parents within the
 * graph, and interior grads set to 0 (leaves keep theirs: they accumulate). Returns nothing; see `kahnOrder` for
 * the order in which backward then visits the nodes.
 *
 * @example
 * ```ts
 * countParents(y); // before backward's sweep from y
 * ```
 */
export function countParents(root: Value): void {
  const stamp = ++lastStamp;
  const stack = STACK;
  root.stamp = stamp;
  root.count = 0;
  if (root.c0 === null) return;
  root.grad = 0;
  let top = 0;
  stack[0] = root;
  while (top >= 0) {
    const v = stack[top] as Value;
    stack[top--] = undefined;
    const c0 = v.c0 as Value;
    // Leaves are counted but not entered: they have no operands.
    if (c0.stamp !== stamp) {
      c0.stamp = stamp;
      c0.count = 1;
      if (c0.c0 !== null) {
        c0.grad = 0;
        stack[++top] = c0;
      }
    } else {
      c0.count += 1;
    }
    const c1 = v.c1;
    if (c1 === null) continue;
    if (c1.stamp !== stamp) {
      c1.stamp = stamp;
      c1.count = 1;
      if (c1.c0 !== null) {
        c1.grad = 0;
        stack[++top] = c1;
      }
    } else {
      c1.count += 1;
    }
  }
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
  countParents(root);
  const order: Value[] = [];
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    order.push(v);
    const c0 = v.c0;
    if (c0 === null) continue;
    if ((c0.count -= 1) === 0 && (c0.c0 !== null || withLeaves)) stack.push(c0);
    const c1 = v.c1;
    if (c1 !== null && (c1.count -= 1) === 0 && (c1.c0 !== null || withLeaves)) stack.push(c1);
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
