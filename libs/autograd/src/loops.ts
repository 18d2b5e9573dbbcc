import type { MergedTape } from './codegen.js';
import { ADD, DOT, FN, FN2, FNS, FNS2, MUL, POW, POWK, SUM, firstSlots } from './opcodes.js';
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

/** Longest body tried, in instructions. */
const MAX_PERIOD = 2048;
/** Repetitions of an instruction's shape looked at as candidate periods. */
const MAX_CANDIDATES = 64;
/** A stretch becomes a loop from this many repetitions on. */
const MIN_REPS = 3;
/**
 * Instructions written out once (outside loops) past which no code is generated: straight-line code optimises
 * slowly (measured on random graphs: 300 instructions 1.3× faster than the interpreter after 200 runs, 1,000
 * instructions still 2× slower).
 */
const MAX_STRAIGHT = 400;
/** Characters of written-out code per generated function. */
const CHUNK = 8000;
/**
 * Characters of a loop's body kept in one function; a longer body is cut into functions of CHUNK characters,
 * which keeps each under the size (about 60 KB of bytecode) past which V8 never optimises a function.
 */
const BODY = 32_000;

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

  const first = firstSlots(code, b, leaves);
  /** The unary op ending instruction f (POWK or a function's code), or -1. */
  const unaryOf = (f: number): number => {
    const c = code[f];
    if (c < SUM) return c === POWK || (c >= FN && c < FN2) ? c : -1;
    const u = c - (c >= DOT ? DOT : SUM);
    return u === ADD ? -1 : u;
  };
  /** Slots instruction f reads, in order: at `args`' positions for SUM and DOT. */
  const arity = (f: number): number => {
    const c = code[f];
    if (c >= DOT) return 2 * b[f] + 1;
    if (c >= SUM) return b[f] + 1;
    return c === ADD || c === MUL || c === POW || c >= FN2 ? 2 : 1;
  };
  const operand = (f: number, q: number): number => {
    const c = code[f];
    if (c >= SUM) return args[a[f] + q];
    return q === 0 ? a[f] : b[f];
  };
  const isFrozen = (s: number): boolean => s < leaves && frozen[s] === 1;
  // Every instruction's operands in one flat list (frozen leaves as -1 - slot), for the search's inner loop.
  const opStart = new Int32Array(m + 1);
  for (let f = 0; f < m; f++) opStart[f + 1] = opStart[f] + arity(f);
  const ops = new Int32Array(opStart[m]);
  for (let f = 0; f < m; f++) {
    for (let q = 0, at = opStart[f]; at < opStart[f + 1]; q++, at++) {
      const s = operand(f, q);
      ops[at] = isFrozen(s) ? -1 - s : s;
    }
  }

  // A shape per instruction: opcode, term count and exponent must match for two instructions to share a body.
  const shape = new Float64Array(m);
  const exponents = new Map<number, number>();
  for (let f = 0; f < m; f++) {
    const c = code[f];
    let key = c + 256 * (c >= SUM ? b[f] + 1 : 0);
    if (unaryOf(f) === POWK) {
      const e = k[first[f + 1] - 1 - leaves];
      let id = exponents.get(e);
      if (id === undefined) exponents.set(e, (id = exponents.size + 1));
      key = -(key + 2 ** 40 * id); // NaN exponents share one id, as Map keys do
    }
    shape[f] = key;
  }
  // The next instruction of the same shape, or -1.
  const nextSame = new Int32Array(m).fill(-1);
  {
    const last = new Map<number, number>();
    for (let f = m - 1; f >= 0; f--) {
      const g = last.get(shape[f]);
      if (g !== undefined) nextSame[f] = g;
      last.set(shape[f], f);
    }
  }

  let budget = 64 * m + 100_000;
  /**
   * Whether instruction g repeats f with output step D and the operand steps `deltas` from `at` on; with `record`,
   * the operand steps are appended to `deltas` instead.
   */
  const same = (f: number, g: number, D: number, deltas: number[], at: number, record: boolean): boolean => {
    budget--;
    if (shape[f] !== shape[g] || first[g] - first[f] !== D) return false;
    const from = opStart[f];
    const n = opStart[f + 1] - from;
    if (n > LONG) return false;
    const to = opStart[g];
    for (let q = 0; q < n; q++) {
      const s = ops[from + q];
      const r = ops[to + q];
      // A frozen leaf (negative) only where the other is one too; the step is the same either way.
      if (s < 0 !== r < 0) return false;
      const step = s < 0 ? s - r : r - s;
      if (record) deltas.push(step);
      else if (step !== deltas[at + q]) return false;
    }
    budget -= n >> 3;
    return true;
  };
  /** Repetitions of the body [f, f + P) from f on, and its operand steps. */
  const repetitions = (f: number, P: number): { reps: number; deltas: number[] } => {
    const D = first[f + P] - first[f];
    const deltas: number[] = [];
    if (f + MIN_REPS * P > m) return { reps: 1, deltas };
    // The steps from repetition 0 to 1, each checked at once against 1 to 2, so a wrong period fails early.
    for (let p = 0, at = 0; p < P; p++) {
      if (
        !same(f + p, f + P + p, D, deltas, 0, true) ||
        !same(f + P + p, f + 2 * P + p, D, deltas, at, false)
      ) {
        return { reps: 1, deltas };
      }
      at += opStart[f + p + 1] - opStart[f + p];
    }
    let reps = 3;
    for (; f + (reps + 1) * P <= m && budget > 0; reps++) {
      const r0 = f + (reps - 1) * P;
      let at = 0;
      let ok = true;
      for (let p = 0; p < P; p++) {
        if (!same(r0 + p, r0 + P + p, D, deltas, at, false)) {
          ok = false;
          break;
        }
        at += opStart[f + p + 1] - opStart[f + p];
      }
      if (!ok) break;
    }
    return { reps, deltas };
  };

  const segments: Segment[] = [];
  let straight = 0;
  let looped = 0;
  for (let f = 0; f < m;) {
    let best: { P: number; reps: number; deltas: number[] } | undefined;
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
    if (best !== undefined) {
      segments.push({
        start: f,
        period: best.P,
        reps: best.reps,
        deltas: Int32Array.from(best.deltas),
        outStep: first[f + best.P] - first[f],
      });
      f += best.P * best.reps;
      looped += best.P * best.reps;
    } else {
      segments.push({ start: f, period: 1, reps: 1, deltas: new Int32Array(arity(f)), outStep: 0 });
      f++;
      if (++straight > MAX_STRAIGHT && !everyGraph) return undefined;
    }
    if (budget <= 0 && !everyGraph) return undefined;
  }
  if (looped < m / 2 && !everyGraph) return undefined;

  // The source. Slots are written as `base` or `base+qN`, qN = r·step being the loop's variable for one step.
  let steps = new Map<number, string>();
  const slot = (s0: number, step: number): string => {
    if (step === 0) return String(s0);
    let q = steps.get(step);
    if (q === undefined) steps.set(step, (q = `q${steps.size}`));
    return `${s0}+${q}`;
  };
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
          `{const x=${x},e=Math.exp(-Math.abs(x)),y=Math.max(x,0)+Math.log1p(e);val[${out(s)}]=y;` +
          `d0[${d(s)}]=x>=0?1/(1+e):1/(1+Math.exp(-x));}`
        );
      }
      // exp's derivative is its value: the backward pass reads it from val (see `local`).
      if (FNS[fnName(u)] === FUNCTIONS.exp) return `val[${out(s)}]=Math.exp(${x});`;
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
   * The code of a pass as functions to call in turn: each loop its own function, the instructions written out
   * between loops grouped up to CHUNK characters, so that every function stays under the size the engine's
   * optimising compiler takes. Backward runs segments, repetitions and bodies in reverse.
   */
  const pass = (backward: boolean): string[] => {
    const functions: string[] = [];
    let straightCode = '';
    const flush = (): void => {
      if (straightCode !== '') functions.push(straightCode);
      straightCode = '';
    };
    const order = backward ? segments.slice().reverse() : segments;
    for (const s of order) {
      steps = new Map();
      const parts: string[] = [];
      for (let p = 0, at = 0; p < s.period; p++) {
        const f = s.start + p;
        parts.push((backward ? backwardOf : forwardOf)(f, s.deltas, at, s.outStep));
        at += arity(f);
      }
      const body = (backward ? parts.reverse() : parts).join('');
      if (s.reps === 1) {
        straightCode += body;
        if (straightCode.length > CHUNK) flush();
        continue;
      }
      flush();
      const qs = [...steps].map(([step, q]) => `${q}=r*${step}`).join(',');
      const head = qs === '' ? '' : `const ${qs};`;
      const loop = backward ? `for(let r=${s.reps - 1};r>=0;r--)` : `for(let r=0;r<${s.reps};r++)`;
      if (body.length <= BODY) {
        functions.push(`${loop}{${head}${body}}`);
        continue;
      }
      // A long body is cut into functions of about CHUNK characters, called in turn for each repetition.
      const calls: string[] = [];
      let group = '';
      const params = backward ? 'val,grad,d0,d1,z,r' : 'val,d0,d1,r';
      const cut = (): void => {
        calls.push(`h${helpers.length}(${params});`);
        helpers.push(`function h${helpers.length}(${params}){${head}${group}}`);
        group = '';
      };
      for (const part of parts) {
        group += part;
        if (group.length > CHUNK) cut();
      }
      if (group !== '') cut();
      functions.push(`${loop}{${calls.join('')}}`);
    }
    flush();
    return functions;
  };
  const helpers: string[] = [];
  const forwardParts = pass(false);
  const backwardParts = pass(true);

  // The operand list (A) and the rules the code calls, by name: pow's (PV, PD, PE), each function's value and
  // derivative (F, D), each two-argument function's (G, H, I).
  const names: string[] = ['A', 'PV', 'PD', 'PE'];
  const values: unknown[] = [args, BINARY['**'].value, BINARY['**'].d0, BINARY['**'].d1];
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
