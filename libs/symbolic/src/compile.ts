import { exp } from '@crossgrad/libm';
import { checkExpr, checkVariables, describe } from './check.js';
import { ruleTable, type DiffOptions } from './diff.js';
import { ArgumentError, SymbolicError, UnknownVariableError } from './errors.js';
import {
  FN2_NAMES,
  FN_NAMES,
  operandAt,
  operandCount,
  type Expr,
  type Fn2Name,
  type FnName,
} from './expr.js';
import { COMPILE_HELPERS, FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { partial } from './partial.js';
import { diffRules, isZero, type DiffRules } from './rules.js';
import { powScalar } from './scalar.js';
import { generateLoops, type Loops } from './loops.js';
import { grown, indexDag, type DagVisitor, type IndexedDag } from './walk.js';
import { firstSource, literal, nextInstruction, W } from './words.js';

/**
 * The value and every partial derivative at one point, in the order of the `vars` given to `compileGradient`.
 * @example
 * ```ts
 * const r: ValueAndGradient = compileGradient(parse('x*y'), ['x', 'y'])(2, 3); // { value: 6, gradient: [3, 2] }
 * ```
 */
export interface ValueAndGradient {
  value: number;
  gradient: number[];
}

// Up to this many instructions the generated code is one JavaScript function with a local per value, which V8
// optimises after a few calls. Past it, V8 no longer optimises one function of that size, and compiling many smaller
// ones costs seconds of optimising-compiler time at 10^5 nodes before they run fast; so a larger DAG runs on a tape
// instead: its instructions in an Int32Array, its values in one Float64Array, read by one small loop that is
// optimised after a few calls whatever the size. Same instructions, same order of floating-point operations, so the
// same numbers either way. Measured on W4-shaped DAGs: at 2,600 instructions the code is 3 times faster than the
// tape, at 5,500 the tape is 2 times faster.
const MAX_CODE = 4000;

/** Math's functions and the table's helpers that W4-like graphs use, run by words of their own (so the loop calls
 * them directly); the rest of the table through CALL. */
const MATH_WORDS: Partial<Record<FnName, number>> = {
  sigmoid: W.SIGMOID,
  softplus: W.SOFTPLUS,
  exp: W.EXP,
  log: W.LOG,
  sqrt: W.SQRT,
  sin: W.SIN,
  cos: W.COS,
  tanh: W.TANH,
  abs: W.ABS,
};
const WORD_FN = new Map<number, FnName>(
  Object.entries(MATH_WORDS).map(([fn, word]) => [word as number, fn as FnName]),
);

/** Function numbers of CALL instructions, and the functions, in FN_NAMES order. */
const FN_INDEX = new Map<FnName, number>(FN_NAMES.map((f, i) => [f, i]));
const FN_VALUES: readonly ((u: number) => number)[] = FN_NAMES.map((f) => FUNCTIONS[f].evaluate);
const FN2_INDEX = new Map<Fn2Name, number>(FN2_NAMES.map((f, i) => [f, i]));
const FN2_VALUES: readonly ((a: number, b: number) => number)[] = FN2_NAMES.map(
  (f) => FUNCTIONS2[f].evaluate,
);
const sigmoid = FUNCTIONS.sigmoid.evaluate;
const softplus = FUNCTIONS.softplus.evaluate;

/** Records the instructions computing a DAG's values: one per node, each node's value computed once. */
class Emitter implements DagVisitor {
  /** The instructions' words; `length` of them are used. */
  words = new Int32Array(1 << 12);
  length = 0;
  /** How many instructions. */
  count = 0;
  /** Each slot's constant value (0 for a computed one), and whether it is a constant. */
  values = new Float64Array(1 << 10);
  constant = new Uint8Array(1 << 10);
  slotCount = 0;
  /** The slot of each node of the DAG, by its position there, as {@link walk} lists them. */
  private slots = new Int32Array(1 << 10);
  /** Per position, 1 where the node depends on a variable (of `vars`). */
  live = new Uint8Array(1 << 10);
  /** Per variable of `vars`, the position of its node, or -1 where the expression does not use it. */
  readonly variablePositions: Int32Array;
  /** The DAG, once walked. */
  private dag: IndexedDag | undefined = undefined;
  /** The slots of nodes outside the DAG (local derivatives and their parts). */
  private readonly extra = new Map<Expr, number>();
  /** The stack of {@link ref}'s walk (kept, so that a walk allocates nothing). */
  private readonly walkStack: Expr[] = [];
  private readonly walkNext: number[] = [];
  private readonly walkMet: number[] = [];
  /** Each variable's argument slot, by name. */
  private readonly argument = new Map<string, number>();

  /** The first slots are the arguments, in the order of `vars`. */
  constructor(
    private readonly vars: readonly string[],
    private readonly where: string,
  ) {
    for (let i = 0; i < vars.length; i++) this.argument.set(vars[i], this.slot());
    this.variablePositions = new Int32Array(vars.length).fill(-1);
  }

  /**
   * Walk the DAG of `root` once ({@link indexDag}) and record each node's instruction as the walk lists it, so that
   * its operands' slots are known: one pass lists the DAG, checks its variables, computes every value and marks the
   * nodes that depend on a variable.
   */
  walk(root: Expr): IndexedDag {
    this.dag = indexDag(root, this);
    return this.dag;
  }

  /** The slot and live mark of `node`, listed at position `p`, whose operands are at `operands[from .. from + k)`
   * ({@link DagVisitor}). */
  visit(node: Expr, p: number, operands: Int32Array, from: number, k: number): void {
    if (p === this.slots.length) {
      this.slots = grown(this.slots, p + 1);
      this.live = grown(this.live, p + 1);
    }
    const { slots, live } = this;
    if (node.kind === 'num') {
      slots[p] = this.slot(node.value);
      live[p] = 0;
      return;
    }
    if (node.kind === 'sym') {
      const slot = this.argument.get(node.name);
      if (slot === undefined) {
        throw new UnknownVariableError(
          node.name,
          `${this.where}: the expression uses '${node.name}', which is not in vars [${this.vars.join(', ')}]`,
        );
      }
      slots[p] = slot;
      live[p] = 1;
      this.variablePositions[slot] = p;
      return;
    }
    const srcs = scratch(k);
    let dependent = 0;
    for (let j = 0; j < k; j++) {
      const q = operands[from + j];
      srcs[j] = slots[q];
      dependent |= live[q];
    }
    live[p] = dependent;
    slots[p] = this.node(node, srcs);
  }

  /** A new slot: computed, or holding `value` if given. */
  slot(value?: number): number {
    const s = this.slotCount++;
    if (s === this.values.length) {
      this.values = grown(this.values, s + 1);
      this.constant = grown(this.constant, s + 1);
    }
    if (value !== undefined) {
      this.values[s] = value;
      this.constant[s] = 1;
    }
    return s;
  }

  /** `n` new computed slots, one after the other; the first of them. */
  reserve(n: number): number {
    const first = this.slotCount;
    this.slotCount += n;
    if (this.slotCount > this.values.length) {
      this.values = grown(this.values, this.slotCount);
      this.constant = grown(this.constant, this.slotCount);
    }
    return first;
  }

  /** Room for `n` more words. */
  private room(n: number): Int32Array {
    if (this.length + n > this.words.length) this.words = grown(this.words, this.length + n);
    this.count++;
    return this.words;
  }

  /** `word dst a`; returns dst. */
  op1(word: number, dst: number, a: number): number {
    const w = this.room(3);
    let n = this.length;
    w[n++] = word;
    w[n++] = dst;
    w[n++] = a;
    this.length = n;
    return dst;
  }

  /** `word dst a b` (CALL: a is the function number); returns dst. */
  op2(word: number, dst: number, a: number, b: number): number {
    const w = this.room(4);
    let n = this.length;
    w[n++] = word;
    w[n++] = dst;
    w[n++] = a;
    w[n++] = b;
    this.length = n;
    return dst;
  }

  /** `word dst a b c` (CALL2: a is the function number); returns dst. */
  op3(word: number, dst: number, a: number, b: number, c: number): number {
    const w = this.room(5);
    let n = this.length;
    w[n++] = word;
    w[n++] = dst;
    w[n++] = a;
    w[n++] = b;
    w[n++] = c;
    this.length = n;
    return dst;
  }

  /** `word dst k s0 ... s(k-1)` (the first k of `srcs`) for a list word, or its own word for one or two sources; returns dst. `word` is
   * ADD, MUL, ACC or SET (the word for two sources is `word + 1`, for ACC and SET one source `word + 1`). */
  list(word: number, dst: number, srcs: ArrayLike<number>, k: number = srcs.length): number {
    if (k === 2)
      return this.op2(word === W.ADD || word === W.MUL ? word + 1 : word + 2, dst, srcs[0], srcs[1]);
    if (k === 1 && (word === W.ACC || word === W.SET)) return this.op1(word + 1, dst, srcs[0]);
    const w = this.room(3 + k);
    let n = this.length;
    w[n++] = word;
    w[n++] = dst;
    w[n++] = k;
    for (let i = 0; i < k; i++) w[n++] = srcs[i];
    this.length = n;
    return dst;
  }

  /** The slot of the DAG node at position `p` (after {@link walk}). */
  at(p: number): number {
    return this.slots[p];
  }

  /** The slot holding `e`'s value, recording instructions for whatever part of it is not computed yet (the DAG's
   * nodes are, after {@link walk}). */
  ref(e: Expr): number {
    const known = this.known(e);
    if (known !== undefined) return known;
    // Depth-first over the nodes without a slot (operands first, in order, as postOrder lists them), each given
    // its slot when its operands have theirs: the slots of the operands met so far are kept on a stack, a node's
    // being the last ones when it is done. Most local derivatives are one or two new nodes over known ones.
    const stack = this.walkStack;
    const next = this.walkNext;
    const met = this.walkMet;
    let sp = 0;
    stack.push(e);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top];
      const i = next[top];
      const n = operandCount(node);
      if (i < n) {
        next[top] = i + 1;
        const kid = operandAt(node, i);
        // A node is reached once: after its walk it has a slot, and the DAG has no cycle to reach it on the way.
        const slot = this.known(kid);
        if (slot === undefined) {
          stack.push(kid);
          next.push(0);
        } else met[sp++] = slot;
        continue;
      }
      stack.pop();
      next.pop();
      let slot: number;
      if (node.kind === 'num') slot = this.slot(node.value);
      else {
        const srcs = scratch(n);
        sp -= n;
        for (let j = 0; j < n; j++) srcs[j] = met[sp + j];
        slot = this.node(node, srcs);
      }
      this.extra.set(node, slot);
      met[sp++] = slot;
    }
    return met[0];
  }

  /** The slot of `e` if it has one. */
  private known(e: Expr): number | undefined {
    const p = (this.dag as IndexedDag).positionOf(e);
    return p >= 0 ? this.slots[p] : this.extra.get(e);
  }

  /** Record the instruction computing `node` from its operands' slots `srcs`; returns its slot. */
  private node(node: Expr, srcs: Int32Array): number {
    switch (node.kind) {
      case 'add':
      case 'mul':
        return this.list(node.kind === 'add' ? W.ADD : W.MUL, this.slot(), srcs, operandCount(node));
      case 'pow':
        return node.exponent.kind === 'num' && node.exponent.value === -1
          ? this.op1(W.RECIP, this.slot(), srcs[0])
          : this.op2(W.POW, this.slot(), srcs[0], srcs[1]);
      case 'call': {
        const word = MATH_WORDS[node.fn];
        return word !== undefined
          ? this.op1(word, this.slot(), srcs[0])
          : this.op2(W.CALL, this.slot(), FN_INDEX.get(node.fn) as number, srcs[0]);
      }
      case 'call2':
        return this.op3(W.CALL2, this.slot(), FN2_INDEX.get(node.fn) as number, srcs[0], srcs[1]);
      default:
        // Variables not in `vars` were rejected before emitting.
        throw new SymbolicError(`compile: no value for ${node.kind === 'sym' ? node.name : node.kind}`);
    }
  }
}

