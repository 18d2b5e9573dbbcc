import { describe, expect, test } from 'vitest';
import { findRepeats, type RepeatOptions } from '@crossgrad/loops';

/** The repeats of a program given as one list of slots per instruction, as [start, period, reps, steps]. */
function repeats(shapes: number[], program: number[][], options?: RepeatOptions) {
  const slotStart = [0];
  for (const slots of program) slotStart.push(slotStart[slotStart.length - 1] + slots.length);
  const found = findRepeats(
    Float64Array.from(shapes),
    Int32Array.from(program.flat()),
    Int32Array.from(slotStart),
    options,
  );
  return found?.map((r) => [r.start, r.period, r.reps, Array.from(r.steps)]);
}

/** A seeded linear congruential generator: numbers in [0, 1). */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('findRepeats', () => {
  test('a body repeated, with the step of every slot', () => {
    // v[2] = v[0] + v[1]; v[3] = v[1] + v[2]; v[4] = v[2] + v[3]
    expect(
      repeats(
        [1, 1, 1],
        [
          [2, 0, 1],
          [3, 1, 2],
          [4, 2, 3],
        ],
      ),
    ).toEqual([[0, 1, 3, [1, 1, 1]]]);
  });

  test('a body of two instructions, six times: the period that covers most, not a multiple of it', () => {
    const program = Array.from({ length: 12 }, (_, f) => [100 + f, 50 + 2 * Math.floor(f / 2), 7]);
    const shapes = program.map((_, f) => 1 + (f % 2));
    expect(repeats(shapes, program)).toEqual([[0, 2, 6, [2, 2, 0, 2, 2, 0]]]);
  });

  test('a slot whose step changes: no loop, or (with tables) NaN, the rest written out once', () => {
    // Four repetitions of (dst, a, b): dst and a step by 1, b jumps about; then an instruction of another shape.
    const program = [
      [10, 0, 5],
      [11, 1, 9],
      [12, 2, 6],
      [13, 3, 8],
      [20, 13],
    ];
    const shapes = [1, 1, 1, 1, 2];
    expect(repeats(shapes, program)).toEqual([
      [0, 1, 1, [0, 0, 0]],
      [1, 1, 1, [0, 0, 0]],
      [2, 1, 1, [0, 0, 0]],
      [3, 1, 1, [0, 0, 0]],
      [4, 1, 1, [0, 0]],
    ]);
    expect(repeats(shapes, program, { tables: true })).toEqual([
      [0, 1, 4, [1, 1, NaN]],
      [4, 1, 1, [0, 0]],
    ]);
  });

  test('with tables, a body needs half of its slots at fixed steps, and a repetition that breaks it ends the loop', () => {
    const jumbled = [
      [10, 0, 5],
      [17, 1, 9],
      [12, 2, 6],
    ];
    expect(repeats([1, 1, 1], jumbled, { tables: true })?.map((r) => r[2])).toEqual([1, 1, 1]);
    // Slots (dst, a, b, c): dst fixed step; a, b, c fixed for 3 repetitions, then all jump in the 4th.
    const program = [
      [10, 0, 1, 2],
      [11, 1, 2, 3],
      [12, 2, 3, 4],
      [13, 40, 50, 60],
    ];
    expect(repeats([1, 1, 1, 1], program, { tables: true })).toEqual([
      [0, 1, 3, [1, 1, 1, 1]],
      [3, 1, 1, [0, 0, 0, 0]],
    ]);
  });

  test('negative slots match only negative ones; under 3 repetitions is no loop', () => {
    expect(
      repeats(
        [1, 1, 1],
        [
          [2, -1],
          [3, -2],
          [4, -3],
        ],
      ),
    ).toEqual([[0, 1, 3, [1, -1]]]);
    expect(
      repeats(
        [1, 1, 1],
        [
          [2, -1],
          [3, 0],
          [4, 1],
        ],
      )?.map((r) => r[2]),
    ).toEqual([1, 1, 1]);
    expect(
      repeats(
        [1, 1],
        [
          [2, 0],
          [3, 1],
        ],
      )?.map((r) => r[2]),
    ).toEqual([1, 1]);
  });

  test('an instruction past maxSlots is never in a body; past maxStraight the search gives up', () => {
    const wide = Array.from({ length: 4 }, (_, f) => Array.from({ length: 5 }, (_, q) => 10 * f + q));
    expect(repeats([1, 1, 1, 1], wide)?.map((r) => r[2])).toEqual([4]);
    expect(repeats([1, 1, 1, 1], wide, { maxSlots: 4 })?.map((r) => r[2])).toEqual([1, 1, 1, 1]);
    expect(repeats([1, 2, 3, 4], wide, { maxStraight: 3 })).toBeUndefined();
    expect(repeats([1, 2, 3, 4], wide, { maxStraight: 4 })?.length).toBe(4);
  });

  test('random programs: the repeats cover the program in order, and each repetition is its body shifted by the steps', () => {
    const next = random(20_261_207);
    let planted = 0;
    let looped = 0;
    for (let k = 0; k < 200; k++) {
      // A random body repeated a random number of times between random instructions, some slots jumping.
      const shapes: number[] = [];
      const program: number[][] = [];
      const noise = (): void => {
        for (let i = Math.floor(next() * 5); i > 0; i--) {
          shapes.push(Math.floor(next() * 3));
          program.push(Array.from({ length: 1 + Math.floor(next() * 3) }, () => Math.floor(next() * 100)));
        }
      };
      noise();
      const period = 1 + Math.floor(next() * 6);
      const body = Array.from({ length: period }, () => ({
        shape: Math.floor(next() * 3),
        slots: Array.from({ length: 1 + Math.floor(next() * 3) }, () => Math.floor(next() * 100)),
        steps: Array.from({ length: 3 }, () => (next() < 0.2 ? -1 : Math.floor(next() * 7) - 3)),
      }));
      const reps = 3 + Math.floor(next() * 20);
      planted += reps * period;
      for (let r = 0; r < reps; r++) {
        for (const { shape, slots, steps } of body) {
          shapes.push(shape);
          program.push(slots.map((s, q) => (steps[q] === -1 ? Math.floor(next() * 100) : s + r * steps[q])));
        }
      }
      noise();
      for (const tables of [false, true]) {
        const found = repeats(shapes, program, { tables }) as [number, number, number, number[]][];
        let f = 0;
        for (const [start, P, n, steps] of found) {
          expect(start).toBe(f);
          const width = program.slice(start, start + P).flat().length;
          expect(steps.length).toBe(width);
          for (let r = 1; r < n; r++) {
            const base = program.slice(start, start + P).flat();
            const here = program.slice(start + r * P, start + (r + 1) * P).flat();
            expect(shapes.slice(start + r * P, start + (r + 1) * P)).toEqual(shapes.slice(start, start + P));
            here.forEach((s, q) => {
              if (!Number.isNaN(steps[q])) expect(s).toBe(base[q] + r * steps[q]);
            });
          }
          f += P * n;
        }
        expect(f).toBe(program.length);
        if (tables) for (const [, P, n] of found) if (n > 1) looped += P * n;
        if (!tables) expect(found.flatMap((r) => r[3]).some(Number.isNaN)).toBe(false);
      }
    }
    // Most of the planted repetitions are found as loops (a body with too many jumping slots is not one).
    expect(looped).toBeGreaterThan(planted / 2);
  });
});
