/** Timing and memory helpers shared by the workloads. */

/** The median of some numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Run `fn` `warmup` times untimed, then `runs` times; the median wall time in ms. */
export function medianMs(fn: () => void, runs: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Milliseconds of CPU time this process has used (all its threads, the garbage collector's included). */
export function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** Linux's run time of this process's main thread, in ns, first field of `schedstat`; undefined elsewhere. */
const SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;

/**
 * Milliseconds of CPU time this thread (the main thread, which runs the benchmarks) has used, from Linux's
 * scheduler statistics; the process's CPU time (`cpuMs`) where they cannot be read. For a set-up, this is the
 * caller's cost: the process's CPU time adds what the engine's other threads did meanwhile (concurrent marking and
 * sweeping of earlier garbage, optimising compiles), which on an idle machine happens beside it, not before the
 * call returns. The kernel brings a running thread's figure up to date at its scheduler tick (every 4 ms on the
 * machine these figures come from), so a difference of two readings is good to about ±4 ms.
 */
export function threadCpuMs(): number {
  try {
    return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return cpuMs();
  }
}

/**
 * Like `medianMs`, but the median CPU time of this process per run: on a machine whose cores are busy with other
 * work, wall time counts the waiting too, CPU time only the work.
 */
export function medianCpuMs(fn: () => void, runs: number, warmup: number, batch = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = cpuMs();
    for (let k = 0; k < batch; k++) fn();
    times.push((cpuMs() - t0) / batch);
  }
  return median(times);
}

const gc = (globalThis as { gc?: () => void }).gc;

/** A full collection, so heap figures count live objects only. Needs node's --expose-gc. */
export function collect(): void {
  if (gc === undefined) throw new Error('run the benchmarks with --expose-gc (npm run bench does)');
  gc();
  gc();
}

/** Bytes in use now: the JS heap, and memory outside it held by ArrayBuffers (typed array chunks). */
export function memory(): { heap: number; external: number } {
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.arrayBuffers };
}

/** Format a number with thousands separators and a fixed number of decimals. */
export function fmt(x: number, digits = 0): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * The fastest of `runs` samples, each the mean wall time of `inner` calls, after `warmup` untimed calls: on a
 * machine shared with other work, the minimum is the figure least inflated by waiting.
 */
export function minMs(fn: () => void, runs: number, warmup: number, inner = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let k = 0; k < inner; k++) fn();
    best = Math.min(best, (performance.now() - t0) / inner);
  }
  return best;
}

/** Like `minMs` in CPU time of this process: the fastest of `runs` samples of `inner` calls each. */
export function minCpuMs(fn: () => void, runs: number, inner = 1): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = cpuMs();
    for (let k = 0; k < inner; k++) fn();
    best = Math.min(best, (cpuMs() - t0) / inner);
  }
  return best;
}

/** Fresh processes per cold set-up (see `inFreshProcesses`). */
export const COLD_RUNS = 5;

/**
 * Runs the bench script `script` (a path) with `args` `runs` times, each in a fresh node process through tsx (on the
 * workspace's sources, as the benches run), one after another, and returns what each printed, parsed as JSON. For a
 * set-up as a program meets it, the first call in a process (the library's own code not optimised by the engine
 * yet), which one process can measure only once: several processes give a median and a spread.
 */
export function inFreshProcesses<T>(script: string, args: readonly string[], runs: number): T[] {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  return Array.from(
    { length: runs },
    () =>
      JSON.parse(
        execFileSync(process.execPath, [tsx, '--conditions=@crossgrad/source', script, ...args], {
          encoding: 'utf8',
        }),
      ) as T,
  );
}

/** Milliseconds of one timed call: wall, the calling thread's CPU (`threadCpuMs`) and the whole process's CPU. */
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
