import { InvalidArgumentError, NonFiniteError, describeArgument, describeNode } from './errors.js';
import { kahnOrder, topologicalOrder } from './graph.js';
import { BINARY, FUNCTIONS, type FnName, type FnRule } from './rules.js';
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

// Every entry of the function table gets a code, so a function added to the table compiles with no change here
// (through the generic case of #forward); the ones below also get a case of their own, where calls can inline.
const FNS: readonly FnRule[] = Object.values(FUNCTIONS);
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
  /** Slots in eager backward's visiting order, leaves included (for checkFinite). */
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
  readonly #val: Float64Array;
  readonly #grad: Float64Array;
  readonly #d0: Float64Array;
  readonly #d1: Float64Array;
  readonly #result: CompiledResult;
  /** The node in each slot. Leaves take slots 0…leaves-1, instruction j slot leaves+j. */
  readonly #nodeAt: Value[];
  /** Slot of each node, built on the first `dataOf`. */
  #slots: Map<Value, number> | undefined;

  constructor(output: Value, inputs: Value[], checkFinite: boolean) {
    this.inputs = Object.freeze(inputs);
    this.#checkFinite = checkFinite;
    // Backward's visiting order (leaves included, where the checked pass looks at their grads); the instructions
    // run in its reverse, a topological order. With checkFinite, values are checked in eager's order too.
    const kahn = kahnOrder(output, true);
    const dfs = checkFinite ? topologicalOrder(output) : [];
    const n = kahn.length;
    this.size = n;
    let leaves = 0;
    for (let p = 0; p < n; p++) if (kahn[p].c0 === null) leaves++;
    this.#leaves = leaves;
    const m = n - leaves;
    const nodeAt: Value[] = new Array<Value>(n);
    const val = new Float64Array(n);
    // Slots: leaves first, then interior nodes in forward order. The traversals are over, so each node's stamp
    // can hold its slot until the next one, as -1 - slot: negative, never equal to a traversal's stamp, and
    // checked against `nodeAt` where it could be stale (inputs).
    let nextLeaf = 0;
    let nextNode = n;
    for (let p = 0; p < n; p++) {
      const v = kahn[p];
      const s = v.c0 === null ? nextLeaf++ : --nextNode;
      nodeAt[s] = v;
      v.stamp = -1 - s;
      val[s] = v.data;
    }
    this.#checkOrder = Int32Array.from(kahn, (v) => -1 - v.stamp);
    this.#valueOrder = Int32Array.from(dfs, (v) => -1 - v.stamp);
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
    for (let j = 0; j < m; j++) {
      const v = nodeAt[leaves + j];
      ia[j] = -1 - (v.c0 as Value).stamp;
      const c1 = v.c1;
      if (c1 !== null) ib[j] = -1 - c1.stamp;
      const op = v.op;
      if (op === '+') code[j] = ADD;
      else if (op === '*') code[j] = MUL;
      else if (op === '**') code[j] = POW;
      else if (c1 === null && op.startsWith('**')) {
        code[j] = POWK;
        k[j] = v.exponent as number;
      } else {
        const fn = FN_CODE.get(op);
        if (fn === undefined) throw new InvalidArgumentError('output', `unknown op '${op}' in the graph`);
        code[j] = fn;
      }
    }
    this.#code = code;
    this.#a = ia;
    this.#b = ib;
    this.#k = k;
    this.#val = val;
    this.#grad = new Float64Array(n);
    this.#d0 = new Float64Array(m);
    this.#d1 = new Float64Array(m);
    this.#result = { value: val[this.#out], gradient: new Float64Array(inputs.length) };
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
    if (this.#slots === undefined) {
      const nodeAt = this.#nodeAt;
      this.#slots = new Map(nodeAt.map((v, s) => [v, s]));
    }
    const s = this.#slots.get(node);
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
      switch (c) {
        case ADD:
          val[i] = x + val[b[j]];
          break;
        case MUL:
          val[i] = x * val[b[j]];
          break;
        case POWK: {
          const k = this.#k[j];
          const y = pow.value(x, k);
          val[i] = y;
          d0[j] = pow.d0(x, k, y);
          break;
        }
        case POW: {
          const e = val[b[j]];
          const y = pow.value(x, e);
          val[i] = y;
          d0[j] = pow.d0(x, e, y);
          d1[j] = pow.d1(x, e, y);
          break;
        }
        default: {
          // One case per function, each calling its own rule, so the calls can be inlined.
          let y: number;
          let d: number;
          switch (c) {
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
      } else if (c === POW) {
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
