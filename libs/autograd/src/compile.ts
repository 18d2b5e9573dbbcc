import { InvalidArgumentError, NonFiniteError, describeArgument, describeNode } from './errors.js';
import { slotLayout, topologicalOrder } from './graph.js';
import { generateSweep, type GeneratedSweep, type MergedTape } from './codegen.js';
import { generateLoops, type LoopSweep } from './loops.js';
import { ADD, DOT, FN, FN2, FNS, FNS2, MUL, POW, POWK, SUM } from './opcodes.js';
import { BINARY, FUNCTIONS, type FnName } from './rules.js';
import { MARK, Value } from './value.js';

/**
 * Options of {@link compileGraph}.
 *
 * @example
 * ```ts
 * const options: CompileOptions = { checkFinite: true };
 * ```
 */
export interface CompileOptions {
  /** Throw `NonFiniteError` at the first non-finite value or gradient, as `backward({ checkFinite: true })`. */
  checkFinite?: boolean;
  /**
   * How `run` and `backward` execute the tape (the same numbers, bit for bit, every way):
   * - `'loops'`: generated JavaScript (`new Function`) that runs each stretch of the tape that repeats (a batch of
   *   points through one network, a cycle of ops built in a loop) as a `for` loop over one repetition's code,
   *   with no dispatch; the rest written out once. Where too little of the tape repeats, the interpreter;
   * - `'codegen'`: the tape compiled once to WebAssembly, straight-line code with no interpreter loop;
   * - `'tape'`: the typed-array interpreter, nothing generated;
   * - `'auto'` (the default): the interpreter; for a graph of 400 nodes or more, the loops from its 100th `run`
   *   or `backward` on where its tape repeats (2 to 2.4× faster than the interpreter on W4-shaped graphs, 4× on
   *   an MLP's training step; a graph run fewer times never pays for the code and for the engine's first,
   *   unoptimised runs of it); else, for a graph of 400 to 4,000 nodes, WebAssembly from its 2,000th run on.
   *   Only there is WebAssembly faster (about 1.7×), and its set-up takes about as long as 1,000 to 2,000 runs
   *   save; on larger graphs straight-line code does not fit the processor's caches (measured: see the README).
   *
   * Where `new Function` or WebAssembly is refused (a Content-Security-Policy without `'unsafe-eval'` or
   * `'wasm-unsafe-eval'`), those paths run the interpreter instead; the first refusal is remembered, so later
   * graphs do not try again. With `checkFinite`, `'loops'` runs the interpreter, which checks every node in
   * eager's order. {@link CompiledGraph.mode} tells which one a graph got.
   */
  mode?: 'auto' | 'codegen' | 'loops' | 'tape';
}

/** The sizes of graph (nodes on the tape) that `mode: 'auto'` compiles to WebAssembly, and after how many runs. */
const AUTO_CODEGEN = { min: 400, max: 4000, runs: 2000 };

/**
 * Under 'auto', a graph of at least `min` nodes gets generated loops (where its tape repeats) at its `runs`th run:
 * a graph run fewer times never pays for generating code and for the engine's first, unoptimised runs of it.
 */
const AUTO_LOOPS = { min: 400, runs: 100 };

/** Set once `new Function` is refused: every later graph runs without trying again. */
let loopsRefused = false;

/** Set once WebAssembly is found missing or refused: every later graph runs on the interpreter without trying again. */
let codegenRefused = false;

/**
 * For tests (not exported from the package): forget an earlier refusal of WebAssembly.
 *
 * @example
 * ```ts
 * resetCodegen();
 * ```
 */
export function resetCodegen(): void {
  codegenRefused = false;
  loopsRefused = false;
}

/**
 * The result of {@link CompiledGraph.run}. The same object and array come back from every call on one compiled
 * graph: copy them to keep them past the next call.
 *
 * @example
 * ```ts
 * const { value, gradient }: CompiledResult = compiled.run([1, 2]);
 * ```
 */
export interface CompiledResult {
  /** The output's value at the given inputs. */
  value: number;
  /** d(output)/d(inputs[k]) at `gradient[k]`; 0 for an input the output does not depend on. */
  gradient: Float64Array;
}

/**
 * A graph recorded once as a flat tape (opcodes, operand indices, Float64Arrays of values, local derivatives and
 * grads) and replayed for new input values. It does the same floating-point operations in the same order as
 * building the graph eagerly and calling `backward()`, so its results are bit-identical to eager ones.
 *
 * @example
 * ```ts
 * const x = new Value(1, 'x'), y = new Value(2, 'y');
 * const f = compileGraph(x.mul(y).sin(), [x, y]);
 * f.run([3, 4]).gradient; // [4·cos 12, 3·cos 12]
 * ```
 */
