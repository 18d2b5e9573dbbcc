import { INLINE_SCOPE, expSource, log1pSource } from '@crossgrad/libm';
import { FunctionWriter, LoopVariables, MAX_STRAIGHT, findRepeats } from '@crossgrad/loops';
import type { MergedTape } from './codegen.js';
import { ADD, DOT, FN, FN2, FNS, FNS2, MUL, POW, POWK, SUM } from './opcodes.js';
import { BINARY, FUNCTIONS } from './rules.js';

/**
 * The merged tape as JavaScript that runs its repeating stretches as loops. A graph built by a loop in the
 * caller's code (a batch of points through one network, W4's cycle of four ops) records the same instructions
 * again and again, each repetition reading slots a fixed distance after the previous one's (or the same slots:
 * shared weights). Such a stretch becomes one `for` loop over a body of one repetition, with the slots written as
 * `base + r·delta`; the instructions in between are written out once. The code is small whatever the graph's
 * size, so the engine optimises it within the first runs, keeps values in registers inside an instruction and
 * has no dispatch; the operations are the interpreter's, in the same order, so the numbers are the same bit for
 * bit. Grads sent to frozen leaves (constants), which nothing reads, are not computed.
 *
 * @example
 * ```ts
 * const loops = generateLoops(mergedTape); // undefined: too little of the tape repeats
 * loops?.forward(val, d0, d1);
 * ```
 */
export interface LoopSweep {
  /** Values and local derivatives from the current input slots, as the interpreter's forward pass. */
  forward(val: Float64Array, d0: Float64Array, d1: Float64Array): void;
  /**
   * Grads sent down from the grad slots as they are (the output's seeded), the interpreter's multiply-adds; with
   * `skipZero`, an instruction whose grad is 0 and whose multipliers are finite is skipped, as the interpreter does.
   */
  backward(
    val: Float64Array,
    grad: Float64Array,
    d0: Float64Array,
    d1: Float64Array,
    skipZero: boolean,
  ): void;
}

/**
 * An instruction past this many operands (a long sum or dot product) is written as a loop over its operand list
 * rather than term by term, and is never part of a repeated body.
 */
const LONG = 64;

/** Whether every graph gets code, however little of it repeats (for tests). */
let everyGraph = false;

/**
 * For tests (not exported from the package): with `true`, code is generated for every graph, the parts that do
 * not repeat written out once, so that the tests of the generated code see every kind of instruction.
 *
 * @example
 * ```ts
 * setLoopsEverywhere(true);
 * ```
 */
export function setLoopsEverywhere(on: boolean): void {
  everyGraph = on;
}

/** A loop: instructions `[start, start + period·reps)`, or one instruction written out (`reps` 1). */
interface Segment {
  start: number;
  period: number;
  reps: number;
  /** Per body operand (in body order, each instruction's operands in turn): the slot's step per repetition. */
  deltas: Int32Array;
  /** The step of the body's output slots per repetition. */
  outStep: number;
}

/**
 * Loops for the merged tape `t`, or undefined when less than half of it repeats, when more than MAX_STRAIGHT
 * instructions would be written out once, or when the search ran out of its (linear) budget.
 *
 * @throws EvalError where `new Function` is refused (a Content-Security-Policy without `'unsafe-eval'`).
 * @example
 * ```ts
 * const loops = generateLoops(mergedTape);
 * ```
 */
