/**
 * W4, the workload of the blog post "Fastest Autograd in the West" (A. Rogozhnikov, 2023): 100 leaves
 * x_i = i/100, then N_OPS ops cycling through softplus(x[-10]), sum(x[-30:-10:5]) (4 terms), x[-20]·x[-10] and
 * softmax(x[-4:]) (4 new nodes), each op appending to the list; then forward and backward of the last node.
 *
 * Three ways to run it, all with plain functions and only @crossgrad/autograd's public API, so other projects'
 * benchmarks can import this file: the eager engine (`w4Eager`), a compiled graph (`compileW4`), and a
 * hand-written tape of fused ops on Float64Arrays (`W4Tape`), the C-style reference the engine is measured against;
 * and `compileW4Timed`, one compile of it timed as the benchmarks judge set-up.
 */
import { Value, compileGraph, type CompiledGraph, type CompileOptions } from '@crossgrad/autograd';
import { timed, type Timing } from './measure.js';

/** Number of leaves. */
export const W4_LEAVES = 100;
/** Number of ops of the published workload. */
export const W4_OPS = 10_000;

/**
 * The leaves' values: x_i = i/100.
 *
 * @example
 * ```ts
 * w4Inputs()[50]; // 0.5
 * ```
 */
export function w4Inputs(): Float64Array {
  return Float64Array.from({ length: W4_LEAVES }, (_, i) => i / 100);
}

/**
 * Build the W4 graph on `leaves` with the engine's ops and return its last node. softplus is the engine's
 * `softplus` op; softmax subtracts the largest input's data as a constant before `exp` and divides by the sum.
 *
 * @example
 * ```ts
 * const leaves = Array.from(w4Inputs(), (x) => new Value(x));
 * buildW4(leaves).backward();
 * ```
 */
export function buildW4(leaves: readonly Value[], nOps = W4_OPS): Value {
  const xs: Value[] = leaves.slice();
  for (let i = 0; i < nOps; i++) {
    const n = xs.length;
    switch (i % 4) {
      case 0:
        xs.push(xs[n - 10].softplus());
        break;
      case 1:
        xs.push(
          xs[n - 30]
            .add(xs[n - 25])
            .add(xs[n - 20])
            .add(xs[n - 15]),
        );
        break;
      case 2:
        xs.push(xs[n - 20].mul(xs[n - 10]));
        break;
      default: {
        const ins = xs.slice(n - 4);
        const m = Math.max(ins[0].data, ins[1].data, ins[2].data, ins[3].data);
        const es = ins.map((x) => x.sub(m).exp());
        const inv = es[0].add(es[1]).add(es[2]).add(es[3]).pow(-1);
        for (const e of es) xs.push(e.mul(inv));
      }
    }
  }
  return xs[xs.length - 1];
}

/**
 * One eager W4 iteration: fresh leaves at `xs`, build the graph, backward; the value and d(last)/d(leaves).
 *
 * @example
 * ```ts
 * const { value, gradient } = w4Eager(w4Inputs());
 * ```
 */
export function w4Eager(xs: ArrayLike<number>, nOps = W4_OPS): { value: number; gradient: Float64Array } {
  const leaves = Array.from(xs, (x) => new Value(x));
  const out = buildW4(leaves, nOps);
  out.backward();
  return { value: out.data, gradient: Float64Array.from(leaves, (v) => v.grad) };
}

/**
 * W4 recorded with `compileGraph`: build once (at x_i = i/100), then `run(xs)` per iteration; `options` as
 * `compileGraph`'s (its `mode`: 'auto' takes the generated loops only at the 100th run).
 *
 * @example
 * ```ts
 * const tape = compileW4(W4_OPS, { mode: 'loops' });
 * tape.run(w4Inputs()).value;
 * ```
 */
export function compileW4(nOps = W4_OPS, options: CompileOptions = {}): CompiledGraph {
  const leaves = Array.from(w4Inputs(), (x) => new Value(x));
  return compileGraph(buildW4(leaves, nOps), leaves, options);
}

const SOFTPLUS = 0;
const SUM4 = 1;
const MUL = 2;
const SOFTMAX4 = 3;

/**
 * One compileGraph of W4 on fresh leaves, timed (wall and CPU) as a program meets it: the graph just built and
 * compiled at once. No full collection is forced before it: its sweeping would run during the compile, on this
 * thread and others, and triple the figure here. Nor is it run: the engine would optimise the generated code on
 * other threads during the next compile timed. index.ts times warm compiles with it, cold.ts a process's first.
 */
export function compileW4Timed(mode: 'loops' | 'codegen' | 'tape'): {
  compiled: CompiledGraph;
  timing: Timing;
} {
  const leaves = Array.from(w4Inputs(), (x) => new Value(x));
  const out = buildW4(leaves);
  const [compiled, timing] = timed(() => compileGraph(out, leaves, { mode }));
  return { compiled, timing };
}