export interface CompiledGraph {
  /** The inputs, in the order `run` takes their values. */
  readonly inputs: readonly Value[];
  /** Nodes on the tape: every node the output depends on, leaves and constants included. */
  readonly size: number;
  /** How `run` and `backward` execute: WebAssembly generated from the tape, or the interpreter (see {@link CompileOptions.mode}). */
  readonly mode: 'codegen' | 'loops' | 'tape';
  /**
   * Forward and backward at `xs` (one number per input). Allocates nothing: the result object and its gradient
   * array are reused by the next call.
   */
  run(xs: ArrayLike<number>): CompiledResult;
  /**
   * What `output.backward()` does to the inputs, without rebuilding the graph: reads each input's current
   * `.data`, recomputes the graph, adds d(output)/d(input) into each input's `.grad` (leaves accumulate, as in
   * eager backward) and returns the output's value. Frozen leaves' and interior nodes' `.grad` and `.data` are
   * left alone.
   */
  backward(): number;
  /** The value a node of the graph took in the last `run` or `backward` (its data at compile time before). */
  dataOf(node: Value): number;
}

const FN_CODE = new Map<string, number>(FNS.map((rule, k) => [rule.op, FN + k]));
const fnCode = (name: FnName): number => FN + FNS.indexOf(FUNCTIONS[name]);
const FN_EXP = fnCode('exp');
const FN_LOG = fnCode('log');
const FN_SQRT = fnCode('sqrt');
const FN_SIN = fnCode('sin');
const FN_COS = fnCode('cos');
const FN_TAN = fnCode('tan');
const FN_TANH = fnCode('tanh');
const FN_SIGMOID = fnCode('sigmoid');
const FN_SOFTPLUS = fnCode('softplus');
const FN_RELU = fnCode('relu');
const FN_ABS = fnCode('abs');
const pow = BINARY['**'];
// Every two-argument function (atan2, min, max) runs through the generic case, like `**` with its two local
// derivatives.
const FN2_CODE = new Map<string, number>(FNS2.map((rule, k) => [rule.op, FN2 + k]));

/**
 * Record the graph below `output` as a tape whose variables are `inputs` (leaves of the graph, in the order
 * `run` takes them); every other leaf, constants included, is frozen at its current `.data`. An input the output
 * does not depend on is allowed (its gradient is 0). Set-up is one traversal, linear in the graph's size, and
 * iterative, so any depth works.
 *
 * @throws InvalidArgumentError when `output` is not a Value, or an input is not a Value, not a leaf, or repeated.
 * @example
 * ```ts
 * const a = new Value(2, 'a'), b = new Value(3, 'b');
 * const f = compileGraph(a.mul(b).add(a), [a, b]);
 * f.run([2, 3]); // { value: 8, gradient: [4, 2] }
 * a.grad = 0;
 * f.backward(); // 8, and a.grad === 4, b.grad === 2 as after a.mul(b).add(a).backward()
 * ```
 */
export function compileGraph(
  output: Value,
  inputs: readonly Value[],
  options: CompileOptions = {},
): CompiledGraph {
  if (!(output instanceof Value)) {
    throw new InvalidArgumentError('output', `output must be a Value, got ${describeArgument(output)}`);
  }
  if (!Array.isArray(inputs)) {
    throw new InvalidArgumentError(
      'inputs',
      `inputs must be an array of Values, got ${describeArgument(inputs)}`,
    );
  }
  const seen = new Map<Value, number>();
  inputs.forEach((x: unknown, k) => {
    if (!(x instanceof Value)) {
      throw new InvalidArgumentError('inputs', `inputs[${k}] must be a Value, got ${describeArgument(x)}`);
    }
    if (x.op !== '') {
      throw new InvalidArgumentError('inputs', `inputs[${k}] must be a leaf, got ${describeNode(x)}`);
    }
    const first = seen.get(x);
    if (first !== undefined) {
      throw new InvalidArgumentError('inputs', `inputs[${k}] is the same leaf as inputs[${first}]`);
    }
    seen.set(x, k);
  });
  const mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'codegen' && mode !== 'loops' && mode !== 'tape') {
    throw new InvalidArgumentError(
      'options',
      `mode must be 'auto', 'codegen', 'loops' or 'tape', got ${describeArgument(mode)}`,
    );
  }
  return new Tape(output, inputs.slice(), options.checkFinite === true, mode);
}