export function generateLoops(t: MergedTape): LoopSweep | undefined {
  const { code, a, b, args, k, leaves, val, frozen } = t;
  const m = code.length;
  if (m === 0) return undefined;

  // The search's input (see searchInput), the slots in an array of room enough, cut to size.
  const first = new Int32Array(m + 1);
  const slotStart = new Int32Array(m + 1);
  const shape = new Float64Array(m);
  const all = new Int32Array(3 * m + args.length);
  searchInput(t, first, slotStart, all, shape);
  const slots = all.subarray(0, slotStart[m]);
  const unaryOf = (f: number): number => unaryOp(code, f);
  const arity = (f: number): number => slotStart[f + 1] - slotStart[f] - 1;
  const operand = (f: number, q: number): number => (code[f] >= SUM ? args[a[f] + q] : q === 0 ? a[f] : b[f]);
  const isFrozen = (s: number): boolean => s < leaves && frozen[s] === 1;
  const repeats = findRepeats(shape, slots, slotStart, {
    maxStraight: everyGraph ? Infinity : MAX_STRAIGHT,
    maxSlots: LONG + 1,
  });
  if (repeats === undefined && !everyGraph) return undefined;
  // The operands' steps in slots (a frozen leaf's step was taken on -1 - slot), the output's apart (the same for
  // every instruction of a body).
  const segments: Segment[] = [];
  let looped = 0;
  for (const r of repeats ?? []) {
    const deltas: number[] = [];
    for (let p = 0, at = 0; p < r.period; p++) {
      const from = slotStart[r.start + p];
      const width = slotStart[r.start + p + 1] - from;
      for (let q = 1; q < width; q++) deltas.push(slots[from + q] < 0 ? -r.steps[at + q] : r.steps[at + q]);
      at += width;
    }
    segments.push({
      start: r.start,
      period: r.period,
      reps: r.reps,
      deltas: Int32Array.from(deltas),
      outStep: r.reps > 1 ? r.steps[0] : 0,
    });
    if (r.reps > 1) looped += r.period * r.reps;
  }
  if (repeats === undefined) {
    for (let f = 0; f < m; f++) {
      segments.push({ start: f, period: 1, reps: 1, deltas: new Int32Array(arity(f)), outStep: 0 });
    }
  }
  if (looped < m / 2 && !everyGraph) return undefined;

  // The source. Slots are written as `base` or `base+qN`, qN = r·step being the loop's variable for one step.
  let steps = new LoopVariables();
  const slot = (s0: number, step: number): string => steps.slot(s0, step);
  const literal = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));
  /** The value of operand slot s0 (step `step`): a frozen leaf's fixed value is written in. */
  const value = (s0: number, step: number): string =>
    isFrozen(s0) && step === 0 ? literal(val[s0]) : `val[${slot(s0, step)}]`;
  const fnName = (u: number): number => u - FN;
  // A function whose value is Math's own (exp, sin, …) is called as `Math.exp`, which the engine inlines surely.
  const mathNames = new Map<unknown, string>(
    Object.getOwnPropertyNames(Math).map((name) => [
      (Math as unknown as Record<string, unknown>)[name],
      name,
    ]),
  );
  const valueName = (r: number): string => {
    const name = mathNames.get(FNS[r].value);
    return name === undefined ? `F${r}` : `Math.${name}`;
  };

  /** One instruction's forward code, its slots those of repetition 0 plus the loop's steps. */
  const forwardOf = (f: number, deltas: Int32Array, at: number, D: number): string => {
    const c = code[f];
    const o = first[f];
    const op = (q: number): string => value(operand(f, q), deltas[at + q]);
    const out = (s: number): string => slot(s, D);
    const d = (s: number): string => slot(s - leaves, D);
    const unary = (u: number, x: string, s: number): string => {
      if (u === POWK) {
        const e = literal(k[s - leaves]);
        // The rule's value at -1 is the division itself.
        const y = e === '-1' ? '1/x' : `PV(x,${e})`;
        return `{const x=${x},y=${y};val[${out(s)}]=y;d0[${d(s)}]=PD(x,${e},y);}`;
      }
      if (FNS[fnName(u)] === FUNCTIONS.softplus) {
        // softplus's value and derivative written out, sharing exp(-|x|), which is exp(-x) for x >= 0 (-0
        // included): the rule's operations, one exp fewer where x >= 0.
        return (
          `{const x=${x};let e,l;${expSource('e', '-Math.abs(x)')}${log1pSource('l', 'e')}const y=Math.max(x,0)+l;` +
          `val[${out(s)}]=y;d0[${d(s)}]=x>=0?1/(1+e):1/(1+$exp(-x));}`
        );
      }
      // exp's derivative is its value: the backward pass reads it from val (see `local`). Its code is written
      // in, libm's operations without a call.
      if (FNS[fnName(u)] === FUNCTIONS.exp) return expSource(`val[${out(s)}]`, x);
      return `{const x=${x},y=${valueName(fnName(u))}(x);val[${out(s)}]=y;d0[${d(s)}]=D${fnName(u)}(x,y);}`;
    };
    if (c === ADD) return `val[${out(o)}]=${op(0)}+${op(1)};`;
    if (c === MUL) return `val[${out(o)}]=${op(0)}*${op(1)};`;
    if (c === POW || (c >= FN2 && c < SUM)) {
      const [v, d0, d1] = c === POW ? ['PV', 'PD', 'PE'] : [`G${c - FN2}`, `H${c - FN2}`, `I${c - FN2}`];
      return `{const u=${op(0)},e=${op(1)},y=${v}(u,e);val[${out(o)}]=y;d0[${d(o)}]=${d0}(u,e,y);d1[${d(o)}]=${d1}(u,e,y);}`;
    }
    if (c < SUM) return unary(c, op(0), o);
    const dot = c >= DOT;
    const terms = b[f];
    // Only the last sum and the unary op's value are stored: the products and sums inside are read by nothing
    // else (`dataOf` has the interpreter recompute them).
    let src = `{let s=${op(0)};`;
    if (arity(f) > LONG) {
      // Never in a loop (see `same`): the operand list as recorded is this instruction's.
      const at0 = a[f];
      src += dot
        ? `for(let t=${at0 + 1};t<${at0 + 1 + 2 * terms};t+=2)s=s+val[A[t]]*val[A[t+1]];`
        : `for(let t=${at0 + 1};t<${at0 + 1 + terms};t++)s=s+val[A[t]];`;
    } else {
      for (let t = 0; t < terms; t++)
        src += dot ? `s=s+${op(1 + 2 * t)}*${op(2 + 2 * t)};` : `s=s+${op(1 + t)};`;
    }
    const last = o + (dot ? 2 : 1) * terms;
    const u = unaryOf(f);
    // The last sum is stored where something reads it: as the instruction's value, or for the check of a dot
    // product's backward; then the unary op's value after it.
    if (u < 0 || dot) src += `val[${out(last - 1)}]=s;`;
    if (u >= 0) src += unary(u, 's', last);
    return `${src}}`;
  };

  /** One instruction's backward code: the interpreter's multiply-adds in its order, none into frozen leaves. */
  const backwardOf = (f: number, deltas: Int32Array, at: number, D: number): string => {
    const c = code[f];
    const o = first[f];
    const n = arity(f);
    const live = (q: number): boolean => !isFrozen(operand(f, q));
    let any = false;
    for (let q = 0; q < n; q++) any ||= live(q);
    // Each instruction reads its grad once, here, and sets it back to 0: after the pass every grad slot the
    // pass wrote is 0 again, ready for the next one, with no clearing of the whole array.
    const reset = (s: number): string => `grad[${slot(s, D)}]=0;`;
    if (!any) return reset(first[f + 1] - 1);
    const op = (q: number): string => value(operand(f, q), deltas[at + q]);
    const to = (q: number, x: string): string =>
      live(q) ? `grad[${slot(operand(f, q), deltas[at + q])}]+=${x};` : '';
    const out = (s: number): string => slot(s, D);
    const d = (s: number): string => slot(s - leaves, D);
    /** The local derivative of the unary op u into slot s: exp's is its value (not stored in d0). */
    const local = (u: number, s: number): string =>
      u !== POWK && FNS[fnName(u)] === FUNCTIONS.exp ? `val[${out(s)}]` : `d0[${d(s)}]`;
    // With z, an instruction whose grad is 0 and whose multipliers are finite is skipped, as the interpreter
    // skips it (see `Tape.#backward`): each multiply-add would add ±0 to a grad that is not -0.
    if (c === ADD) return `{const g=grad[${out(o)}];${reset(o)}if(g!==0||!z){${to(0, 'g')}${to(1, 'g')}}}`;
    if (c === MUL) {
      return `{const g=grad[${out(o)}],y=val[${out(o)}];${reset(o)}if(g!==0||!z||y-y!==0){${to(0, `${op(1)}*g`)}${to(1, `${op(0)}*g`)}}}`;
    }
    if (c === POW || (c >= FN2 && c < SUM)) {
      return `{const g=grad[${out(o)}],e=d0[${d(o)}],h=d1[${d(o)}];${reset(o)}if(g!==0||!z||e-e!==0||h-h!==0){${to(0, 'e*g')}${to(1, 'h*g')}}}`;
    }
    if (c < SUM)
      return `{const g=grad[${out(o)}],e=${local(c, o)};${reset(o)}if(g!==0||!z||e-e!==0){${to(0, 'e*g')}}}`;
    const dot = c >= DOT;
    const terms = b[f];
    const lastSum = first[f + 1] - 1 - (unaryOf(f) >= 0 ? 1 : 0);
    let src =
      unaryOf(f) >= 0
        ? `{const g=0+${local(unaryOf(f), lastSum + 1)}*grad[${out(lastSum + 1)}];${reset(lastSum + 1)}`
        : `{const g=grad[${out(lastSum)}];${reset(lastSum)}`;
    // A dot product with a finite value has finite operands, so its value is the check.
    src += dot ? `if(g!==0||!z||val[${out(lastSum)}]-val[${out(lastSum)}]!==0){` : 'if(g!==0||!z){';
    if (n > LONG) {
      // The interpreter's loops over the operand list, frozen leaves included (their grads are read by nothing).
      const at0 = a[f];
      src += dot
        ? `for(let t=${at0 + 2 * terms - 1};t>${at0 + 1};t-=2){const p=A[t],q=A[t+1];grad[p]+=val[q]*g;grad[q]+=val[p]*g;}` +
          `{const p=A[${at0 + 1}],q=A[${at0 + 2}];grad[A[${at0}]]+=g;grad[p]+=val[q]*g;grad[q]+=val[p]*g;}`
        : `for(let t=${at0 + terms};t>${at0 + 1};t--)grad[A[t]]+=g;grad[A[${at0}]]+=g;grad[A[${at0 + 1}]]+=g;`;
    } else if (dot) {
      for (let t = terms - 1; t >= 1; t--)
        src += to(1 + 2 * t, `${op(2 + 2 * t)}*g`) + to(2 + 2 * t, `${op(1 + 2 * t)}*g`);
      src += to(0, 'g') + to(1, `${op(2)}*g`) + to(2, `${op(1)}*g`);
    } else {
      for (let t = terms; t >= 2; t--) src += to(t, 'g');
      src += to(0, 'g') + to(1, 'g');
    }
    return `${src}}}`;
  };

  /**
   * The code of a pass as functions to call in turn, each small enough for the engine's optimising compiler (see
   * FunctionWriter). Backward runs segments, repetitions and bodies in reverse.
   */
  const pass = (backward: boolean): string[] => {
    const writer = new FunctionWriter(helpers, backward ? 'val,grad,d0,d1,z' : 'val,d0,d1');
    for (const s of backward ? segments.slice().reverse() : segments) {
      steps = new LoopVariables();
      const parts: string[] = [];
      for (let p = 0, at = 0; p < s.period; p++) {
        const f = s.start + p;
        parts.push((backward ? backwardOf : forwardOf)(f, s.deltas, at, s.outStep));
        at += arity(f);
      }
      if (backward) parts.reverse();
      if (s.reps === 1) writer.straight(parts.join(''));
      else writer.loop(s.reps, steps.head(), parts, backward);
    }
    return writer.functions();
  };
  const helpers: string[] = [];
  const forwardParts = pass(false);
  const backwardParts = pass(true);

  // The operand list (A) and the rules the code calls, by name: pow's (PV, PD, PE), libm's tables and functions for
  // the exp and log1p written in (INLINE_SCOPE), each function's value and derivative (F, D), each two-argument
  // function's (G, H, I).
  const names: string[] = ['A', 'PV', 'PD', 'PE', ...INLINE_SCOPE.names];
  const values: unknown[] = [
    args,
    BINARY['**'].value,
    BINARY['**'].d0,
    BINARY['**'].d1,
    ...INLINE_SCOPE.values,
  ];
  FNS.forEach((rule, r) => {
    names.push(`F${r}`, `D${r}`);
    values.push(rule.value, rule.derivative);
  });
  FNS2.forEach((rule, r) => {
    names.push(`G${r}`, `H${r}`, `I${r}`);
    values.push(rule.value, rule.d0, rule.d1);
  });
  const source =
    `'use strict';${helpers.join('\n')}\nconst f=[${forwardParts.map((src) => `function(val,d0,d1){\n${src}}`).join(',\n')}];\n` +
    `const b=[${backwardParts.map((src) => `function(val,grad,d0,d1,z){\n${src}}`).join(',\n')}];\n` +
    'return [function forward(val,d0,d1){for(let i=0;i<f.length;i++)f[i](val,d0,d1);},' +
    'function backward(val,grad,d0,d1,z){for(let i=0;i<b.length;i++)b[i](val,grad,d0,d1,z);}];';
  const [forward, backward] = new Function(...names, source)(...values) as [
    LoopSweep['forward'],
    LoopSweep['backward'],
  ];
  return { forward, backward };
}

