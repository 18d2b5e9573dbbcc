import { NonFiniteError } from './errors.js';
import { topologicalOrder } from './graph.js';
import type { Value } from './value.js';

/**
 * Reverse-mode pass from `root` (see `Value.backward`): the chain rule and nothing else. Every op stored its local
 * derivatives when it was built (`rules.ts`), so each node sends `d0·grad` to its first operand and `d1·grad` to
 * its second, in reverse topological order, where a node's grad is final by the time it sends. Interior grads
 * start from 0; leaves keep what they had and accumulate. Iterative, so any depth works.
 *
 * @example
 * ```ts
 * backward(y, false); // what y.backward() does
 * ```
 */
export function backward(root: Value, checkFinite: boolean): void {
  const order = topologicalOrder(root);
  const n = order.length;
  if (checkFinite) {
    for (let k = 0; k < n; k++) {
      const v = order[k];
      if (!Number.isFinite(v.data)) throw new NonFiniteError(v, 'data', v.data);
    }
  }
  for (let k = 0; k < n; k++) {
    const v = order[k];
    if (v.c0 !== null) v.grad = 0;
  }
  root.grad += 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = order[k];
    const g = v.grad;
    if (checkFinite && !Number.isFinite(g)) throw new NonFiniteError(v, 'grad', g);
    const c0 = v.c0;
    if (c0 === null) continue;
    c0.grad += v.d0 * g;
    const c1 = v.c1;
    if (c1 !== null) c1.grad += v.d1 * g;
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