class Tape implements CompiledGraph {
  readonly inputs: readonly Value[];
  readonly size: number;
  #mode: 'codegen' | 'loops' | 'tape' = 'tape';
  /** Runs left before 'auto' generates WebAssembly; -1 when it never will. */
  #untilCodegen: number;
  /** Runs left before 'auto' generates loops; -1 when it never will. */
  #untilLoops: number;
  readonly #checkFinite: boolean;
  /** The generated passes, when mode is 'codegen'. */
  #generated: GeneratedSweep | undefined;
  /** The generated loops, when mode is 'loops'. */
  #loops: LoopSweep | undefined;
  /** Set by each run on the loops, which store only what later instructions read: `dataOf` recomputes the rest. */
  #interiorStale = false;
  /** Slots in eager backward's visiting order, leaves included (empty without checkFinite). */
  readonly #checkOrder: Int32Array;
  /** Slots in eager's forward order, for checking values (empty without checkFinite). */
  readonly #valueOrder: Int32Array;
  readonly #leaves: number;
  readonly #out: number;
  /** Slot of each input, -1 when the output does not depend on it. */
  readonly #inputSlot: Int32Array;
  // One instruction per interior node, in topological order.
  readonly #code: Uint8Array;
  readonly #a: Int32Array;
  readonly #b: Int32Array;
  readonly #k: Float64Array;
  // Per slot: value and grad; per instruction: the local derivatives, as eager nodes store them.
  #val: Float64Array;
  #grad: Float64Array;
  #d0: Float64Array;
  #d1: Float64Array;
  readonly #result: CompiledResult;
  // The merged tape (see `fuse`): a plain instruction reads slots fA/fB, a DOT its terms args[fA … fA + 2·fB].
  // Instructions fill the slots after the leaves in order, one each, a DOT 2·fB.
  readonly #fCode: Uint8Array;
  readonly #fA: Int32Array;
  readonly #fB: Int32Array;
  readonly #args: Int32Array;
  /** The node in each slot. Leaves take slots 0…leaves-1, instruction j slot leaves+j. */
  readonly #nodeAt: Value[];
  /** Slot of each node, built on the first `dataOf`. */
  #slots: Map<Value, number> | undefined;

  constructor(
    output: Value,
    inputs: Value[],
    checkFinite: boolean,
    mode: 'auto' | 'codegen' | 'loops' | 'tape',
  ) {
    this.inputs = Object.freeze(inputs);
    this.#checkFinite = checkFinite;
    // With checkFinite, values are checked in eager's forward order; taken first, as the layout's marks must last
    // until the instructions are read.
    const dfs = checkFinite ? topologicalOrder(output) : [];
    // Slots in backward's visiting order (leaves first, where the checked pass looks at their grads); the
    // instructions run in its reverse, a topological order.
    const { nodeAt, val, leaves, order } = slotLayout(output, checkFinite);
    const n = nodeAt.length;
    this.size = n;
    this.#leaves = leaves;
    const m = n - leaves;
    // Only the checked backward walks it.
    this.#checkOrder = order;
    this.#valueOrder = Int32Array.from(dfs, (v) => -1 - v.stamp);
    // Each node's stamp holds -1 - slot until the next traversal: negative, never a traversal's stamp, and checked
    // against `nodeAt` where it could be stale (an input the output does not depend on).
    const slotIn = (v: Value): number => {
      const s = -1 - v.stamp;
      return s >= 0 && s < n && nodeAt[s] === v ? s : -1;
    };
    this.#nodeAt = nodeAt;
    this.#out = slotIn(output);
    this.#inputSlot = Int32Array.from(inputs, slotIn);
    const code = new Uint8Array(m);
    const ia = new Int32Array(m);
    const ib = new Int32Array(m);
    const k = new Float64Array(m);
    // How many instructions read each slot, for fuse.
    const uses = new Int32Array(n);
    encode(nodeAt, leaves, code, ia, ib, k, uses);
    this.#code = code;
    this.#a = ia;
    this.#b = ib;
    this.#k = k;
    this.#val = val;
    this.#grad = new Float64Array(n);
    this.#d0 = new Float64Array(m);
    this.#d1 = new Float64Array(m);
    this.#result = { value: val[this.#out], gradient: new Float64Array(inputs.length) };
    const fused = fuse(code, ia, ib, leaves, uses);
    this.#fCode = fused.code;
    this.#fA = fused.a;
    this.#fB = fused.b;
    this.#args = fused.args;
    this.#untilCodegen =
      mode === 'auto' && n >= AUTO_CODEGEN.min && n <= AUTO_CODEGEN.max ? AUTO_CODEGEN.runs : -1;
    this.#untilLoops = mode === 'auto' && n >= AUTO_LOOPS.min ? AUTO_LOOPS.runs : -1;
    if (mode === 'codegen') this.#useCode();
    else if (mode === 'loops') this.#useLoops();
  }

