/**
 * A stretch of a program that repeats: instructions `[start, start + period·reps)`, each repetition the body
 * `[start, start + period)` with the same shapes. Per slot of the body, `steps` holds the step from one
 * repetition's slot to the next one's where it is the same for all of them, NaN where it is not (only with the
 * option `tables`: such slots are read from a table of each repetition's). `reps` is 1 for an instruction
 * written out once.
 *
 * @example
 * ```ts
 * const r: Repeat = { start: 0, period: 2, reps: 50, steps: Float64Array.of(2, 2, 0, NaN) };
 * ```
 */
export interface Repeat {
  readonly start: number;
  readonly period: number;
  readonly reps: number;
  /** Per slot of the body (its instructions' slots in turn): the step per repetition, or NaN. */
  readonly steps: Float64Array;
}

/**
 * Options of {@link findRepeats}.
 *
 * @example
 * ```ts
 * const options: RepeatOptions = { tables: true, maxStraight: 400 };
 * ```
 */
export interface RepeatOptions {
  /**
   * Whether a body may have slots whose step changes from one repetition to the next (their steps are NaN; the
   * code generator reads them from a table), provided that at least half of its slots have fixed steps. Without
   * it (the default), every slot must move by a fixed step. Default false.
   */
  readonly tables?: boolean;
  /** Instructions written out once past which the search gives up (returns undefined). Default Infinity. */
  readonly maxStraight?: number;
  /** An instruction with more slots than this is never part of a body. Default 64. */
  readonly maxSlots?: number;
}

/** Longest body tried, in instructions. */
const MAX_PERIOD = 2048;
/** Repetitions of an instruction's shape looked at as candidate periods. */
const MAX_CANDIDATES = 64;
/** A stretch becomes a loop from this many repetitions on. */
const MIN_REPS = 3;

/**
 * The repeating stretches of a straight-line program, greedily from its first instruction: at each instruction
 * the next ones of the same shape are candidate periods, each checked against two repetitions at once (so a
 * wrong one fails early), the one covering most instructions taken. `shape[f]` says which instructions may stand
 * for each other (with the same number of slots); instruction f's slots are
 * `slots[slotStart[f] .. slotStart[f + 1])`. Negative slots are a class of their own (a caller's constants,
 * say): one is matched only by a negative slot. Linear in the program's size: the search returns undefined
 * when its budget of comparisons runs out or past `maxStraight` instructions written out once.
 *
 * @example
 * ```ts
 * // v[2] = v[0] + v[1]; v[3] = v[1] + v[2]; v[4] = v[2] + v[3]: one body repeated 3 times
 * findRepeats(Float64Array.of(1, 1, 1), Int32Array.of(2, 0, 1, 3, 1, 2, 4, 2, 3), Int32Array.of(0, 3, 6, 9));
 * // [{ start: 0, period: 1, reps: 3, steps: Float64Array [1, 1, 1] }]
 * ```
 */
export function findRepeats(
  shape: Float64Array,
  slots: Int32Array,
  slotStart: Int32Array,
  options: RepeatOptions = {},
): Repeat[] | undefined {
  const m = shape.length;
  const search = new Search(shape, slots, slotStart, options);
  const nextSame = search.nextSame;
  const repeats: Repeat[] = [];
  let straight = 0;
  for (let f = 0; f < m;) {
    let best: { P: number; reps: number; steps: number[] } | undefined;
    let candidates = 0;
    for (let g = nextSame[f]; g !== -1 && search.budget > 0 && candidates < MAX_CANDIDATES; g = nextSame[g]) {
      const P = g - f;
      if (P > MAX_PERIOD || f + 2 * P > m) break;
      // A multiple of a period found covers no more than it; a loop to the end cannot be beaten.
      if (best !== undefined && (P % best.P === 0 || f + best.P * (best.reps + 1) > m)) continue;
      candidates++;
      const r = search.repetitions(f, P);
      if (r.reps >= MIN_REPS && (best === undefined || r.reps * P > best.reps * best.P)) best = { P, ...r };
    }
    if (search.budget <= 0) return undefined;
    if (best !== undefined) {
      repeats.push({ start: f, period: best.P, reps: best.reps, steps: Float64Array.from(best.steps) });
      f += best.P * best.reps;
    } else {
      repeats.push({
        start: f,
        period: 1,
        reps: 1,
        steps: new Float64Array(slotStart[f + 1] - slotStart[f]),
      });
      f++;
      if (++straight > search.maxStraight) return undefined;
    }
  }
  return repeats;
}

/**
 * The state of one `findRepeats`: its input, the next instruction of each shape, and the budget of comparisons
 * left. Its passes are methods, small functions each (the engine optimises a loop in one early in a process's
 * first search), and the check of a repetition against the last one compares its slots in one run.
 */
class Search {
  readonly tables: boolean;
  readonly maxStraight: number;
  readonly maxSlots: number;
  /** The next instruction of the same shape, or -1. */
  readonly nextSame: Int32Array;
  budget: number;

  constructor(
    readonly shape: Float64Array,
    readonly slots: Int32Array,
    readonly slotStart: Int32Array,
    options: RepeatOptions,
  ) {
    this.tables = options.tables ?? false;
    this.maxStraight = options.maxStraight ?? Infinity;
    this.maxSlots = options.maxSlots ?? 64;
    this.nextSame = nextOfShape(shape);
    this.budget = 64 * shape.length + 100_000;
  }