// A reused buffer for the sources of one instruction.
let sources = new Int32Array(64);
function scratch(k: number): Int32Array {
  if (k > sources.length) sources = new Int32Array(2 * k);
  return sources;
}

/** The error for a call of a generated function with the wrong number of arguments or a non-number. */
function badCall(where: string, vars: readonly string[]): (args: ArrayLike<unknown>) => never {
  return (args) => {
    const list = `(${vars.join(', ')})`;
    if (args.length !== vars.length) {
      const missing = vars[args.length];
      throw new ArgumentError(
        missing ?? 'arguments',
        `${where}: the function takes ${vars.length} argument${vars.length === 1 ? '' : 's'} ${list}, got ` +
          `${args.length}` +
          (missing === undefined ? '' : `: no value for ${missing}`),
      );
    }
    let i = 0;
    while (typeof args[i] === 'number') i++;
    throw new ArgumentError(
      vars[i],
      `${where}: argument ${i + 1} (${vars[i]}) must be a number, got ${args[i] === undefined ? 'undefined' : describe(args[i])}`,
    );
  };
}

/**
 * Options of {@link compile} and {@link compileGradient}: how the instructions run, with the same numbers either way.
 * @example
 * ```ts
 * const f = compileGradient(parse('x*y'), ['x', 'y'], { mode: 'tape' }); // no code generated
 * ```
 */