  get mode(): 'codegen' | 'loops' | 'tape' {
    return this.#mode;
  }

  /** Switch to generated code, if it can be had: the values and grads move into the module's memory. */
  #useCode(): void {
    const generated = this.#generate();
    if (generated === undefined) return;
    this.#val = generated.val;
    this.#grad = generated.grad;
    this.#d0 = generated.d0;
    this.#d1 = generated.d1;
    this.#generated = generated;
    this.#mode = 'codegen';
  }

  /** The merged tape as the generators read it, with which leaf slots are frozen (not inputs). */
  #merged(): MergedTape {
    const frozen = new Uint8Array(this.#leaves).fill(1);
    for (let k = 0; k < this.#inputSlot.length; k++) {
      const s = this.#inputSlot[k];
      if (s >= 0) frozen[s] = 0;
    }
    return {
      code: this.#fCode,
      a: this.#fA,
      b: this.#fB,
      args: this.#args,
      k: this.#k,
      leaves: this.#leaves,
      val: this.#val,
      frozen,
    };
  }

  /** Switch to generated loops, if the tape repeats enough and `new Function` is allowed. */
  #useLoops(): void {
    // With checkFinite every value and grad is checked in eager's order, which the interpreter does.
    if (loopsRefused || this.#checkFinite) return;
    try {
      this.#loops = generateLoops(this.#merged());
    } catch {
      loopsRefused = true;
    }
    if (this.#loops !== undefined) {
      this.#mode = 'loops';
      this.#untilCodegen = -1;
      // The loops expect every grad after the leaves at 0 (they leave them so); the interpreter may not have.
      this.#grad.fill(0, this.#leaves);
    }
  }

  /** Counts a run for 'auto', and generates code at the run that pays for it. */
  #count(): void {
    if (this.#untilLoops > 0 && --this.#untilLoops === 0) this.#useLoops();
    if (this.#untilCodegen > 0 && --this.#untilCodegen === 0) this.#useCode();
  }

  /** Generated code for the merged tape, or undefined where code generation is refused. */
  #generate(): GeneratedSweep | undefined {
    if (codegenRefused) return undefined;
    try {
      return generateSweep(this.#merged());
    } catch {
      // No WebAssembly, or compiling refused (a Content-Security-Policy without 'wasm-unsafe-eval' makes it a
      // CompileError; a browser's main thread may refuse a large module synchronously): the interpreter runs it.
      codegenRefused = true;
      return undefined;
    }
  }

  run(xs: ArrayLike<number>): CompiledResult {
    this.#count();
    const inputs = this.inputs;
    if (xs === null || typeof xs !== 'object' || typeof xs.length !== 'number') {
      throw new InvalidArgumentError('xs', `xs must be an array of numbers, got ${describeArgument(xs)}`);
    }
    if (xs.length !== inputs.length) {
      throw new InvalidArgumentError(
        'xs',
        `expected ${inputs.length} input value${inputs.length === 1 ? '' : 's'}, got ${xs.length}`,
      );
    }
    const val = this.#val;
    const grad = this.#grad;
    const inputSlot = this.#inputSlot;
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k];
      if (typeof x !== 'number') {
        throw new InvalidArgumentError('xs', `xs[${k}] must be a number, got ${describeArgument(x)}`);
      }
      const s = inputSlot[k];
      if (s >= 0) {
        val[s] = x;
        grad[s] = 0;
      }
    }
    const gradient = this.#result.gradient;
    gradient.fill(0);
    try {
      this.#result.value = this.#sweep(true);
    } finally {
      for (let k = 0; k < inputSlot.length; k++) {
        const s = inputSlot[k];
        if (s >= 0) gradient[k] = grad[s];
      }
    }
    return this.#result;
  }

  backward(): number {
    this.#count();
    const inputs = this.inputs;
    const val = this.#val;
    const grad = this.#grad;
    const inputSlot = this.#inputSlot;
    // Skipping zero grads needs the inputs' grads not to start at -0 (see #backward).
    let skipZero = true;
    for (let k = 0; k < inputs.length; k++) {
      const s = inputSlot[k];
      if (s < 0) continue;
      const x = inputs[k];
      val[s] = x.data;
      const g = x.grad;
      grad[s] = g;
      if (Object.is(g, -0)) skipZero = false;
    }
    try {
      return this.#sweep(skipZero);
    } finally {
      // Also after a NonFiniteError: eager backward has then added part of the gradient too.
      for (let k = 0; k < inputs.length; k++) {
        const s = inputSlot[k];
        if (s >= 0) inputs[k].grad = grad[s];
      }
    }
  }

  dataOf(node: Value): number {
    if (this.#slots === undefined) {
      const nodeAt = this.#nodeAt;
      this.#slots = new Map(nodeAt.map((v, s) => [v, s]));
    }
    const s = this.#slots.get(node);
    if (s === undefined) {
      throw new InvalidArgumentError('node', `${describeNode(node)} is not in the compiled graph`);
    }
    if (this.#interiorStale) {
      // The same operations from the same inputs: the interpreter fills in the values the loops did not store.
      this.#forward();
      this.#interiorStale = false;
    }
    return this.#val[s];
  }

  /** Forward from the current input slots, then backward into the grad slots; inputs' grads keep their start. */
  #sweep(skipZero: boolean): number {
    const generated = this.#generated;
    const loops = this.#loops;
    if (loops !== undefined) {
      loops.forward(this.#val, this.#d0, this.#d1);
      this.#interiorStale = true;
    } else if (generated === undefined) this.#forward();
    else generated.forward();
    if (this.#checkFinite) this.#checkValues();
    const grad = this.#grad;
    const leaves = this.#leaves;
    // The loops leave every grad after the leaves at 0 when they end (see loops.ts).
    if (loops === undefined) grad.fill(0, leaves);
    const out = this.#out;
    grad[out] += 1;
    if (this.#checkFinite) this.#backwardChecked();
    else if (loops !== undefined) loops.backward(this.#val, grad, this.#d0, this.#d1, skipZero);
    else if (generated === undefined) this.#backward(skipZero);
    else generated.backward(!skipZero);
    return this.#val[out];
  }

  #forward(): void {
    const code = this.#fCode;
    const a = this.#fA;
    const b = this.#fB;
    const args = this.#args;
    const val = this.#val;
    const d0 = this.#d0;
    const d1 = this.#d1;
    const k = this.#k;
    const leaves = this.#leaves;
    const m = code.length;
    // i: the instruction's first slot (a merged one fills one slot per node it stands for).
    for (let f = 0, i = leaves; f < m; f++, i++) {
      let c = code[f];
      // `+`, `*`, SUM and DOT are spelled out (their rules' values and local derivatives: a + b, 1, 1; a·b, b, a)
      // as the hot path; everything else calls its rule, the same functions eager construction calls.
      let x: number;
      if (c === ADD) {
        val[i] = val[a[f]] + val[b[f]];
        continue;
      } else if (c === MUL) {
        val[i] = val[a[f]] * val[b[f]];
        continue;
      } else if (c >= SUM) {
        let at = a[f];
        const terms = b[f];
        let s = val[args[at++]];
        if (c >= DOT) {
          c -= DOT;
          for (let t = 0; t < terms; t++, at += 2) {
            const p = val[args[at]] * val[args[at + 1]];
            val[i++] = p;
            s = s + p;
            val[i++] = s;
          }
        } else {
          c -= SUM;
          for (let t = 0; t < terms; t++) {
            s = s + val[args[at++]];
            val[i++] = s;
          }
        }
        if (c === ADD) {
          i--; // no unary op: the last sum was the instruction's last slot
          continue;
        }
        x = s; // the unary op's operand, its slot i
      } else if (c === POW || c >= FN2) {
        // `**` with a Value exponent and the two-argument functions: a rule with two local derivatives.
        const rule = c === POW ? pow : FNS2[c - FN2];
        const u = val[a[f]];
        const v = val[b[f]];
        const y = rule.value(u, v);
        val[i] = y;
        d0[i - leaves] = rule.d0(u, v, y);
        d1[i - leaves] = rule.d1(u, v, y);
        continue;
      } else {
        x = val[a[f]];
      }
      // A unary op of x into slot i.
      const j = i - leaves;
      let y: number;
      let d: number;
      // One case per function, each calling its own rule, so the calls can be inlined.
      switch (c) {
        case POWK: {
          const e = k[j];
          y = pow.value(x, e);
          d = pow.d0(x, e, y);
          break;
        }
        case FN_EXP:
          y = FUNCTIONS.exp.value(x);
          d = FUNCTIONS.exp.derivative(x, y);
          break;
        case FN_LOG:
          y = FUNCTIONS.log.value(x);
          d = FUNCTIONS.log.derivative(x, y);
          break;
        case FN_SQRT:
          y = FUNCTIONS.sqrt.value(x);
          d = FUNCTIONS.sqrt.derivative(x, y);
          break;
        case FN_SIN:
          y = FUNCTIONS.sin.value(x);
          d = FUNCTIONS.sin.derivative(x, y);
          break;
        case FN_COS:
          y = FUNCTIONS.cos.value(x);
          d = FUNCTIONS.cos.derivative(x, y);
          break;
        case FN_TAN:
          y = FUNCTIONS.tan.value(x);
          d = FUNCTIONS.tan.derivative(x, y);
          break;
        case FN_TANH:
          y = FUNCTIONS.tanh.value(x);
          d = FUNCTIONS.tanh.derivative(x, y);
          break;
        case FN_SIGMOID:
          y = FUNCTIONS.sigmoid.value(x);
          d = FUNCTIONS.sigmoid.derivative(x, y);
          break;
        case FN_SOFTPLUS:
          y = FUNCTIONS.softplus.value(x);
          d = FUNCTIONS.softplus.derivative(x, y);
          break;
        case FN_RELU:
          y = FUNCTIONS.relu.value(x);
          d = FUNCTIONS.relu.derivative(x, y);
          break;
        case FN_ABS:
          y = FUNCTIONS.abs.value(x);
          d = FUNCTIONS.abs.derivative(x, y);
          break;
        default: {
          const rule = FNS[c - FN];
          y = rule.value(x);
          d = rule.derivative(x, y);
        }
      }
      val[i] = y;
      d0[j] = d;
    }
  }

  /**
   * The backward pass over the merged tape, in eager backward's order. With `skipZero`, an instruction whose
   * grad is 0 and whose local derivatives are finite is skipped: each of its multiply-adds would add ±0 to a grad
   * that is not -0 (interior grads start at +0 and a sum is -0 only when both terms are, so they never are; the
   * caller makes sure the inputs' are not), which leaves it as it is. A product or DOT with a finite value has
   * finite operands, so its value is the check.
   */
  #backward(skipZero: boolean): void {
    const code = this.#fCode;
    const a = this.#fA;
    const b = this.#fB;
    const args = this.#args;
    const val = this.#val;
    const grad = this.#grad;
    const d0 = this.#d0;
    const d1 = this.#d1;
    const leaves = this.#leaves;
    // i: the instruction's last slot.
    let i = val.length - 1;
    for (let f = code.length - 1; f >= 0; f--) {
      let g = grad[i];
      let c = code[f];
      // The same multiply-adds as eager backward: `c0.grad += d0·g`, then `c1.grad += d1·g`.
      if (c === ADD) {
        i--;
        if (g === 0 && skipZero) continue;
        grad[a[f]] += g; // 1·g is g exactly
        grad[b[f]] += g;
      } else if (c === MUL) {
        const y = val[i--];
        if (g === 0 && skipZero && y - y === 0) continue;
        const ia = a[f];
        const ib = b[f];
        grad[ia] += val[ib] * g;
        grad[ib] += val[ia] * g;
      } else if (c < SUM) {
        const j = i-- - leaves;
        const e0 = d0[j];
        if (c === POW || c >= FN2) {
          const e1 = d1[j];
          if (g === 0 && skipZero && e0 - e0 === 0 && e1 - e1 === 0) continue;
          grad[a[f]] += e0 * g;
          grad[b[f]] += e1 * g;
        } else {
          if (g === 0 && skipZero && e0 - e0 === 0) continue;
          grad[a[f]] += e0 * g;
        }
      } else {
        const dot = c >= DOT;
        c -= dot ? DOT : SUM;
        if (c !== ADD) g = 0 + d0[i-- - leaves] * g; // the unary op into the last sum's grad (0 before)
        const y = val[i];
        const terms = b[f];
        i -= dot ? 2 * terms : terms;
        const start = a[f];
        if (dot) {
          if (g === 0 && skipZero && y - y === 0) continue;
          // Sum t sends g to sum t - 1 (not stored) and to product t, which sends on at once; sum 1 sends g to
          // acc before product 1 does.
          for (let at = start + 2 * terms - 1; at > start + 1; at -= 2) {
            const p = args[at];
            const q = args[at + 1];
            grad[p] += val[q] * g;
            grad[q] += val[p] * g;
          }
          const p = args[start + 1];
          const q = args[start + 2];
          grad[args[start]] += g;
          grad[p] += val[q] * g;
          grad[q] += val[p] * g;
        } else {
          if (g === 0 && skipZero) continue;
          // Sum t sends g to sum t - 1 (not stored) and to b_t; sum 1 to a, then b_1.
          for (let at = start + terms; at > start + 1; at--) grad[args[at]] += g;
          grad[args[start]] += g;
          grad[args[start + 1]] += g;
        }
      }
    }
  }

  /** The checked variant walks every node in eager backward's order, leaves included, to name the same node. */
  #backwardChecked(): void {
    const nodeAt = this.#nodeAt;
    const checkOrder = this.#checkOrder;
    const code = this.#code;
    const a = this.#a;
    const b = this.#b;
    const val = this.#val;
    const grad = this.#grad;
    const d0 = this.#d0;
    const d1 = this.#d1;
    const leaves = this.#leaves;
    for (let p = 0; p < checkOrder.length; p++) {
      const i = checkOrder[p];
      const g = grad[i];
      if (!Number.isFinite(g)) throw new NonFiniteError(nodeAt[i], 'grad', g);
      if (i < leaves) continue;
      const j = i - leaves;
      const c = code[j];
      if (c === ADD) {
        grad[a[j]] += g;
        grad[b[j]] += g;
      } else if (c === MUL) {
        grad[a[j]] += val[b[j]] * g;
        grad[b[j]] += val[a[j]] * g;
      } else if (c === POW || c >= FN2) {
        grad[a[j]] += d0[j] * g;
        grad[b[j]] += d1[j] * g;
      } else {
        grad[a[j]] += d0[j] * g;
      }
    }
  }

  #checkValues(): void {
    const nodeAt = this.#nodeAt;
    const valueOrder = this.#valueOrder;
    const val = this.#val;
    for (let p = 0; p < valueOrder.length; p++) {
      const x = val[valueOrder[p]];
      if (!Number.isFinite(x)) throw new NonFiniteError(nodeAt[valueOrder[p]], 'data', x);
    }
  }
}

