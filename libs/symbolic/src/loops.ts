import { FN2_NAMES, FN_NAMES } from './expr.js';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { powScalar } from './scalar.js';
import { W } from './words.js';

/**
 * A stretch of a program that repeats: instructions `[start, start + period·reps)`, each repetition the body
 * `[start, start + period)` with the same shapes. Per slot of the body, `steps` holds the step from one
 * repetition's slot to the next one's where it is the same for all of them, NaN where it is not (such slots are
 * read from a table). `reps` is 1 for an instruction written out once.
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

/** Longest body tried, in instructions. */
const MAX_PERIOD = 2048;
/** Repetitions of an instruction's shape looked at as candidate periods. */
const MAX_CANDIDATES = 64;
/** A stretch becomes a loop from this many repetitions on. */
const MIN_REPS = 3;
/** An instruction with more slots than this is never part of a body. */
const MAX_SLOTS = 64;

/**
 * The repeating stretches of a straight-line program, greedily from its first instruction: at each instruction
 * the next ones of the same shape are candidate periods, the one covering most instructions taken, provided that
 * at least half of its body's slots move by a fixed step from one repetition to the next (the others are read
 * from a table: symbolic's canonical order of a sum's terms differs from one repetition to the next).
 * `shape[f]` says which instructions may stand for each other; instruction f's slots are
 * `slots[slotStart[f] .. slotStart[f + 1])`. Linear in the program's size: the search stops (returning
 * undefined) when its budget of slot comparisons runs out.
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
): Repeat[] | undefined {
  const m = shape.length;
  // The next instruction of the same shape, or -1.
  const nextSame = new Int32Array(m).fill(-1);
  const lastOf = new Map<number, number>();
  for (let f = m - 1; f >= 0; f--) {
    const g = lastOf.get(shape[f]);
    if (g !== undefined) nextSame[f] = g;
    lastOf.set(shape[f], f);
  }
  let budget = 64 * m + 100_000;
  /**
   * Whether g has f's shape; its slot steps from f are appended to `steps` (`record`) or compared with those
   * from `at` on, a step that differs becoming NaN.
   */
  const same = (f: number, g: number, steps: number[], at: number, record: boolean): boolean => {
    budget--;
    if (shape[f] !== shape[g]) return false;
    const from = slotStart[f];
    const n = slotStart[f + 1] - from;
    if (n > MAX_SLOTS) return false;
    const to = slotStart[g];
    for (let q = 0; q < n; q++) {
      const step = slots[to + q] - slots[from + q];
      if (record) steps.push(step);
      else if (step !== steps[at + q]) steps[at + q] = NaN;
    }
    budget -= n >> 3;
    return true;
  };
  /** Whether at least half of `steps` are numbers. */
  const regular = (steps: number[]): boolean => {
    let fixed = 0;
    for (const step of steps) if (step === step) fixed++;
    return 2 * fixed >= steps.length;
  };
  /** Repetitions of the body [f, f + P) from f on, and its slot steps. */
  const repetitions = (f: number, P: number): { reps: number; steps: number[] } => {
    const steps: number[] = [];
    if (f + MIN_REPS * P > m) return { reps: 1, steps };
    for (let p = 0, at = 0; p < P; p++) {
      if (!same(f + p, f + P + p, steps, 0, true) || !same(f + P + p, f + 2 * P + p, steps, at, false)) {
        return { reps: 1, steps };
      }
      at += slotStart[f + p + 1] - slotStart[f + p];
    }
    if (!regular(steps)) return { reps: 1, steps };
    let reps = 3;
    for (; f + (reps + 1) * P <= m && budget > 0; reps++) {
      const r0 = f + (reps - 1) * P;
      const before = steps.slice();
      let ok = true;
      for (let p = 0, at = 0; p < P && ok; p++) {
        ok = same(r0 + p, r0 + P + p, steps, at, false);
        at += slotStart[f + p + 1] - slotStart[f + p];
      }
      // A repetition that does not fit (another shape, or too few steps left fixed) ends the loop before it.
      if (!ok || !regular(steps)) {
        for (let q = 0; q < before.length; q++) steps[q] = before[q];
        break;
      }
    }
    return { reps, steps };
  };

  const repeats: Repeat[] = [];
  for (let f = 0; f < m;) {
    let best: { P: number; reps: number; steps: number[] } | undefined;
    let candidates = 0;
    for (let g = nextSame[f]; g !== -1 && budget > 0 && candidates < MAX_CANDIDATES; g = nextSame[g]) {
      const P = g - f;
      if (P > MAX_PERIOD || f + 2 * P > m) break;
      // A multiple of a period found covers no more than it; a loop to the end cannot be beaten.
      if (best !== undefined && (P % best.P === 0 || f + best.P * (best.reps + 1) > m)) continue;
      candidates++;
      const r = repetitions(f, P);
      if (r.reps >= MIN_REPS && (best === undefined || r.reps * P > best.reps * best.P)) best = { P, ...r };
    }
    if (budget <= 0) return undefined;
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
    }
  }
  return repeats;
}

