/** What B5 (index.ts) and its cold set-up in fresh processes (cold.ts) share: W4's graph with variables, and timing. */
import { Value } from '@crossgrad/autograd';
import { cpuMs, threadCpuMs } from '../../autograd/bench/measure.js';
import { buildW4, W4_LEAVES, w4Inputs } from '../../autograd/bench/w4.js';

/** Fresh processes per cold set-up. */
export const COLD_RUNS = 5;

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

/** Milliseconds of one timed call: wall, the calling thread's CPU and the whole process's CPU. */
export interface Timing {
  wall: number;
  cpu: number;
  process: number;
}

/**
 * One call of `f`: its result, its wall milliseconds, the CPU milliseconds of the calling thread (`threadCpuMs`:
 * the caller's cost) and of the whole process (the engine's other threads too: optimising compiles, concurrent
 * marking of earlier garbage).
 */
export function timed<T>(f: () => T): [T, Timing] {
  const t0 = performance.now();
  const h0 = threadCpuMs();
  const c0 = cpuMs();
  const result = f();
  const processCpu = cpuMs() - c0;
  const cpu = threadCpuMs() - h0;
  return [result, { wall: performance.now() - t0, cpu, process: processCpu }];
}
