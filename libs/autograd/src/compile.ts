import { InvalidArgumentError, NonFiniteError, describeArgument, describeNode } from './errors.js';
import { topologicalOrder } from './graph.js';
import { BINARY, FUNCTIONS, type FnRule } from './rules.js';
import { Value } from './value.js';

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

// Opcodes. Leaves (inputs and frozen constants) have no instruction; unary functions are FN + their index in FNS.
const ADD = 0;
const MUL = 1;
const POW = 2; // `**` with a Value exponent
const POWK = 3; // `**k`, k in the instruction's constant
const FN = 4;

const FNS: readonly FnRule[] = Object.values(FUNCTIONS);
const FN_CODE = new Map<string, number>(FNS.map((rule, k) => [rule.op, FN + k]));
const pow = BINARY['**'];

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
  return new Tape(output, inputs.slice(), options.checkFinite === true);
}

class Tape implements CompiledGraph {
  readonly inputs: readonly Value[];
  readonly size: number;
  readonly #checkFinite: boolean;
  /** The graph's nodes in topological order, for error messages and `dataOf`. */
  readonly #order: Value[];
  /** Slot of the node at each position of `#order`. Leaves take slots 0…leaves-1, instruction j slot leaves+j. */
  readonly #slotOf: Int32Array;
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
  readonly #val: Float64Array;
  readonly #grad: Float64Array;
  readonly #d0: Float64Array;
  readonly #d1: Float64Array;
  readonly #result: CompiledResult;
  #slots: Map<Value, number> | undefined;

  constructor(output: Value, inputs: Value[], checkFinite: boolean) {
    this.inputs = Object.freeze(inputs);
    this.#checkFinite = checkFinite;
    const order = topologicalOrder(output);
    const n = order.length;
    this.#order = order;
    this.size = n;
    // Slots: leaves first, then interior nodes in order. Only the numbering differs from the eager graph.
    let leaves = 0;
    for (let p = 0; p < n; p++) if (order[p].c0 === null) leaves++;
    this.#leaves = leaves;
    const m = n - leaves;
    const slotOf = new Int32Array(n);
    const slot = new Map<Value, number>();
    const val = new Float64Array(n);
    let nextLeaf = 0;
    let nextNode = leaves;
    for (let p = 0; p < n; p++) {
      const v = order[p];
      const s = v.c0 === null ? nextLeaf++ : nextNode++;
      slotOf[p] = s;
      slot.set(v, s);
      val[s] = v.data;
    }
    this.#slotOf = slotOf;
    this.#out = slot.get(output) as number;
    this.#inputSlot = Int32Array.from(inputs, (x) => slot.get(x) ?? -1);
    this.#code = new Uint8Array(m);
    this.#a = new Int32Array(m);
    this.#b = new Int32Array(m);
    this.#k = new Float64Array(m);
    for (let p = 0; p < n; p++) {
      const v = order[p];
      const c0 = v.c0;
      if (c0 === null) continue;
      const j = slotOf[p] - leaves;
      this.#a[j] = slot.get(c0) as number;
      const c1 = v.c1;
      if (c1 !== null) this.#b[j] = slot.get(c1) as number;
      const op = v.op;
      if (op === '+') this.#code[j] = ADD;
      else if (op === '*') this.#code[j] = MUL;
      else if (op === '**') this.#code[j] = POW;
      else if (v.exponent !== undefined) {
        this.#code[j] = POWK;
        this.#k[j] = v.exponent;
      } else {
        const code = FN_CODE.get(op);
        if (code === undefined) throw new InvalidArgumentError('output', `unknown op '${op}' in the graph`);
        this.#code[j] = code;
      }
    }
    this.#val = val;
    this.#grad = new Float64Array(n);
    this.#d0 = new Float64Array(m);
    this.#d1 = new Float64Array(m);
    this.#result = { value: val[this.#out], gradient: new Float64Array(inputs.length) };
    this.#slots = slot;
  }