/**
 * The hand-written reference: W4 as a tape of fused ops (softplus, sum of 4, product, softmax of 4) over one
 * Float64Array of values and one of grads, as a C implementation would do it. Built once; `run` does forward and
 * backward. Agrees with the engine to rounding (the fused softmax backward does the arithmetic in another order).
 *
 * @example
 * ```ts
 * const tape = new W4Tape();
 * tape.run(w4Inputs()).gradient[99];
 * ```
 */
export class W4Tape {
  readonly #code: Uint8Array;
  /** Per op: its first output slot, and the slots of its operands (4 per op, unused ones 0). */
  readonly #out: Int32Array;
  readonly #args: Int32Array;
  readonly #val: Float64Array;
  readonly #grad: Float64Array;
  readonly #result = { value: 0, gradient: new Float64Array(W4_LEAVES) };

  constructor(nOps = W4_OPS) {
    this.#code = new Uint8Array(nOps);
    this.#out = new Int32Array(nOps);
    this.#args = new Int32Array(4 * nOps);
    let n = W4_LEAVES;
    for (let i = 0; i < nOps; i++) {
      const c = i % 4;
      this.#code[i] = c;
      this.#out[i] = n;
      const args = this.#args;
      const at = 4 * i;
      if (c === SOFTPLUS) {
        args[at] = n - 10;
      } else if (c === SUM4) {
        for (let t = 0; t < 4; t++) args[at + t] = n - 30 + 5 * t;
      } else if (c === MUL) {
        args[at] = n - 20;
        args[at + 1] = n - 10;
      } else {
        for (let t = 0; t < 4; t++) args[at + t] = n - 4 + t;
      }
      n += c === SOFTMAX4 ? 4 : 1;
    }
    this.#val = new Float64Array(n);
    this.#grad = new Float64Array(n);
  }

  /** Forward and backward at `xs` (100 values); the result is reused by the next call. */
  run(xs: ArrayLike<number>): { value: number; gradient: Float64Array } {
    const code = this.#code;
    const out = this.#out;
    const args = this.#args;
    const val = this.#val;
    const grad = this.#grad;
    const nOps = code.length;
    for (let i = 0; i < W4_LEAVES; i++) val[i] = xs[i];
    for (let i = 0; i < nOps; i++) {
      const o = out[i];
      const at = 4 * i;
      switch (code[i]) {
        case SOFTPLUS: {
          const x = val[args[at]];
          val[o] = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
          break;
        }
        case SUM4:
          val[o] = val[args[at]] + val[args[at + 1]] + val[args[at + 2]] + val[args[at + 3]];
          break;
        case MUL:
          val[o] = val[args[at]] * val[args[at + 1]];
          break;
        default: {
          const a = args[at];
          const m = Math.max(val[a], val[a + 1], val[a + 2], val[a + 3]);
          const e0 = Math.exp(val[a] - m);
          const e1 = Math.exp(val[a + 1] - m);
          const e2 = Math.exp(val[a + 2] - m);
          const e3 = Math.exp(val[a + 3] - m);
          const inv = 1 / (e0 + e1 + e2 + e3);
          val[o] = e0 * inv;
          val[o + 1] = e1 * inv;
          val[o + 2] = e2 * inv;
          val[o + 3] = e3 * inv;
        }
      }
    }
    const last = val.length - 1;
    grad.fill(0);
    grad[last] = 1;
    for (let i = nOps - 1; i >= 0; i--) {
      const o = out[i];
      const at = 4 * i;
      switch (code[i]) {
        case SOFTPLUS: {
          const x = val[args[at]];
          grad[args[at]] += grad[o] / (1 + Math.exp(-x));
          break;
        }
        case SUM4: {
          const g = grad[o];
          grad[args[at]] += g;
          grad[args[at + 1]] += g;
          grad[args[at + 2]] += g;
          grad[args[at + 3]] += g;
          break;
        }
        case MUL: {
          const g = grad[o];
          const a = args[at];
          const b = args[at + 1];
          grad[a] += val[b] * g;
          grad[b] += val[a] * g;
          break;
        }
        default: {
          // d(y_t)/d(x_s) = y_t (δ_ts - y_s): dx_s = y_s (g_s - Σ_t g_t y_t).
          const a = args[at];
          const dot =
            grad[o] * val[o] + grad[o + 1] * val[o + 1] + grad[o + 2] * val[o + 2] + grad[o + 3] * val[o + 3];
          for (let t = 0; t < 4; t++) grad[a + t] += val[o + t] * (grad[o + t] - dot);
        }
      }
    }
    this.#result.value = val[last];
    this.#result.gradient.set(grad.subarray(0, W4_LEAVES));
    return this.#result;
  }
}