/** The unary op ending instruction f (POWK or a function's code), or -1. */
function unaryOp(code: Uint8Array, f: number): number {
  const c = code[f];
  if (c < SUM) return c === POWK || (c >= FN && c < FN2) ? c : -1;
  const u = c - (c >= DOT ? DOT : SUM);
  return u === ADD ? -1 : u;
}

/**
 * What the search for repeats reads, in one pass over the merged tape: per instruction its first output slot
 * (`first`, as `firstSlots` has it), where its slots start in `slots` (`slotStart`), its shape, and in `slots` its
 * first output slot then its operands, frozen leaves as -1 - slot (so that one only ever stands for another). A
 * shape is the opcode, the term count and the exponent, which must match for two instructions to share a body.
 *
 * One loop with everything written in, nothing called and nothing after it: in a process's first compile this
 * runs before the engine has optimised it, where each call and each pass costs.
 */
function searchInput(
  t: MergedTape,
  first: Int32Array,
  slotStart: Int32Array,
  slots: Int32Array,
  shape: Float64Array,
): void {
  // The module's constants as locals: an imported or module-level binding is read with a check at each use until the
  // function is optimised, and a process's first compile runs it unoptimised.
  const opSum = SUM;
  const opDot = DOT;
  const opAdd = ADD;
  const opMul = MUL;
  const opPow = POW;
  const opFn2 = FN2;
  const opPowk = POWK;
  const { code, a, b, args, k, leaves, frozen } = t;
  const m = code.length;
  const exponents = new Map<number, number>();
  let i = leaves;
  let at = 0;
  first[0] = i;
  slotStart[0] = 0;
  for (let f = 0; f < m; f++) {
    const c = code[f];
    slots[at++] = i;
    let key = c;
    let unary = c;
    if (c < opSum) {
      i++;
      const s0 = a[f];
      slots[at++] = s0 < leaves && frozen[s0] === 1 ? -1 - s0 : s0;
      if (c === opAdd || c === opMul || c === opPow || c >= opFn2) {
        const s1 = b[f];
        slots[at++] = s1 < leaves && frozen[s1] === 1 ? -1 - s1 : s1;
      }
    } else {
      const dot = c >= opDot;
      const terms = b[f];
      unary = c - (dot ? opDot : opSum);
      i += (dot ? 2 : 1) * terms + (unary !== opAdd ? 1 : 0);
      key = c + 256 * (terms + 1);
      const from = a[f];
      const to = from + (dot ? 2 * terms + 1 : terms + 1);
      for (let q = from; q < to; q++) {
        const s = args[q];
        slots[at++] = s < leaves && frozen[s] === 1 ? -1 - s : s;
      }
    }
    if (unary === opPowk) {
      const e = k[i - 1 - leaves];
      let id = exponents.get(e);
      if (id === undefined) exponents.set(e, (id = exponents.size + 1));
      key = -(key + 2 ** 40 * id); // NaN exponents share one id, as Map keys do
    }
    shape[f] = key;
    first[f + 1] = i;
    slotStart[f + 1] = at;
  }
}
