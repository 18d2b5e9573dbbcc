import type { Value } from './value.js';

// Each traversal takes a fresh stamp and marks the nodes it reaches with it, so "seen in this traversal" is one
// comparison, nothing has to be reset afterwards, and a traversal cut short (an exception) leaves nothing to repair.
let lastStamp = 0;

/**
 * Every node reachable from `root`, each once, children before parents (`root` last). Iterative depth-first
 * search with an explicit stack (first operand, then second), so the depth of the graph is bounded by memory, not
 * by the call stack. `backward()` and `compileGraph` both walk this order, so they do the same arithmetic in the
 * same order.
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
  // Per stack entry: 0 = visit c0 next, 1 = visit c1 next, 2 = both done.
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