export interface CompileOptions {
  /**
   * `'codegen'`: one generated JavaScript function (`new Function`) with a local per value, at any size (past a
   * few thousand instructions V8 no longer optimises it); `'tape'`: the instructions in typed arrays, run by one
   * small loop; `'loops'`: the tape's repeating stretches (a DAG built by a loop, as W4 or a batch of points
   * through one model) as generated `for` loops, the tape where less than half of it repeats; `'auto'` (the
   * default): generated code up to 4,000 instructions, above that the tape, and the loops from the 100th call
   * on where the tape repeats (a function called a few times never pays for generating and optimising them).
   * Where generating code is refused (a Content-Security-Policy without `'unsafe-eval'` makes `new Function` an
   * `EvalError`), every mode runs the tape instead, and the refusal is remembered for later calls.
   */
  mode?: 'auto' | 'codegen' | 'tape' | 'loops';
}

/** The values of {@link CompileOptions.mode}. */
type Mode = 'auto' | 'codegen' | 'tape' | 'loops';

/** The call of an `'auto'` function past 4,000 instructions at which its loops are generated. */
const AUTO_LOOPS = 100;

/** Set once `new Function` has been refused: every later function runs on the tape without trying again. */
let codegenRefused = false;

/**
 * For tests (not exported from the package): forget an earlier refusal of `new Function`.
 * @example
 * ```ts
 * resetCodegen();
 * ```
 */