  run(xs: ArrayLike<number>): CompiledResult {
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
      this.#result.value = this.#sweep();
    } finally {
      for (let k = 0; k < inputSlot.length; k++) {
        const s = inputSlot[k];
        if (s >= 0) gradient[k] = grad[s];
      }
    }
    return this.#result;
  }

  backward(): number {
    const inputs = this.inputs;
    const val = this.#val;
    const grad = this.#grad;
    const inputSlot = this.#inputSlot;
    for (let k = 0; k < inputs.length; k++) {
      const s = inputSlot[k];
      if (s < 0) continue;
      const x = inputs[k];
      val[s] = x.data;
      grad[s] = x.grad;
    }
    try {
      return this.#sweep();
    } finally {
      // Also after a NonFiniteError: eager backward has then added part of the gradient too.
      for (let k = 0; k < inputs.length; k++) {
        const s = inputSlot[k];
        if (s >= 0) inputs[k].grad = grad[s];
      }
    }
  }

  dataOf(node: Value): number {
    const s = this.#slots?.get(node);
    if (s === undefined) {
      throw new InvalidArgumentError('node', `${describeNode(node)} is not in the compiled graph`);
    }
    return this.#val[s];
  }

  /** Forward from the current input slots, then backward into the grad slots; inputs' grads keep their start. */
  #sweep(): number {
    this.#forward();
    if (this.#checkFinite) this.#checkValues();
    const grad = this.#grad;
    const leaves = this.#leaves;
    grad.fill(0, leaves);
    const out = this.#out;
    grad[out] += 1;
    if (this.#checkFinite) this.#backwardChecked();
    else this.#backward();
    return this.#val[out];
  }

  #forward(): void {
    const code = this.#code;
    const a = this.#a;
    const b = this.#b;
    const val = this.#val;
    const d0 = this.#d0;
    const d1 = this.#d1;
    const m = code.length;
    for (let j = 0, i = this.#leaves; j < m; j++, i++) {
      const c = code[j];
      const x = val[a[j]];
      // `+` and `*` are spelled out (their rules' values and local derivatives: a + b, 1, 1; a·b, b, a) as the
      // hot path; everything else calls its rule, the same functions eager construction calls.
      if (c === ADD) {
        val[i] = x + val[b[j]];
      } else if (c === MUL) {
        val[i] = x * val[b[j]];
      } else if (c >= FN) {
        const rule = FNS[c - FN];
        const y = rule.value(x);
        val[i] = y;
        d0[j] = rule.derivative(x, y);
      } else if (c === POWK) {
        const k = this.#k[j];
        const y = pow.value(x, k);
        val[i] = y;
        d0[j] = pow.d0(x, k, y);
      } else {
        const e = val[b[j]];
        const y = pow.value(x, e);
        val[i] = y;
        d0[j] = pow.d0(x, e, y);
        d1[j] = pow.d1(x, e, y);
      }
    }
  }

  #backward(): void {
    const code = this.#code;
    const a = this.#a;
    const b = this.#b;
    const val = this.#val;
    const grad = this.#grad;
    const d0 = this.#d0;
    const d1 = this.#d1;
    const leaves = this.#leaves;
    for (let j = code.length - 1; j >= 0; j--) {
      const g = grad[leaves + j];
      const c = code[j];
      // The same multiply-adds as eager backward: `c0.grad += d0·g`, then `c1.grad += d1·g`.
      if (c === ADD) {
        grad[a[j]] += g; // 1·g is g exactly
        grad[b[j]] += g;
      } else if (c === MUL) {
        const ia = a[j];
        const ib = b[j];
        grad[ia] += val[ib] * g;
        grad[ib] += val[ia] * g;
      } else if (c === POW) {
        grad[a[j]] += d0[j] * g;
        grad[b[j]] += d1[j] * g;
      } else {
        grad[a[j]] += d0[j] * g;
      }
    }
  }

  /** The checked variant walks every node in eager backward's order, leaves included, to name the same node. */
  #backwardChecked(): void {
    const order = this.#order;
    const slotOf = this.#slotOf;
    const code = this.#code;
    const a = this.#a;
    const b = this.#b;
    const val = this.#val;
    const grad = this.#grad;
    const d0 = this.#d0;
    const d1 = this.#d1;
    const leaves = this.#leaves;
    for (let p = order.length - 1; p >= 0; p--) {
      const i = slotOf[p];
      const g = grad[i];
      if (!Number.isFinite(g)) throw new NonFiniteError(order[p], 'grad', g);
      if (i < leaves) continue;
      const j = i - leaves;
      const c = code[j];
      if (c === ADD) {
        grad[a[j]] += g; // 1·g is g exactly
        grad[b[j]] += g;
      } else if (c === MUL) {
        grad[a[j]] += val[b[j]] * g;
        grad[b[j]] += val[a[j]] * g;
      } else if (c === POW) {
        grad[a[j]] += d0[j] * g;
        grad[b[j]] += d1[j] * g;
      } else {
        grad[a[j]] += d0[j] * g;
      }
    }
  }

  #checkValues(): void {
    const order = this.#order;
    const slotOf = this.#slotOf;
    const val = this.#val;
    for (let p = 0; p < order.length; p++) {
      const x = val[slotOf[p]];
      if (!Number.isFinite(x)) throw new NonFiniteError(order[p], 'data', x);
    }
  }
}
