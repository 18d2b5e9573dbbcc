import { NonFiniteError } from './errors.js';
import { topologicalOrder } from './graph.js';
import type { Value } from './value.js';

/**
 * Reverse-mode pass from `root` (see `Value.backward`), in two sweeps over the graph with explicit stacks:
 * 1. count every node's parents in the graph (its `mark`) and reset interior grads;
 * 2. starting at the root, send each node's grad to its operands; an operand is ready, its grad final, when its
 *    last parent has sent (Kahn's algorithm on the reversed graph). Counts are back to 0 at the end.
 * No topological order array is built and the stacks stay as small as the graph is wide, so a chain of 10^6
 * nodes needs no extra memory.
 *
 * @example
 * ```ts
 * backward(y, false); // what y.backward() does
 * ```
 */
export function backward(root: Value, checkFinite: boolean): void {
  if (checkFinite) checkValues(root);
  countParents(root);
  root.grad += 1;
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    if (checkFinite && !Number.isFinite(v.grad)) {
      const error = new NonFiniteError(v, 'grad', v.grad);
      release(v, stack);
      throw error;
    }
    const c0 = v.c0;
    if (c0 === null) continue;
    propagate(v, c0);
    // A leaf sends nothing on, so it is visited only when its grad is to be checked.
    if ((c0.mark -= 1) === 0 && (c0.c0 !== null || checkFinite)) stack.push(c0);
    const c1 = v.c1;
    if (c1 !== null && (c1.mark -= 1) === 0 && (c1.c0 !== null || checkFinite)) stack.push(c1);
  }
}

/** Sweep 1: `mark` = number of parents reachable from `root`; interior grads (not leaves') start from 0. */
function countParents(root: Value): void {
  if (root.c0 !== null) root.grad = 0;
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    const c0 = v.c0;
    if (c0 === null) continue;
    // Leaves are counted (so their counts return to 0 in sweep 2) but not entered: they have no operands.
    if (c0.mark === 0 && c0.c0 !== null) {
      c0.grad = 0;
      stack.push(c0);
    }
    c0.mark += 1;
    const c1 = v.c1;
    if (c1 === null) continue;
    if (c1.mark === 0 && c1.c0 !== null) {
      c1.grad = 0;
      stack.push(c1);
    }
    c1.mark += 1;
  }
}

/** Send `v.grad` to its operands: one multiply-add per edge from the stored local derivative. */
function propagate(v: Value, c0: Value): void {
  const g = v.grad;
  const c1 = v.c1;
  if (c1 === null) {
    c0.grad += v.d0 * g;
  } else if (v.op === '+') {
    c0.grad += g;
    c1.grad += g;
  } else if (v.op === '*') {
    const a = c0.data;
    const b = c1.data;
    c0.grad += b * g;
    c1.grad += a * g;
  } else {
    // '**' with a Value exponent. d/dexponent = a^b·ln a, 0 where a == 0 and b >= 0 (PyTorch's
    // pow_backward_exponent); only this op needs it, so it is derived from the stored output, not stored.
    const a = c0.data;
    const b = c1.data;
    c0.grad += v.d0 * g;
    c1.grad += (a === 0 && b >= 0 ? 0 : v.data * Math.log(a)) * g;
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

/** After an aborted sweep 2: finish counting down without sending grads, so every count is 0 again. */
function release(v: Value, stack: Value[]): void {
  stack.push(v);
  while (stack.length > 0) {
    const u = stack.pop() as Value;
    const c0 = u.c0;
    if (c0 === null) continue;
    if ((c0.mark -= 1) === 0) stack.push(c0);
    const c1 = u.c1;
    if (c1 !== null && (c1.mark -= 1) === 0) stack.push(c1);
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