/**
 * The instructions: for interior node j (in slot leaves + j) its opcode, operand slots and a power's exponent; and
 * in `uses`, how many instructions read each slot.
 *
 * Each pass of the compiler over the graph or the tape is a small function of its own with nothing after its loop:
 * in a process's first compile the engine optimises a loop sooner in a small function (it waits for more work in a
 * bigger one), and code after a loop that had not run yet when the loop was optimised sends the function back to
 * the interpreter, and the next loop with it.
 */
function encode(
  nodeAt: readonly Value[],
  leaves: number,
  code: Uint8Array,
  ia: Int32Array,
  ib: Int32Array,
  k: Float64Array,
  uses: Int32Array,
): void {
  // The module's constants as locals: an imported or module-level binding is read with a check at each use until the
  // function is optimised, and a process's first compile runs it unoptimised.
  const mark = MARK;
  const opAdd = ADD;
  const opMul = MUL;
  const opPow = POW;
  const opPowk = POWK;
  const fnCodes = FN_CODE;
  const fn2Codes = FN2_CODE;
  const m = code.length;
  for (let j = 0; j < m; j++) {
    const v = nodeAt[leaves + j];
    const c0 = v.c0 as Value;
    const s0 = -1 - c0.s[c0.i + mark];
    ia[j] = s0;
    uses[s0]++;
    const c1 = v.c1;
    if (c1 !== null) {
      const s1 = -1 - c1.s[c1.i + mark];
      ib[j] = s1;
      uses[s1]++;
    }
    const op = v.op;
    if (op === '+') code[j] = opAdd;
    else if (op === '*') code[j] = opMul;
    else if (op === '**') code[j] = opPow;
    else if (c1 !== null) {
      const fn2 = fn2Codes.get(op);
      if (fn2 === undefined) throw new InvalidArgumentError('output', `unknown op '${op}' in the graph`);
      code[j] = fn2;
    } else if (op.startsWith('**')) {
      code[j] = opPowk;
      k[j] = v.exponent as number;
    } else {
      const fn = fnCodes.get(op);
      if (fn === undefined) throw new InvalidArgumentError('output', `unknown op '${op}' in the graph`);
      code[j] = fn;
    }
  }
}