export function resetCodegen(): void {
  codegenRefused = false;
}

/** The mode option, checked. */
function modeOf(options: unknown, where: string): Mode {
  if (typeof options !== 'object' || options === null) {
    throw new SymbolicError(`${where}: options must be an object, got ${describe(options)}`);
  }
  const mode = (options as CompileOptions).mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'codegen' && mode !== 'tape' && mode !== 'loops') {
    throw new SymbolicError(
      `${where}: mode must be 'auto', 'codegen', 'tape' or 'loops', got ${describe(mode)}`,
    );
  }
  return mode;
}

/** What a compiled function returns, written from the slots holding the results. */
type Result = { readonly value: number } | { readonly value: number; readonly gradient: readonly number[] };

/**
 * A JavaScript function running the instructions: generated code for a small DAG, the tape for a large one. The
 * arguments are checked first: their count, and `typeof` each, which costs next to nothing beside the arithmetic.
 */
function build<T>(vars: readonly string[], emitter: Emitter, result: Result, where: string, mode: Mode): T {
  const bad = badCall(where, vars);
  const code = mode === 'codegen' || (mode === 'auto' && emitter.count <= MAX_CODE);
  if (code && !codegenRefused) {
    try {
      return generate(vars, emitter, result, bad) as T;
    } catch (err) {
      if (err instanceof SymbolicError) throw err;
      // A Content-Security-Policy forbids generating code: the tape computes the same numbers.
      if (!(err instanceof EvalError)) {
        throw new SymbolicError(`${where}: the generated function was rejected: ${(err as Error).message}`);
      }
      codegenRefused = true;
    }
  }
  const loopsAt = mode === 'loops' ? 0 : mode === 'auto' ? AUTO_LOOPS : -1;
  return tape(vars, emitter, result, bad, loopsAt, where) as T;
}

/** One function, one local per slot; the functions it calls come in as parameters, so `compile` and `evaluate`
 * share one definition of every op. */
