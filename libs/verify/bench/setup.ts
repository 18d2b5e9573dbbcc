/** What B5 (index.ts) and its cold set-up in fresh processes (cold.ts) share: W4's graph with variables. */
import { Value } from '@crossgrad/autograd';
import { buildW4, W4_LEAVES, w4Inputs } from '../../autograd/bench/w4.js';

/**
 * W4's graph on leaves labelled `x0 … x99` (or another prefix), so that `fromValue` makes them variables. Another
 * prefix gives expressions symbolic has not interned yet.
 */
export function w4Graph(nOps: number, prefix = 'x'): { output: Value; names: string[] } {
  const names = Array.from({ length: W4_LEAVES }, (_, i) => `${prefix}${i}`);
  const xs = w4Inputs();
  const leaves = names.map((name, i) => new Value(xs[i], name));
  return { output: buildW4(leaves, nOps), names };
}
