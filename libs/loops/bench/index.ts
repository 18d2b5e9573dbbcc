/**
 * Benchmark of @crossgrad/loops: `findRepeats` on programs of 100,000 instructions, against one pass that reads
 * every slot once (the least any search must do), measured in the same run. `npx nx bench loops`.
 *
 * - a program that repeats (a body of 12 instructions, as W4's cycle, a quarter of whose instructions read a slot
 *   from anywhere, as symbolic's sums do): with tables, one loop; without, none;
 * - a program that never repeats (random shapes and slots): every candidate fails, the search's worst case, cut
 *   short by `maxStraight` as the compilers call it, or running its whole budget.
 */
import { findRepeats } from '@crossgrad/loops';

function line(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Median milliseconds of `runs` calls of f, after 2 unmeasured ones. */
function medianMs(f: () => unknown, runs = 9): number {
  for (let i = 0; i < 2; i++) f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** A seeded linear congruential generator: numbers in [0, 1). */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

interface Program {
  shape: Float64Array;
  slots: Int32Array;
  slotStart: Int32Array;
}

function program(m: number, repeating: boolean): Program {
  const next = random(1207);
  const shape = new Float64Array(m);
  const slotStart = new Int32Array(m + 1);
  const slots: number[] = [];
  for (let f = 0; f < m; f++) {
    const p = f % 12;
    const r = Math.floor(f / 12);
    if (repeating) {
      shape[f] = p % 5;
      // Output, two operands a fixed distance back, and (every 4th) a term read from anywhere.
      slots.push(100 + f, 100 + f - 1 - p, 100 + f - 12, p % 4 === 0 ? Math.floor(next() * 1000) : 100 + r);
    } else {
      shape[f] = Math.floor(next() * 5);
      slots.push(100 + f, Math.floor(next() * f), Math.floor(next() * f), Math.floor(next() * f));
    }
    slotStart[f + 1] = slots.length;
  }
  return { shape, slots: Int32Array.from(slots), slotStart };
}

/** One read of every slot: the least any search must do. */
function readAll(slots: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < slots.length; i++) sum += slots[i];
  return sum;
}

const M = 100_000;
line(`L1  findRepeats on programs of ${M.toLocaleString('en')} instructions (4 slots each), median of 9`);
for (const [name, repeating, options] of [
  ['repeating, tables', true, { tables: true }],
  ['repeating, no tables', true, {}],
  ['never repeating, maxStraight 400 (as the compilers call it)', false, { tables: true, maxStraight: 400 }],
  ['never repeating, no limit (the whole budget)', false, { tables: true }],
] as const) {
  const p = program(M, repeating);
  let sink = 0;
  const baseline = medianMs(() => (sink += readAll(p.slots)));
  const found = findRepeats(p.shape, p.slots, p.slotStart, options);
  const search = medianMs(() => findRepeats(p.shape, p.slots, p.slotStart, options));
  const loops = found?.filter((r) => r.reps > 1) ?? [];
  const covered = loops.reduce((n, r) => n + r.period * r.reps, 0);
  line(
    `    ${name}: ${search.toFixed(2)} ms = ${(search / baseline).toFixed(0)}× one read of every slot ` +
      `(${baseline.toFixed(3)} ms); ` +
      (found === undefined
        ? 'gave up (undefined)'
        : `${loops.length} loops covering ${((100 * covered) / M).toFixed(1)}% of the instructions`),
  );
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the baseline from being optimised away');
}