function generate(
  vars: readonly string[],
  emitter: Emitter,
  result: Result,
  bad: (args: ArrayLike<unknown>) => never,
): unknown {
  const { values, constant, words, length } = emitter;
  const name = (s: number): string =>
    constant[s] === 1 ? literal(values[s]) : s < vars.length ? 'a' + s : 't' + s;
  const lines: string[] = [];
  let pc = 0;
  while (pc < length) {
    const word = words[pc];
    const d = name(words[pc + 1]);
    // The sources (a call's function name first), and where the next instruction starts.
    const end = nextInstruction(words, pc);
    const args = Array.from(words.subarray(firstSource(words, pc), end), name);
    if (word === W.CALL) args.unshift(FN_NAMES[words[pc + 2]]);
    else if (word === W.CALL2) args.unshift(FN2_NAMES[words[pc + 2]]);
    pc = end;
    if (word === W.ACC || word === W.ACC1 || word === W.ACC2) lines.push(`${d} += ${args.join(' * ')};`);
    else {
      const value =
        word === W.ADD || word === W.ADD2 || word === W.ADD4 ? args.join(' + ')
        : word === W.MUL || word === W.MUL2 ? args.join(' * ')
        : word === W.SET || word === W.SET1 || word === W.SET2 ? `${args.join(' * ')} + 0`
        : word === W.POW ? `pow(${args[0]}, ${args[1]})`
        : word === W.RECIP ? `1 / ${args[0]}`
        : word === W.CALL ? FUNCTIONS[args[0] as FnName].js(args[1])
        : word === W.CALL2 ? FUNCTIONS2[args[0] as Fn2Name].js(args[1], args[2])
        : FUNCTIONS[WORD_FN.get(word) as FnName].js(args[0]); // prettier-ignore
      lines.push(`let ${d} = ${value};`);
    }
  }
  const params = vars.map((_, i) => 'a' + i);
  const check =
    `if (arguments.length !== ${vars.length}` +
    params.map((a) => ` || typeof ${a} !== 'number'`).join('') +
    ') bad(arguments);\n';
  const out =
    'gradient' in result
      ? `{ value: ${name(result.value)}, gradient: [${result.gradient.map(name).join(', ')}] }`
      : name(result.value);
  const helpers = ['pow', ...Object.keys(COMPILE_HELPERS)];
  const F: Record<string, unknown> = { pow: powScalar, ...COMPILE_HELPERS };
  const source = `"use strict";\nreturn function (${params.join(', ')}) {\n${check}${lines.join('\n')}\nreturn ${out};\n};`;
  return new Function('bad', ...helpers, source)(bad, ...helpers.map((h) => F[h]));
}

/**
 * The instructions as a tape, run by a loop over one Float64Array of slots; constants are written into their
 * slots once. From call `loopsAt` on (at once for 0, never for -1) the tape's repeating stretches run as generated
 * loops ({@link generateLoops}) where they cover enough of it.
 */
function tape(
  vars: readonly string[],
  emitter: Emitter,
  result: Result,
  bad: (args: ArrayLike<unknown>) => never,
  loopsAt: number,
  where: string,
): unknown {
  // Only copies are kept: the function holds no reference to the emitter, its DAG or the derivatives' nodes.
  let code = emitter.words.slice(0, emitter.length);
  const slotCount = emitter.slotCount;
  let v: Float64Array = emitter.values.slice(0, slotCount);
  // Which slots hold constants, where loops may be generated (they keep their values in v: nothing writes them).
  const constant = loopsAt >= 0 ? emitter.constant.slice(0, slotCount) : new Uint8Array(0);
  const n = vars.length;
  // The slots the results are read from (renumbered when the loops, which have slots of their own, take over).
  let resultSlots = Int32Array.from(
    'gradient' in result ? [result.value, ...result.gradient] : [result.value],
  );
  let loops: ((v: Float64Array) => void) | undefined;
  const generate = (): void => {
    if (codegenRefused) return;
    let generated: Loops | undefined;
    try {
      generated = generateLoops(code, v, constant, slotCount);
    } catch (err) {
      if (!(err instanceof EvalError)) {
        throw new SymbolicError(`${where}: the generated loops were rejected: ${(err as Error).message}`);
      }
      codegenRefused = true;
    }
    if (generated === undefined) return;
    const { slot } = generated;
    resultSlots = resultSlots.map((s) => slot[s]);
    v = generated.slots;
    loops = generated.run;
    code = new Int32Array(0); // the tape is not run again
  };
  if (loopsAt === 0) generate();
  let calls = 0;
  const run = (args: ArrayLike<unknown>): void => {
    // Generated at the start of a call: it changes the slots the arguments go to.
    if (loops === undefined && ++calls === loopsAt) generate();
    if (args.length !== n) bad(args);
    for (let i = 0; i < n; i++) {
      const a = args[i];
      if (typeof a !== 'number') bad(args);
      v[i] = a as number;
    }
    if (loops !== undefined) loops(v);
    else runTape(code, v);
  };
  if ('gradient' in result) {
    const count = result.gradient.length;
    return function (...args: unknown[]): ValueAndGradient {
      run(args);
      const out = new Array<number>(count);
      for (let i = 0; i < count; i++) out[i] = v[resultSlots[i + 1]];
      return { value: v[resultSlots[0]], gradient: out };
    };
  }
  return function (...args: unknown[]): number {
    run(args);
    return v[resultSlots[0]];
  };
}