/** The operand of instruction j, if a `+`, other than slot s; -1 unless s is exactly one of its operands. */
function otherOperand(code: Uint8Array, ia: Int32Array, ib: Int32Array, j: number, s: number): number {
  if (j >= code.length || code[j] !== ADD) return -1;
  const a = ia[j];
  const b = ib[j];
  return a === s ? (b === s ? -1 : b) : b === s ? a : -1;
}

/**
 * The merged tape, which `run` and `backward` replay: the instructions with every chain of sums merged into
 * one instruction. A DOT is a neuron's `b + w1·x1 + …`, built as alternating `*` and `+` nodes: sum t is sum
 * t - 1 plus product t, each product and each sum but the last used only by the next node. A SUM is `a + b1 +
 * … + bn`, sum t being sum t - 1 plus b_t (softmax's denominator). Either may end in a unary op (POWK or a
 * function) of its last sum, used only there: `relu` of a neuron, `exp(x - m)`, the reciprocal of a sum. Merged
 * nodes are consecutive on the tape, so consecutive both in forward order and (reversed) in eager backward's
 * order, and the merged instruction does the same operations in the same order as the nodes one by one:
 * forward, every value (still stored, for `dataOf`); backward, the same multiply-adds into the same grads. A
 * merged node's grad is `0 + d·g` (the `0 +` kept, as it turns -0 into +0), and not stored.
 */