/**
 * Instructions written out once (outside loops) past which no code is generated: V8 optimises long
 * straight-line code slowly.
 */
const MAX_STRAIGHT = 400;
/** Characters of written-out code per generated function. */
const CHUNK = 8000;
/**
 * Characters of a loop's body kept in one function; a longer body is cut into functions of CHUNK characters,
 * each under the size past which V8 never optimises a function.
 */
const BODY = 32_000;

/** Whether every program gets code, however little of it repeats (for tests). */
let everyProgram = false;

/**
 * For tests (not exported from the package): with `true`, {@link generateLoops} writes code for every program,
 * the parts that do not repeat written out once, so that tests see every instruction in generated code.
 *
 * @example
 * ```ts
 * setLoopsEverywhere(true);
 * ```
 */
export function setLoopsEverywhere(on: boolean): void {
  everyProgram = on;
}

function literal(v: number): string {
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${v})` : String(v);
}

/**
 * Generated loops running a tape: `run(slots)` computes what the tape computes, in `slots`, where the tape's slot
 * s is `slot[s]` (the arguments keep theirs, the first ones).
 *
 * @example
 * ```ts
 * const loops: Loops | undefined = generateLoops(words, values, constant, slotCount);
 * ```
 */
export interface Loops {
  run(slots: Float64Array): void;
  /** The slots the code works on: constants written in, arguments to be set. */
  readonly slots: Float64Array;
  /** Per slot of the tape, its slot here. */
  readonly slot: Int32Array;
}

/**
 * The tape `code` (compile.ts's words, `slotCount` slots) as generated JavaScript whose repeating stretches are
 * `for` loops: a DAG built by a loop in the caller's code (W4, a batch of points through one model) gives a tape
 * that records the same instructions again and again. Each instruction is the tape loop's arithmetic written out
 * (same operations, same order), so the numbers are the tape's bit for bit. The slots are renumbered, computed
 * ones first and constants (`constant[s]` 1, value `values[s]`) after them, so that the constants a repetition
 * brings do not shift the next repetition's slots; a constant that every repetition reads is written in as a
 * literal. Undefined when less than half of the tape repeats or more than MAX_STRAIGHT instructions would be
 * written out once.
 *
 * @throws EvalError where `new Function` is refused (a Content-Security-Policy without `'unsafe-eval'`).
 * @example
 * ```ts
 * const loops = generateLoops(words, values, constant, slotCount);
 * loops?.run(loops.slots); // as runTape(words, values)
 * ```
 */
export function generateLoops(
  code: Int32Array,
  values: Float64Array,
  constant: Uint8Array,
  slotCount: number,
): Loops | undefined {
  // Computed slots first, in order (the arguments stay first), then the constants, then one slot holding 0.
  const slot = new Int32Array(slotCount);
  let computed = 0;
  for (let s = 0; s < slotCount; s++) if (constant[s] !== 1) slot[s] = computed++;
  const size = slotCount + 1;
  const zero = slotCount;
  const slotValues = new Float64Array(size);
  const isConstant = new Uint8Array(size);
  for (let s = 0, c = computed; s < slotCount; s++) {
    if (constant[s] !== 1) continue;
    slot[s] = c;
    slotValues[c] = values[s];
    isConstant[c++] = 1;
  }
  isConstant[zero] = 1;

  // The instructions: where each starts, its shape (word, and count or function number), its slots. A first
  // contribution to an adjoint (SET: dst = p + 0) is read as a further one (ACC: dst = dst + p) from the slot
  // `zero`, which holds 0 (0 + p and p + 0 are the same number, -0 and NaN included), so that a body repeats
  // whichever of its adjoints happens to be first: its accumulator is then a slot read from the table.
  const starts: number[] = [];
  const shapes: number[] = [];
  const slotList: number[] = [];
  const slotStarts: number[] = [0];
  for (let pc = 0; pc < code.length;) {
    const word = code[pc];
    starts.push(pc);
    slotList.push(slot[code[pc + 1]]);
    let key = word;
    let from = pc + 2;
    let end: number;
    if (word === W.ADD || word === W.MUL || word === W.ACC || word === W.SET) {
      from = pc + 3;
      end = from + code[pc + 2];
    } else if (word === W.CALL || word === W.CALL2) {
      key += 32 * code[pc + 2];
      from = pc + 3;
      end = from + (word === W.CALL ? 1 : 2);
    } else if (word === W.ADD4) end = from + 4;
    else if (word === W.ADD2 || word === W.MUL2 || word === W.ACC2 || word === W.SET2 || word === W.POW) {
      end = from + 2;
    } else end = from + 1;
    if (ACCUMULATE.has(word)) {
      slotList.push(word === W.ACC || word === W.ACC1 || word === W.ACC2 ? slot[code[pc + 1]] : zero);
      key = ACC_SHAPE + (end - from);
    } else if (word === W.ADD || word === W.MUL) key += 32 * (end - from);
    for (let i = from; i < end; i++) slotList.push(slot[code[i]]);
    shapes.push(key);
    slotStarts.push(slotList.length);
    pc = end;
  }
  const m = starts.length;
  if (m === 0) return undefined;
  const slots = Int32Array.from(slotList);
  const slotStart = Int32Array.from(slotStarts);
  const repeats = findRepeats(Float64Array.from(shapes), slots, slotStart);
  if (repeats === undefined && !everyProgram) return undefined;
  const segments =
    repeats ??
    Array.from({ length: m }, (_, f) => ({
      start: f,
      period: 1,
      reps: 1,
      steps: new Float64Array(slotStart[f + 1] - slotStart[f]),
    }));
  let straight = 0;
  for (const s of segments) if (s.reps === 1) straight++;
  if (!everyProgram && (straight > MAX_STRAIGHT || straight > m / 2)) return undefined;

  // Slots are written as `v[s]` or `v[s+qN]`, qN = r·step for the loop's variable r; a constant every
  // repetition reads as its literal; a slot without a fixed step as `v[T[t+i]]`, T holding each repetition's.
  let steps = new Map<number, string>();
  const table: number[] = [];
  let tableIndex = new Int32Array(0);
  const ref = (s: number, step: number, at: number): string => {
    if (step !== step) return `v[T[t+${tableIndex[at]}]]`;
    if (step === 0) return isConstant[s] === 1 ? literal(slotValues[s]) : `v[${s}]`;
    let q = steps.get(step);
    if (q === undefined) steps.set(step, (q = `q${steps.size}`));
    return `v[${s}+${q}]`;
  };
  /** Instruction f's code, its slots shifted by `stepOf` from `at` on. */
  const instruction = (f: number, stepOf: Float64Array, at: number): string => {
    const pc = starts[f];
    const word = code[pc];
    const n = slotStart[f + 1] - slotStart[f];
    const s: string[] = [];
    for (let q = 0; q < n; q++) s.push(ref(slots[slotStart[f] + q], stepOf[at + q], at + q));
    const [d, ...src] = s;
    switch (word) {
      case W.ADD:
      case W.ADD2:
      case W.ADD4:
        return `${d}=${src.join('+')};`;
      case W.MUL:
      case W.MUL2:
        return `${d}=${src.join('*')};`;
      case W.ACC:
      case W.ACC1:
      case W.ACC2:
      case W.SET:
      case W.SET1:
      case W.SET2: {
        // dst = acc + p: dst += p, or 0 + p as SET's p + 0 (src[0] is the accumulator, see above).
        const [acc, ...factors] = src;
        return `${d}=${acc}+${factors.length === 1 ? factors[0] : `(${factors.join('*')})`};`;
      }
      case W.POW:
        return `${d}=pow(${src[0]},${src[1]});`;
      case W.RECIP:
        return `${d}=1/${src[0]};`;
      case W.CALL:
        return `${d}=F${code[pc + 2]}(${src[0]});`;
      case W.CALL2:
        return `${d}=G${code[pc + 2]}(${src[0]},${src[1]});`;
      default:
        return `${d}=${MATH_CALLS.get(word)}(${src[0]});`;
    }
  };

  const helpers: string[] = [];
  const parts: string[] = [];
  let straightCode = '';
  const flush = (): void => {
    if (straightCode !== '') parts.push(straightCode);
    straightCode = '';
  };
  for (const seg of segments) {
    steps = new Map();
    // The slots without a fixed step: their table entries, repetition after repetition.
    const width = seg.steps.length;
    tableIndex = new Int32Array(width).fill(-1);
    let K = 0;
    for (let q = 0; q < width; q++) if (seg.steps[q] !== seg.steps[q]) tableIndex[q] = K++;
    const offset = table.length;
    if (K > 0) {
      const from = slotStart[seg.start];
      for (let r = 0; r < seg.reps; r++) {
        const base = slotStart[seg.start + r * seg.period];
        for (let q = 0; q < width; q++) if (tableIndex[q] >= 0) table.push(slots[base + q]);
      }
      if (slotStart[seg.start + seg.period] - from !== width) throw new Error('loops: body width');
    }
    const body: string[] = [];
    for (let p = 0, at = 0; p < seg.period; p++) {
      const f = seg.start + p;
      body.push(instruction(f, seg.steps, at));
      at += slotStart[f + 1] - slotStart[f];
    }
    if (seg.reps === 1) {
      straightCode += body.join('');
      if (straightCode.length > CHUNK) flush();
      continue;
    }
    flush();
    const qs = [...steps].map(([step, q]) => `${q}=r*${step}`);
    if (K > 0) qs.push(`t=${offset}+r*${K}`);
    const head = qs.length === 0 ? '' : `const ${qs.join(',')};`;
    const loop = `for(let r=0;r<${seg.reps};r++)`;
    const text = body.join('');
    if (text.length <= BODY) {
      parts.push(`${loop}{${head}${text}}`);
      continue;
    }
    // A long body is cut into functions of about CHUNK characters, called in turn for each repetition.
    const calls: string[] = [];
    let group = '';
    const cut = (): void => {
      calls.push(`h${helpers.length}(v,r);`);
      helpers.push(`function h${helpers.length}(v,r){${head}${group}}`);
      group = '';
    };
    for (const part of body) {
      group += part;
      if (group.length > CHUNK) cut();
    }
    if (group !== '') cut();
    parts.push(`${loop}{${calls.join('')}}`);
  }
  flush();

  // The functions the code calls, by name: the tape's own (so the same numbers).
  const names = ['T', 'pow', 'sigmoid', 'softplus'];
  const fns: unknown[] = [
    Int32Array.from(table),
    powScalar,
    FUNCTIONS.sigmoid.evaluate,
    FUNCTIONS.softplus.evaluate,
  ];
  FN_NAMES.forEach((f, i) => {
    names.push(`F${i}`);
    fns.push(FUNCTIONS[f].evaluate);
  });
  FN2_NAMES.forEach((f, i) => {
    names.push(`G${i}`);
    fns.push(FUNCTIONS2[f].evaluate);
  });
  const source =
    `'use strict';${helpers.join('\n')}\nconst p=[${parts.map((src) => `function(v){\n${src}}`).join(',\n')}];\n` +
    'return function run(v){for(let i=0;i<p.length;i++)p[i](v);};';
  const run = new Function(...names, source)(...fns) as (v: Float64Array) => void;
  return { run, slots: slotValues, slot };
}

/** The words adding a product to an adjoint (ACC) or starting one with it (SET). */
const ACCUMULATE = new Set<number>([W.ACC, W.ACC1, W.ACC2, W.SET, W.SET1, W.SET2]);
/** The shape of every ACCUMULATE instruction, plus its factor count. */
const ACC_SHAPE = 1 << 20;

/** The tape's words for Math's functions and the table's helpers, as the tape loop calls them. */
const MATH_CALLS = new Map<number, string>([
  [W.EXP, 'Math.exp'],
  [W.LOG, 'Math.log'],
  [W.SQRT, 'Math.sqrt'],
  [W.SIN, 'Math.sin'],
  [W.COS, 'Math.cos'],
  [W.TANH, 'Math.tanh'],
  [W.ABS, 'Math.abs'],
  [W.SIGMOID, 'sigmoid'],
  [W.SOFTPLUS, 'softplus'],
]);