/** The tape's interpreter: one pass over the instructions. */
function runTape(code: Int32Array, v: Float64Array): void {
  const end = code.length;
  let pc = 0;
  while (pc < end) {
    const dst = code[pc + 1];
    switch (code[pc]) {
      case W.ADD2:
        v[dst] = v[code[pc + 2]] + v[code[pc + 3]];
        pc += 4;
        break;
      case W.MUL2:
        v[dst] = v[code[pc + 2]] * v[code[pc + 3]];
        pc += 4;
        break;
      case W.ACC1:
        v[dst] += v[code[pc + 2]];
        pc += 3;
        break;
      case W.ACC2:
        v[dst] += v[code[pc + 2]] * v[code[pc + 3]];
        pc += 4;
        break;
      case W.SET1:
        v[dst] = v[code[pc + 2]] + 0;
        pc += 3;
        break;
      case W.SET2:
        v[dst] = v[code[pc + 2]] * v[code[pc + 3]] + 0;
        pc += 4;
        break;
      case W.ADD4:
        v[dst] = v[code[pc + 2]] + v[code[pc + 3]] + v[code[pc + 4]] + v[code[pc + 5]];
        pc += 6;
        break;
      case W.ADD: {
        const k = code[pc + 2];
        let s = v[code[pc + 3]];
        for (let i = 1; i < k; i++) s += v[code[pc + 3 + i]];
        v[dst] = s;
        pc += 3 + k;
        break;
      }
      case W.MUL: {
        const k = code[pc + 2];
        let p = v[code[pc + 3]];
        for (let i = 1; i < k; i++) p *= v[code[pc + 3 + i]];
        v[dst] = p;
        pc += 3 + k;
        break;
      }
      case W.ACC: {
        const k = code[pc + 2];
        let p = v[code[pc + 3]];
        for (let i = 1; i < k; i++) p *= v[code[pc + 3 + i]];
        v[dst] += p;
        pc += 3 + k;
        break;
      }
      case W.SET: {
        const k = code[pc + 2];
        let p = v[code[pc + 3]];
        for (let i = 1; i < k; i++) p *= v[code[pc + 3 + i]];
        v[dst] = p + 0;
        pc += 3 + k;
        break;
      }
      case W.POW:
        v[dst] = powScalar(v[code[pc + 2]], v[code[pc + 3]]);
        pc += 4;
        break;
      case W.RECIP:
        v[dst] = 1 / v[code[pc + 2]];
        pc += 3;
        break;
      case W.EXP:
        v[dst] = exp(v[code[pc + 2]]);
        pc += 3;
        break;
      case W.LOG:
        v[dst] = Math.log(v[code[pc + 2]]);
        pc += 3;
        break;
      case W.SQRT:
        v[dst] = Math.sqrt(v[code[pc + 2]]);
        pc += 3;
        break;
      case W.SIN:
        v[dst] = Math.sin(v[code[pc + 2]]);
        pc += 3;
        break;
      case W.COS:
        v[dst] = Math.cos(v[code[pc + 2]]);
        pc += 3;
        break;
      case W.TANH:
        v[dst] = Math.tanh(v[code[pc + 2]]);
        pc += 3;
        break;
      case W.ABS:
        v[dst] = Math.abs(v[code[pc + 2]]);
        pc += 3;
        break;
      case W.SIGMOID:
        v[dst] = sigmoid(v[code[pc + 2]]);
        pc += 3;
        break;
      case W.SOFTPLUS:
        v[dst] = softplus(v[code[pc + 2]]);
        pc += 3;
        break;
      case W.CALL2:
        v[dst] = FN2_VALUES[code[pc + 2]](v[code[pc + 3]], v[code[pc + 4]]);
        pc += 5;
        break;
      default:
        v[dst] = FN_VALUES[code[pc + 2]](v[code[pc + 3]]);
        pc += 4;
    }
  }
}

