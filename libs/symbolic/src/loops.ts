import { INLINE_SCOPE, expSource, log1pSource } from '@crossgrad/libm';
import { FunctionWriter, LoopVariables, MAX_STRAIGHT, findRepeats } from '@crossgrad/loops';
import { FN2_NAMES, FN_NAMES } from './expr.js';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { inverseSquareSource, powScalar } from './scalar.js';
import { literal, nextInstruction, W } from './words.js';

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
  // Computed slots first, in order (the arguments stay first), then the constants, then one slot holding 0, then
  // one per softplus holding its exp(-|u|) (their values and marks are filled in once the instructions are read).
  const slot = new Int32Array(slotCount);
  numberConstants(constant, slot, numberComputed(constant, slot));
  const zero = slotCount;

  // The instructions: where each starts, its shape (word, and count or function number), its slots (see scan).
  // Every instruction is at least 3 words and has at most one slot per word.
  const most = Math.floor(code.length / 3);
  const starts = new Int32Array(most);
  const shapes = new Float64Array(most);
  const slotStart = new Int32Array(most + 1);
  const slots = new Int32Array(code.length);
  // m instructions; one slot per softplus (exps of them) after `zero`, holding its exp(-|u|).
  const { m, exps } = scan(code, slot, zero, starts, shapes, slotStart, slots);
  if (m === 0) return undefined;
  const size = slotCount + 1 + exps;
  const slotValues = new Float64Array(size);
  const isConstant = new Uint8Array(size);
  for (let s = 0; s < slotCount; s++) {
    if (constant[s] !== 1) continue;
    slotValues[slot[s]] = values[s];
    isConstant[slot[s]] = 1;
  }
  isConstant[zero] = 1;
  const repeats = findRepeats(shapes.subarray(0, m), slots, slotStart.subarray(0, m + 1), {
    tables: true,
    maxStraight: everyProgram ? Infinity : MAX_STRAIGHT,
  });
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
  let steps = new LoopVariables();
  // The table: for each loop with slots that jump, each repetition's slots there, one repetition after another.
  let tableSize = 0;
  for (const seg of segments) {
    let K = 0;
    for (let q = 0; q < seg.steps.length; q++) if (seg.steps[q] !== seg.steps[q]) K++;
    tableSize += K * seg.reps;
  }
  const table = new Int32Array(tableSize);
  let tableLength = 0;
  let tableIndex = new Int32Array(0);
  const ref = (s: number, step: number, at: number): string => {
    if (step !== step) return `v[T[t+${tableIndex[at]}]]`;
    if (step === 0 && isConstant[s] === 1) return literal(slotValues[s]);
    return `v[${steps.slot(s, step)}]`;
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
        // x^-2 (every quotient's derivative) written in: powScalar's inverseSquare, without the call.
        if (src[1] === literal(-2)) return inverseSquareSource(d, src[0]);
        return `${d}=pow(${src[0]},${src[1]});`;
      case W.RECIP:
        return `${d}=1/${src[0]};`;
      case W.CALL:
        return `${d}=F${code[pc + 2]}(${src[0]});`;
      case W.CALL2:
        return `${d}=G${code[pc + 2]}(${src[0]},${src[1]});`;
      case W.SOFTPLUS:
        // softplus's own operations (functions.ts), its exp(-|u|) kept (see above).
        return `{const u=${src[0]};let e,l;${expSource('e', '-Math.abs(u)')}${log1pSource('l', 'e')}${d}=Math.max(u,0)+l;${src[1]}=e;}`;
      case W.SIGMOID:
        if (n === 3) return `{const u=${src[0]};${d}=u>=0?1/(1+${src[1]}):sigmoid(u);}`;
        // sigmoid's operations, 1/(1+exp(-u)), exp's code written in.
        return `{let e;${expSource('e', `-(${src[0]})`)}${d}=1/(1+e);}`;
      case W.EXP:
        return expSource(d, src[0]);
      default:
        return `${d}=${MATH_CALLS.get(word)}(${src[0]});`;
    }
  };

  const helpers: string[] = [];
  const writer = new FunctionWriter(helpers, 'v');
  for (const seg of segments) {
    steps = new LoopVariables();
    // The slots without a fixed step: their table entries, repetition after repetition.
    const width = seg.steps.length;
    tableIndex = new Int32Array(width).fill(-1);
    let K = 0;
    for (let q = 0; q < width; q++) if (seg.steps[q] !== seg.steps[q]) tableIndex[q] = K++;
    const offset = tableLength;
    for (let r = 0; K > 0 && r < seg.reps; r++) {
      const base = slotStart[seg.start + r * seg.period];
      for (let q = 0; q < width; q++) if (tableIndex[q] >= 0) table[tableLength++] = slots[base + q];
    }
    const body: string[] = [];
    for (let p = 0, at = 0; p < seg.period; p++) {
      const f = seg.start + p;
      body.push(instruction(f, seg.steps, at));
      at += slotStart[f + 1] - slotStart[f];
    }
    if (seg.reps === 1) writer.straight(body.join(''));
    else writer.loop(seg.reps, steps.head(K > 0 ? [`t=${offset}+r*${K}`] : []), body);
  }
  const parts = writer.functions();

  // The functions the code calls, by name: the tape's own (so the same numbers).
  const names = ['T', 'pow', 'sigmoid', 'softplus', ...INLINE_SCOPE.names];
  const fns: unknown[] = [
    table,
    powScalar,
    FUNCTIONS.sigmoid.evaluate,
    FUNCTIONS.softplus.evaluate,
    ...INLINE_SCOPE.values,
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

// The passes over the tape before the search, each a small function of its own with nothing after its loop: the
// engine optimises a loop in a small function early in a process's first compile, and in `generateLoops`, a big
// function, late. The words are read as module constants, not as properties of W, which costs until then.
const { ADD, MUL, ACC, ACC1, ACC2, SET, SET1, SET2, CALL, CALL2, SOFTPLUS, SIGMOID } = W;

/** Computed slots first, in order (the arguments stay first): their new numbers in `slot`; returns how many. */
function numberComputed(constant: Uint8Array, slot: Int32Array): number {
  let computed = 0;
  for (let s = 0; s < slot.length; s++) if (constant[s] !== 1) slot[s] = computed++;
  return computed;
}

/** Then the constants, from slot `first` on. */
function numberConstants(constant: Uint8Array, slot: Int32Array, first: number): void {
  for (let s = 0, c = first; s < slot.length; s++) if (constant[s] === 1) slot[s] = c++;
}

/**
 * The instructions of `code`: where each starts, its shape (word, and count or function number), its slots
 * (renumbered by `slot`), where its slots start. A first contribution to an adjoint (SET: dst =
 * p + 0) is read as a further one (ACC: dst = dst + p) from the slot `zero`, which holds 0 (0 + p and p + 0 are the
 * same number, -0 and NaN included), so that a body repeats whichever of its adjoints happens to be first: its
 * accumulator is then a slot read from the table. softplus(u) = max(u, 0) + log1p(exp(-|u|)) also stores its
 * exp(-|u|) in a slot of its own (the k-th softplus's is zero + 1 + k), and a later sigmoid(u) = 1 / (1 + exp(-u))
 * of the same slot (softplus's derivative) reads it where u >= 0, -0 included, where exp(-u) is the same call: the
 * same numbers, one exp fewer (the third slot of both). Returns how many instructions and how many softplus slots.
 */
function scan(
  code: Int32Array,
  slot: Int32Array,
  zero: number,
  starts: Int32Array,
  shapes: Float64Array,
  slotStart: Int32Array,
  slots: Int32Array,
): { m: number; exps: number } {
  const expOf = new Map<number, number>(); // a softplus's source slot -> the slot of its exp(-|u|)
  let exps = 0;
  let m = 0;
  let n = 0;
  for (let pc = 0; pc < code.length; m++) {
    const word = code[pc];
    const list = word === ADD || word === MUL || word === ACC || word === SET;
    const from = list || word === CALL || word === CALL2 ? pc + 3 : pc + 2;
    const end = list ? from + code[pc + 2] : nextInstruction(code, pc);
    starts[m] = pc;
    slots[n++] = slot[code[pc + 1]];
    let key = word;
    if (word === CALL || word === CALL2) key += 32 * code[pc + 2];
    if (word === ACC || word === ACC1 || word === ACC2) {
      slots[n++] = slot[code[pc + 1]];
      key = ACC_SHAPE + (end - from);
    } else if (word === SET || word === SET1 || word === SET2) {
      slots[n++] = zero;
      key = ACC_SHAPE + (end - from);
    } else if (word === ADD || word === MUL) key += 32 * (end - from);
    for (let i = from; i < end; i++) slots[n++] = slot[code[i]];
    if (word === SOFTPLUS) {
      const source = slot[code[from]];
      const e = zero + 1 + exps++;
      if (!expOf.has(source)) expOf.set(source, e);
      slots[n++] = e;
    } else if (word === SIGMOID) {
      const e = expOf.get(slot[code[from]]);
      if (e !== undefined) {
        slots[n++] = e;
        key = SHARED_SIGMOID;
      }
    }
    shapes[m] = key;
    slotStart[m + 1] = n;
    pc = end;
  }
  return { m, exps };
}
/** The shape of every ACCUMULATE instruction, plus its factor count. */
const ACC_SHAPE = 1 << 20;
/** The shape of a sigmoid that reads a softplus's exp(-|u|). */
const SHARED_SIGMOID = 1 << 21;

/** The tape's words for Math's functions and the table's helpers, as the tape loop calls them. */
const MATH_CALLS = new Map<number, string>([
  [W.LOG, 'Math.log'],
  [W.SQRT, 'Math.sqrt'],
  [W.SIN, 'Math.sin'],
  [W.COS, 'Math.cos'],
  [W.TANH, 'Math.tanh'],
  [W.ABS, 'Math.abs'],
  [W.SIGMOID, 'sigmoid'],
  [W.SOFTPLUS, 'softplus'],
]);