  /**
   * Whether g stands for f: the same shape, and its slot steps from f appended to `steps` (`record`) or equal to
   * those from `at` on; with `tables`, a step that differs becomes NaN instead.
   */
  same(f: number, g: number, steps: number[], at: number, record: boolean): boolean {
    this.budget--;
    if (this.shape[f] !== this.shape[g]) return false;
    const slotStart = this.slotStart;
    const slots = this.slots;
    const from = slotStart[f];
    const n = slotStart[f + 1] - from;
    const to = slotStart[g];
    if (n > this.maxSlots || slotStart[g + 1] - to !== n) return false;
    for (let q = 0; q < n; q++) {
      const s = slots[from + q];
      const r = slots[to + q];
      const step = s < 0 !== r < 0 ? NaN : r - s;
      if (record) steps.push(step);
      else if (step !== steps[at + q]) {
        if (!this.tables) return false;
        steps[at + q] = NaN;
      }
    }
    this.budget -= n >> 3;
    return true;
  }

  /** Whether `fixed` of `width` steps fixed allow a loop: all of them, or (with tables) at least half. */
  regular(fixed: number, width: number): boolean {
    return this.tables ? 2 * fixed >= width : fixed === width;
  }

  /** Repetitions of the body [f, f + P) from f on, and its slot steps. */
  repetitions(f: number, P: number): { reps: number; steps: number[] } {
    const m = this.shape.length;
    const steps: number[] = [];
    if (f + MIN_REPS * P > m) return { reps: 1, steps };
    const slotStart = this.slotStart;
    for (let p = 0, at = 0; p < P; p++) {
      if (
        !this.same(f + p, f + P + p, steps, 0, true) ||
        !this.same(f + P + p, f + 2 * P + p, steps, at, false)
      ) {
        return { reps: 1, steps };
      }
      at += slotStart[f + p + 1] - slotStart[f + p];
    }
    let fixed = 0;
    for (let q = 0; q < steps.length; q++) if (steps[q] === steps[q]) fixed++;
    if (!this.regular(fixed, steps.length)) return { reps: 1, steps };
    return { reps: this.more(f, P, steps, fixed), steps };
  }

  /**
   * The repetitions of [f, f + P) from f on, given that three have the slot steps `steps` (`fixed` of them not
   * NaN): each next one is
   * checked against the one before. A repetition that does not fit (another shape, or with tables too few steps
   * left fixed) ends the loop before it, `steps` as they were.
   */
  more(f: number, P: number, steps: number[], fixed: number): number {
    const m = this.shape.length;
    const width = steps.length;
    // With tables: the ones the repetition being checked turned to NaN (to undo).
    const turned = new Int32Array(this.tables ? width : 0);
    const before = new Float64Array(turned.length);
    let reps = MIN_REPS;
    for (; f + (reps + 1) * P <= m && this.budget > 0; reps++) {
      const k = this.follows(f + (reps - 1) * P, P, steps, turned, before);
      if (k < 0) break;
      if (!this.regular(fixed - k, width)) {
        for (let i = 0; i < k; i++) steps[turned[i]] = before[i];
        break;
      }
      fixed -= k;
    }
    return reps;
  }

  /**
   * Whether [r0 + P, r0 + 2P) stands for [r0, r0 + P): the same shapes and slot counts, and each slot's step
   * equal to `steps`; -1 where it does not. With `tables`, a step that differs becomes NaN instead: the positions
   * of the steps it turned so go to `turned` and their values before to `before`, and their count is returned (0
   * without tables).
   */
  follows(r0: number, P: number, steps: number[], turned: Int32Array, before: Float64Array): number {
    const shape = this.shape;
    const slotStart = this.slotStart;
    const slots = this.slots;
    const r1 = r0 + P;
    this.budget -= P;
    for (let p = 0; p < P; p++) {
      if (shape[r0 + p] !== shape[r1 + p]) return -1;
      if (slotStart[r0 + p + 1] - slotStart[r0 + p] !== slotStart[r1 + p + 1] - slotStart[r1 + p]) return -1;
    }
    const from = slotStart[r0];
    const to = slotStart[r1];
    const width = to - from;
    let k = 0;
    for (let q = 0; q < width; q++) {
      const s = slots[from + q];
      const r = slots[to + q];
      const step = s < 0 !== r < 0 ? NaN : r - s;
      const was = steps[q];
      if (step !== was) {
        if (!this.tables) return -1;
        if (was === was) {
          turned[k] = q;
          before[k++] = was;
          steps[q] = NaN;
        }
      }
    }
    this.budget -= width >> 3;
    return k;
  }
}

/** The next instruction of the same shape as each, or -1. */
function nextOfShape(shape: Float64Array): Int32Array {
  const m = shape.length;
  const nextSame = new Int32Array(m).fill(-1);
  const lastOf = new Map<number, number>();
  for (let f = m - 1; f >= 0; f--) {
    const g = lastOf.get(shape[f]);
    if (g !== undefined) nextSame[f] = g;
    lastOf.set(shape[f], f);
  }
  return nextSame;
}