/**
 * A JavaScript function computing `e`, generated once: one statement per DAG node, arguments in the order of
 * `vars` (which must name every variable of `e`). The same arithmetic as `evaluate`, so the same numbers. A call
 * with the wrong number of arguments or a non-number is an {@link ArgumentError} naming the argument.
 * `options.mode` chooses generated code or the tape (see {@link CompileOptions}).
 *
 * @example
 * ```ts
 * const f = compile(parse('x^2 + y'), ['x', 'y']);
 * f(3, 1); // 10
 * ```
 */
export function compile(
  e: Expr,
  vars: readonly string[],
  options: CompileOptions = {},
): (...xs: number[]) => number {
  const root = checkExpr(e, 'compile');
  const names = checkVariables(vars, 'compile');
  const emitter = new Emitter(names, 'compile');
  const dag = emitter.walk(root);
  const mode = modeOf(options, 'compile');
  return build(names, emitter, { value: emitter.at(dag.nodes.length - 1) }, 'compile', mode);
}

/**
 * A JavaScript function returning the value of `e` and its gradient in one call: the forward pass, then reverse
 * accumulation in the generated code, each local derivative taken from the rule table (so it agrees with
 * `gradient`; `options.rules` replaces rules as for `diff`) and products' partials by prefix and suffix products.
 * The rule table is the only source of the local derivatives, so at edge points (such as a^b at a = 0) it gives
 * what `diff` and `gradient` give, evaluated. Set-up time is linear in the DAG's size; a large DAG runs on a
 * typed-array tape (`options.mode` forces either, see {@link CompileOptions}). A call with the wrong number of
 * arguments or a non-number is an {@link ArgumentError} naming the argument. A variable of `vars` that `e` does not
 * contain (also one the builders simplified away, as `x` from `(x/x)^2 + w`, which is `w + 1`) keeps its argument
 * and gets derivative 0.
 *
 * @example
 * ```ts
 * const f = compileGradient(parse('x*y + sin(x)'), ['x', 'y']);
 * f(0, 2); // { value: 0, gradient: [3, 0] }
 * compileGradient(parse('(x/x)^2 + w'), ['x', 'w'])(0.8, 1); // { value: 2, gradient: [0, 1] }
 * ```
 */
export function compileGradient(
  e: Expr,
  vars: readonly string[],
  options: DiffOptions & CompileOptions = {},
): (...xs: number[]) => ValueAndGradient {
  const root = checkExpr(e, 'compileGradient');
  const names = checkVariables(vars, 'compileGradient');
  const emitter = new Emitter(names, 'compileGradient');
  const dag = emitter.walk(root);
  const mode = modeOf(options, 'compileGradient');
  const rules = ruleTable(options.rules, 'compileGradient');
  const n = dag.nodes.length;
  const value = emitter.at(n - 1);
  const backward = new Backward(emitter, emitter.live, n);
  backward.all(dag, rules);
  const zero = emitter.slot(0);
  const gradient: number[] = [];
  for (let i = 0; i < names.length; i++) {
    const p = emitter.variablePositions[i];
    const slot = p >= 0 ? backward.adjoint[p] : -1;
    gradient.push(slot >= 0 ? slot : zero);
  }
  return build(names, emitter, { value, gradient }, 'compileGradient', mode);
}

/**
 * Reverse accumulation's instructions. Adjoints (by position, -1 for none) get a slot at their first contribution
 * (SET), later ones add to it (ACC); the root's is the constant 1. As in `gradient`, a node nothing was sent to is
 * skipped: its adjoint is exactly 0, and 0 · ∞ must not turn into a NaN that the symbolic gradient does not have.
 */
class Backward {
  readonly adjoint: Int32Array;
  /**
   * The first of n slots, one per position, that hold the adjoints: a node's adjoint has its slot whenever its
   * first contribution comes, so the slots after it do not depend on which contribution is first (in a DAG built
   * by a loop, that changes from one repetition to the next with the order of a sum's terms).
   */
  private readonly base: number;
  private readonly srcs = new Int32Array(3);
  /** The slots of a product's factors, and its prefix products. */
  private refs = new Int32Array(8);
  private prefix = new Int32Array(8);

