import { NonFiniteError } from './errors.js';
import { countParents, topologicalOrder } from './graph.js';
import type { Value } from './value.js';

/**
 * Reverse-mode pass from `root` (see `Value.backward`): the chain rule and nothing else. Every op stored its local
 * derivatives when it was built (`rules.ts`), so each node sends `d0·grad` to its first operand and `d1·grad` to
 * its second. Two sweeps with explicit stacks: count each node's parents (and zero interior grads), then start at
 * the root and let a node send once its last parent has sent, so its grad is final (Kahn's algorithm on the
 * reversed graph). No order array is built and the stack stays as small as the graph is wide, so a 10^6-deep
 * chain needs no extra memory. The stack is a plain local array: a packed array with push and pop measured about
 * 10% faster on W1's backward than a shared one whose popped slots are cleared, and after an error it is dropped
 * with everything in it (marks need no repair, see graph.ts). Leaves keep what they had and accumulate.
 *
 * @example
 * ```ts
 * backward(y, false); // what y.backward() does
 * ```
 */
export function backward(root: Value, checkFinite: boolean): void {
  if (checkFinite) checkValues(root);
  const base = countParents(root);
  root.grad += 1;
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    const g = v.grad;
    if (checkFinite && !Number.isFinite(g)) throw new NonFiniteError(v, 'grad', g);
    const c0 = v.c0;
    if (c0 === null) continue;
    c0.grad += v.d0 * g;
    // A leaf sends nothing on, so it is visited only when its grad is to be checked.
    if ((c0.stamp -= 1) === base && (c0.c0 !== null || checkFinite)) stack.push(c0);
    const c1 = v.c1;
    if (c1 === null) continue;
    c1.grad += v.d1 * g;
    if ((c1.stamp -= 1) === base && (c1.c0 !== null || checkFinite)) stack.push(c1);
  }
}

/** With `checkFinite`: the first non-finite value in forward order, before any grad changes. */
function checkValues(root: Value): void {
  const order = topologicalOrder(root);
  for (let i = 0; i < order.length; i++) {
    const v = order[i];
    if (!Number.isFinite(v.data)) throw new NonFiniteError(v, 'data', v.data);
  }
}

/**
 * Set the grad of every node reachable from `root` to 0 (see `Value.zeroGrad`).
 *
 * @example
 * ```ts
 * zeroGrad(y); // what y.zeroGrad() does
 * ```
 */
export function zeroGrad(root: Value): void {
  const order = topologicalOrder(root);
  for (let i = 0; i < order.length; i++) order[i].grad = 0;
}
