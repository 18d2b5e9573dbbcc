import type { Value } from './value.js';

/**
 * Every node reachable from `root`, each once, children before parents (`root` last). Iterative depth-first
 * search with an explicit stack, so the depth of the graph is bounded by memory, not by the call stack.
 *
 * @example
 * ```ts
 * const a = new Value(2, 'a');
 * const y = a.mul(a).add(1);
 * topologicalOrder(y).map((v) => v.op); // ['', '*', '', '+']
 * ```
 */
export function topologicalOrder(root: Value): Value[] {
  if (root.c0 === null) return [root];
  const order: Value[] = [];
  const stack: Value[] = [root];
  // Per stack entry: 0 = visit c0 next, 1 = visit c1 next, 2 = both done.
  const next: number[] = [0];
  root.mark = 1;
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
    if (c !== null && c.mark === 0) {
      c.mark = 1;
      if (c.c0 === null) {
        order.push(c); // a leaf is finished as soon as it is seen
      } else {
        stack.push(c);
        next.push(0);
      }
    }
  }
  // Marks go back to 0, so traversals need neither an epoch counter nor a Set.
  for (let i = 0; i < order.length; i++) order[i].mark = 0;
  return order;
}