  constructor(
    private readonly emitter: Emitter,
    /** By position, 1 where the node depends on a wanted variable. */
    private readonly live: Uint8Array,
    n: number,
  ) {
    this.adjoint = new Int32Array(n).fill(-1);
    this.base = emitter.reserve(n);
  }

  /** The instructions sending every node's adjoint to its operands, the root's first. */
  all(dag: IndexedDag, rules: DiffRules): void {
    const { nodes, start, operands } = dag;
    const { emitter, live, adjoint } = this;
    const n = nodes.length;
    if (live[n - 1] === 1) adjoint[n - 1] = emitter.slot(1);
    const defaultSum = rules.sum === diffRules.sum;
    const defaultProduct = rules.product === diffRules.product;
    for (let p = n - 1; p >= 0; p--) {
      const g = adjoint[p];
      const node = nodes[p];
      if (g < 0 || node.kind === 'sym') continue;
      const from = start[p];
      const to = start[p + 1];
      if (node.kind === 'mul' && defaultProduct) {
        // 0 · u: the rule's partial for u is the constant 0, which `gradient` does not send either.
        if (!(to - from === 2 && isZero(node.factors[0]))) this.products(operands, from, to, g);
        continue;
      }
      // A sum's partials are all 1 (its adjoint goes to every term as it is); other nodes' come from the rules.
      const sum = node.kind === 'add' && defaultSum;
      for (let j = from; j < to; j++) {
        const target = operands[j];
        if (live[target] === 0) continue;
        let local = 0;
        if (!sum) {
          const partialDerivative = partial(node, j - from, rules);
          if (isZero(partialDerivative)) continue;
          local = emitter.ref(partialDerivative);
        }
        this.send(target, sum ? 1 : 2, g, local, 0);
      }
    }
  }

  /** Send the product of `k` (1 to 3) slots `a`, `b`, `c` to the adjoint of the node at position `target`. */
  send(target: number, k: number, a: number, b: number, c: number): void {
    const { srcs, emitter, adjoint } = this;
    srcs[0] = a;
    srcs[1] = b;
    srcs[2] = c;
    const known = adjoint[target];
    if (known >= 0) emitter.list(W.ACC, known, srcs, k);
    else adjoint[target] = emitter.list(W.SET, this.base + target, srcs, k);
  }

  /** Partials of a product without division (exact where a factor is 0): prefix products times a running suffix.
   * The factors are the nodes at positions `operands[from .. to)`; `g` is the product's adjoint. */
  products(operands: Int32Array, from: number, to: number, g: number): void {
    const { emitter, live } = this;
    const k = to - from;
    if (k > this.refs.length) {
      this.refs = new Int32Array(2 * k);
      this.prefix = new Int32Array(2 * k);
    }
    const refs = this.refs;
    for (let j = 0; j < k; j++) refs[j] = emitter.at(operands[from + j]);
    if (k <= 3) {
      // Each factor's partial: the product of the others, in order.
      for (let j = 0; j < k; j++) {
        const f = operands[from + j];
        if (live[f] === 0) continue;
        const a = j === 0 ? refs[1] : refs[0];
        const b = k === 3 ? (j === 2 ? refs[1] : refs[2]) : 0;
        this.send(f, k, g, a, b);
      }
      return;
    }
    // prefix[j] = refs[0] · … · refs[j-1] (prefix[0], the empty product, is never used).
    const prefix = this.prefix;
    prefix[1] = refs[0];
    for (let j = 2; j < k; j++) prefix[j] = emitter.op2(W.MUL2, emitter.slot(), prefix[j - 1], refs[j - 1]);
    let lowest = 0;
    while (live[operands[from + lowest]] === 0) lowest++;
    let suffix = g;
    for (let j = k - 1; j >= lowest; j--) {
      const f = operands[from + j];
      // The first factor's partial is the suffix alone; the others', the prefix times the suffix.
      if (live[f] === 1) this.send(f, j === 0 ? 1 : 2, j === 0 ? suffix : prefix[j], suffix, 0);
      if (j > lowest) suffix = emitter.op2(W.MUL2, emitter.slot(), suffix, refs[j]);
    }
  }
}