function fuse(
  code: Uint8Array,
  ia: Int32Array,
  ib: Int32Array,
  leaves: number,
  uses: Int32Array,
): { code: Uint8Array; a: Int32Array; b: Int32Array; args: Int32Array } {
  const opMul = MUL;
  const opAdd = ADD;
  const opDot = DOT;
  const opSum = SUM;
  const opPowk = POWK;
  const opFn = FN;
  const opFn2 = FN2;
  const m = code.length;
  // At most one merged instruction per instruction, and at most 2 operands per instruction (a DOT's first product
  // and sum take 3, each later pair 2; a SUM's first `+` 2, each later one 1), in typed arrays cut to size at the end.
  const fCode = new Uint8Array(m);
  const fA = new Int32Array(m);
  const fB = new Int32Array(m);
  const args = new Int32Array(2 * m + 1);
  let nf = 0;
  let nArgs = 0;
  for (let j = 0; j < m;) {
    const start = nArgs;
    let kind = 0;
    let terms = 0;
    let next = j;
    // A DOT: product j used only by sum j + 1, then pairs (product, sum) chained on the previous sum.
    const acc =
      code[j] === opMul && uses[leaves + j] === 1 ? otherOperand(code, ia, ib, j + 1, leaves + j) : -1;
    if (acc >= 0) {
      kind = opDot;
      args[nArgs++] = acc;
      args[nArgs++] = ia[j];
      args[nArgs++] = ib[j];
      terms = 1;
      next = j + 2;
      while (
        next + 1 < m &&
        code[next] === opMul &&
        uses[leaves + next] === 1 &&
        uses[leaves + next - 1] === 1 &&
        otherOperand(code, ia, ib, next + 1, leaves + next) === leaves + next - 1
      ) {
        args[nArgs++] = ia[next];
        args[nArgs++] = ib[next];
        terms++;
        next += 2;
      }
    } else if (code[j] === opAdd) {
      kind = opSum;
      args[nArgs++] = ia[j];
      args[nArgs++] = ib[j];
      terms = 1;
      next = j + 1;
      for (
        let bt: number;
        uses[leaves + next - 1] === 1 && (bt = otherOperand(code, ia, ib, next, leaves + next - 1)) >= 0;
      ) {
        args[nArgs++] = bt;
        terms++;
        next++;
      }
    }
    if (kind !== 0) {
      // A unary op of the last sum, used only there.
      const u = next < m ? code[next] : opAdd;
      const unary = u === opPowk || (u >= opFn && u < opFn2);
      if (unary && uses[leaves + next - 1] === 1 && ia[next] === leaves + next - 1) {
        kind += u;
        next++;
      }
      if (kind !== opSum || terms > 1) {
        fCode[nf] = kind;
        fA[nf] = start;
        fB[nf++] = terms;
        j = next;
        continue;
      }
      nArgs = start; // a lone `+` stays one
    }
    fCode[nf] = code[j];
    fA[nf] = ia[j];
    fB[nf++] = ib[j];
    j++;
  }
  return {
    code: fCode.slice(0, nf),
    a: fA.slice(0, nf),
    b: fB.slice(0, nf),
    args: args.slice(0, nArgs),
  };
}
