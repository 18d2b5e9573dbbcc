import { Value } from '@crossgrad/autograd';
import { compileGradient } from '@crossgrad/symbolic';
import { fromValue } from '@crossgrad/verify';
import { buildW4, w4Inputs, W4_LEAVES } from '../../autograd/bench/w4.js';
const F = globalThis.Function;
let dumped = '';
(globalThis as unknown as { Function: unknown }).Function = function (...args: string[]) {
  const src = args.pop()!;
  dumped = src;
  return F(...args, src);
};
const names = Array.from({ length: W4_LEAVES }, (_, i) => `x${i}`);
const xs = w4Inputs();
const leaves = names.map((name, i) => new Value(xs[i], name));
const g = compileGradient(fromValue(buildW4(leaves, 10000)), names, { mode: 'loops' });
g(...Array.from(xs));
console.log(dumped);
