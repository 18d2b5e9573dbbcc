/**
 * A/B of the node layout: is keeping a node's numbers in a shared Float64Array chunk worth its complexity, compared
 * with plain numeric fields on the object? Two minimal engines that differ only in where the six numbers live
 * (data, grad, the two local derivatives, traversal stamp, parent count), each with the ops W2 needs and the same
 * backward as the engine (stamp-guarded parent counts, then Kahn's order with a stack). Measured on W2 at 10^6
 * steps (5,000,001 nodes): time to build and run backward, and bytes per node alive after backward.
 */
import { collect, fmt, median, memory } from './measure.js';

const STRIDE = 6;
const CHUNK = 512;
let chunk = new Float64Array(CHUNK * STRIDE);
let used = 0;
let stampA = 0;

/** Numbers in a chunk, as the engine's Value. */
class ChunkNode {
  readonly s: Float64Array;
  readonly i: number;
  readonly op: string;
  readonly c0: ChunkNode | null;
  readonly c1: ChunkNode | null;
  constructor(data: number, op: string, c0: ChunkNode | null, c1: ChunkNode | null, d0: number, d1: number) {
    if (used === CHUNK) {
      chunk = new Float64Array(CHUNK * STRIDE);
      used = 0;
    }
    const i = used++ * STRIDE;
    chunk[i] = data;
    chunk[i + 2] = d0;
    chunk[i + 3] = d1;
    this.s = chunk;
    this.i = i;
    this.op = op;
    this.c0 = c0;
    this.c1 = c1;
  }
  get data(): number {
    return this.s[this.i];
  }
  get grad(): number {
    return this.s[this.i + 1];
  }
  set grad(x: number) {
    this.s[this.i + 1] = x;
  }
  get d0(): number {
    return this.s[this.i + 2];
  }
  get d1(): number {
    return this.s[this.i + 3];
  }
  get stamp(): number {
    return this.s[this.i + 4];
  }
  set stamp(x: number) {
    this.s[this.i + 4] = x;
  }
  get count(): number {
    return this.s[this.i + 5];
  }
  set count(x: number) {
    this.s[this.i + 5] = x;
  }
}

/** Plain fields: V8 keeps each double field as a pointer to a boxed number. */
class FieldNode {
  data: number;
  grad = 0;
  readonly d0: number;
  readonly d1: number;
  stamp = 0;
  count = 0;
  readonly op: string;
  readonly c0: FieldNode | null;
  readonly c1: FieldNode | null;
  constructor(data: number, op: string, c0: FieldNode | null, c1: FieldNode | null, d0: number, d1: number) {
    this.data = data;
    this.d0 = d0;
    this.d1 = d1;
    this.op = op;
    this.c0 = c0;
    this.c1 = c1;
  }
}

type Node = ChunkNode | FieldNode;
type Make<N extends Node> = (
  data: number,
  op: string,
  c0: N | null,
  c1: N | null,
  d0: number,
  d1: number,
) => N;

/** W2: x = tanh(x·1.0001 + 0.0001), n times. */
function chain<N extends Node>(make: Make<N>, n: number): { x0: N; out: N } {
  const x0 = make(0.5, '', null, null, 0, 0);
  let x = x0;
  for (let i = 0; i < n; i++) {
    const k = make(1.0001, '', null, null, 0, 0);
    const m = make(x.data * k.data, '*', x, k, k.data, x.data);
    const c = make(0.0001, '', null, null, 0, 0);
    const a = make(m.data + c.data, '+', m, c, 1, 1);
    const t = Math.tanh(a.data);
    x = make(t, 'tanh', a, null, 1 - t * t, 0);
  }
  return { x0, out: x };
}

/** Backward's first sweep at one operand: count a parent, zero and enter an interior node met first. */
function enter(c: Node, stamp: number, stack: Node[]): void {
  if (c.stamp !== stamp) {
    c.stamp = stamp;
    c.count = 1;
    if (c.c0 !== null) {
      c.grad = 0;
      stack.push(c);
    }
  } else {
    c.count += 1;
  }
}

/** The engine's backward, written once for both layouts. */
function backward(root: Node): void {
  const stamp = ++stampA;
  let stack: Node[] = [root];
  root.stamp = stamp;
  root.grad = 0;
  while (stack.length > 0) {
    const v = stack.pop() as Node;
    if (v.c0 !== null) enter(v.c0, stamp, stack);
    if (v.c1 !== null) enter(v.c1, stamp, stack);
  }
  root.grad = 1;
  stack = [root];
  while (stack.length > 0) {
    const v = stack.pop() as Node;
    const g = v.grad;
    const c0 = v.c0;
    if (c0 === null) continue;
    c0.grad += v.d0 * g;
    if ((c0.count -= 1) === 0 && c0.c0 !== null) stack.push(c0);
    const c1 = v.c1;
    if (c1 === null) continue;
    c1.grad += v.d1 * g;
    if ((c1.count -= 1) === 0 && c1.c0 !== null) stack.push(c1);
  }
}

const makeChunk: Make<ChunkNode> = (data, op, c0, c1, d0, d1) => new ChunkNode(data, op, c0, c1, d0, d1);
const makeField: Make<FieldNode> = (data, op, c0, c1, d0, d1) => new FieldNode(data, op, c0, c1, d0, d1);

interface Run {
  ms: number;
  bytes: number;
  grad: number;
}

function once<N extends Node>(make: Make<N>, n: number): Run {
  collect();
  const m0 = memory();
  const t0 = performance.now();
  const { x0, out } = chain(make, n);
  backward(out);
  const ms = performance.now() - t0;
  collect();
  const m1 = memory();
  const bytes = (m1.heap - m0.heap + m1.external - m0.external) / (5 * n + 1);
  // Keep the graph alive until after the measurement.
  return { ms, bytes, grad: x0.grad + (out.data - out.data) };
}

/**
 * Print the A/B rows: each layout `runs` times, alternating, median time and bytes per node.
 *
 * @example
 * ```ts
 * benchLayout(1_000_000, 3);
 * ```
 */
export function benchLayout(
  n: number,
  runs: number,
): { chunkMs: number; fieldMs: number; chunkBytes: number; fieldBytes: number } {
  const chunkRuns: Run[] = [];
  const fieldRuns: Run[] = [];
  for (let r = 0; r < runs; r++) {
    chunkRuns.push(once(makeChunk, n));
    fieldRuns.push(once(makeField, n));
  }
  if (chunkRuns[0].grad !== fieldRuns[0].grad) throw new Error('layout A/B: the two engines disagree');
  const result = {
    chunkMs: median(chunkRuns.map((r) => r.ms)),
    fieldMs: median(fieldRuns.map((r) => r.ms)),
    chunkBytes: median(chunkRuns.map((r) => r.bytes)),
    fieldBytes: median(fieldRuns.map((r) => r.bytes)),
  };
  process.stdout.write(
    `    Float64Array chunks: ${fmt(result.chunkMs)} ms, ${fmt(result.chunkBytes, 1)} bytes/node\n` +
      `    plain fields:        ${fmt(result.fieldMs)} ms, ${fmt(result.fieldBytes, 1)} bytes/node\n` +
      `    chunks / fields: time ${fmt(result.chunkMs / result.fieldMs, 2)}×, memory ${fmt(result.chunkBytes / result.fieldBytes, 2)}× (median of ${runs}, alternating)\n`,
  );
  return result;
}
