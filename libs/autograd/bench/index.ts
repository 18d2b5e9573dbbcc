/**
 * Benchmarks of @crossgrad/autograd on the workloads micrograd was measured with (W1, W2, W3), each next to
 * a hand-written plain-JS version run in the same process. `npx nx bench autograd` (node needs --expose-gc; the
 * package's bench script passes it).
 */
import { Value, compileGraph, maxMarginLoss, type MLP } from '@crossgrad/autograd';
import { denseChain, denseDot, denseFromParameters, denseStep, parametersFromDense } from './handwritten.js';
import { benchLayout } from './layout.js';
import { collect, cpuMs, fmt, median, medianCpuMs, medianMs, memory } from './measure.js';
import { W4Tape, W4_OPS, buildW4, w4Eager, w4Inputs } from './w4.js';
import { graphSize, w1Setup, w1Step, w2Forward, w3Run, w3Setup } from './workloads.js';

const MICROGRAD = { w1: 1030, w2At1e5: 5760, w3: 2140 }; // ms, micrograd on CPython 3.11, measured earlier on the same kind of 2-core machine

function line(text = ''): void {
  process.stdout.write(`${text}\n`);
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function benchW1(): void {
  line('W1  one training step of MLP(2,[16,16,1]) on 100 points (median of 10 after 2 warm-up)');
  const engine = w1Setup();
  const dense = w1Setup();
  const weights = denseFromParameters(dense.model.parameters().map((p) => p.data));

  // The two implementations must compute the same thing: one step each from the same start.
  const engineLoss = w1Step(engine.model, engine.data).data;
  const denseLoss = denseStep(weights, dense.data.X, dense.data.y, 1e-4, 0.1);
  const after = engine.model.parameters().map((p) => p.data);
  const maxDiff = Math.max(...parametersFromDense(weights).map((w, i) => Math.abs(w - after[i])));
  if (Math.abs(engineLoss - denseLoss) > 1e-12 || maxDiff > 1e-12) {
    throw new Error(
      `W1: engine and hand-written disagree (loss ${engineLoss} vs ${denseLoss}, params ${maxDiff})`,
    );
  }

  const nodes = graphSize(w1Step(engine.model, engine.data));
  const engineMs = medianMs(() => w1Step(engine.model, engine.data), 10, 2);
  const denseMs = medianMs(() => denseStep(weights, dense.data.X, dense.data.y, 1e-4, 0.1), 10, 2);
  line(
    `    engine        ${fmt(engineMs, 2).padStart(8)} ms/step   ${fmt(nodes)} nodes/step   ${fmt((nodes / engineMs) * 1000)} nodes/s`,
  );
  line(
    `    hand-written  ${fmt(denseMs, 3).padStart(8)} ms/step   (same loss and update: |Δloss| ${Math.abs(engineLoss - denseLoss).toExponential(1)}, max |Δparam| ${maxDiff.toExponential(1)})`,
  );
  line(
    `    engine / hand-written ${fmt(engineMs / denseMs, 1)}×;  micrograd / engine ${fmt(MICROGRAD.w1 / engineMs, 0)}×;  target ≤ 20 ms: ${verdict(engineMs <= 20)}`,
  );
  line();
}

interface W2Run {
  forward: number;
  backward: number;
  heap: number;
  external: number;
  value: number;
  grad: number;
}

/** One W2 run in its own frame, so no register of the caller keeps an earlier graph alive during the next run. */
function w2Once(n: number): W2Run {
  const nodes = 5 * n + 1;
  collect();
  const m0 = memory();
  const t0 = performance.now();
  const { x0, out } = w2Forward(n);
  const t1 = performance.now();
  out.backward();
  const t2 = performance.now();
  collect();
  const m1 = memory();
  return {
    forward: t1 - t0,
    backward: t2 - t1,
    heap: (m1.heap - m0.heap) / nodes,
    external: (m1.external - m0.external) / nodes,
    value: out.data,
    grad: x0.grad,
  };
}

function benchW2(n: number, runs: number): void {
  const nodes = 5 * n + 1;
  const all: W2Run[] = [];
  for (let r = 0; r < runs; r++) all.push(w2Once(n));
  const forward = all.map((r) => r.forward);
  const backward = all.map((r) => r.backward);
  const heap = all.map((r) => r.heap);
  const external = all.map((r) => r.external);
  const check = all[0];
  const dense = denseChain(n);
  if (dense.value !== check.value || dense.grad !== check.grad) {
    throw new Error(
      `W2: engine (${check.value}, ${check.grad}) and hand-written (${dense.value}, ${dense.grad}) disagree`,
    );
  }
  const denseMs = medianMs(() => denseChain(n), 5, 1);
  const totals = forward.map((f, i) => f + backward[i]);
  const total = median(totals);
  const best = Math.min(...totals);
  const bytes = median(heap) + median(external);
  line(
    `    N = ${fmt(n).padEnd(9)} ${fmt(nodes)} nodes: ${fmt(total)} ms median of ${runs} (forward ${fmt(median(forward))}, backward ${fmt(median(backward))}; best ${fmt(best)} ms)`,
  );
  line(
    `                  ${fmt(bytes, 1)} bytes/node alive (${fmt(median(heap), 1)} on the JS heap + ${fmt(median(external), 1)} in Float64Array chunks)`,
  );
  line(
    `                  hand-written ${fmt(denseMs, 2)} ms; engine / hand-written ${fmt(total / denseMs, 0)}×${n === 100_000 ? `; micrograd / engine ${fmt(MICROGRAD.w2At1e5 / total, 0)}×` : ''}`,
  );
  if (n === 1_000_000) {
    line(
      `                  targets ≤ 1,500 ms: ${verdict(total <= 1500)} (best run: ${verdict(best <= 1500)}); ≤ 150 bytes/node: ${verdict(bytes <= 150)}`,
    );
  }
}

function benchW3(): void {
  const n = 100_000;
  line(`W3  Σ a_i·b_i over ${fmt(n)} pairs as a left fold, then backward (median of 5 after 1 warm-up)`);
  const { a, b } = w3Setup(n);
  const { s, as, bs } = w3Run(a, b);
  const dense = denseDot(a, b);
  const agree =
    Math.abs(s.data - dense.value) <= 1e-12 * Math.max(1, Math.abs(dense.value)) &&
    as.every((v, i) => v.grad === dense.ga[i]) &&
    bs.every((v, i) => v.grad === dense.gb[i]);
  if (!agree) throw new Error('W3: engine and hand-written disagree');
  const nodes = graphSize(s);
  const engineMs = medianMs(() => w3Run(a, b), 5, 1);
  const denseMs = medianMs(() => denseDot(a, b), 5, 1);
  line(
    `    engine ${fmt(engineMs, 1)} ms (${fmt(nodes)} nodes); hand-written ${fmt(denseMs, 2)} ms; engine / hand-written ${fmt(engineMs / denseMs, 0)}×; micrograd / engine ${fmt(MICROGRAD.w3 / engineMs, 0)}×`,
  );
  line();
}

/** W1 through compileGraph: one graph of the fixed batch, its parameters the inputs; a step is backward + SGD. */
function benchW1Compiled(): void {
  line(
    'W1 compiled: the same step through compileGraph, 23 steps on from the same start (median of 20 after 3 warm-up)',
  );
  const eager = w1Setup();
  const compiled = w1Setup();
  const dense = w1Setup();
  const weights = denseFromParameters(dense.model.parameters().map((p) => p.data));
  const params = compiled.model.parameters();
  const t0 = performance.now();
  const tape = compileGraph(maxMarginLoss(compiled.model, compiled.data, { alpha: 1e-4 }).loss, params);
  const setupMs = performance.now() - t0;
  const step = (model: MLP): number => {
    model.zeroGrad();
    const loss = tape.backward();
    for (const p of params) p.data -= 0.1 * p.grad;
    return loss;
  };
  // Same loss and parameters as the eager step, bit for bit.
  const eagerLoss = w1Step(eager.model, eager.data).data;
  const compiledLoss = step(compiled.model);
  const after = eager.model.parameters();
  if (!Object.is(eagerLoss, compiledLoss) || params.some((p, i) => !Object.is(p.data, after[i].data))) {
    throw new Error('W1: compiled and eager steps differ');
  }
  const compiledMs = medianMs(() => step(compiled.model), 20, 3);
  const denseMs = medianMs(() => denseStep(weights, dense.data.X, dense.data.y, 1e-4, 0.1), 20, 3);
  // The eager step again, now that every path is warm (the section above also times its first steps).
  const eagerMs = medianMs(() => w1Step(eager.model, eager.data), 20, 3);
  line(
    `    compiled      ${fmt(compiledMs, 2).padStart(8)} ms/step   (set-up ${fmt(setupMs, 0)} ms: build the graph once and compile; identical loss and parameters to eager)`,
  );
  line(
    `    eager         ${fmt(eagerMs, 2).padStart(8)} ms/step   (eager / compiled ${fmt(eagerMs / compiledMs, 1)}×)`,
  );
  line(
    `    hand-written  ${fmt(denseMs, 2).padStart(8)} ms/step   (dense loops; skips the backward of points past the margin)`,
  );
  line(
    `    compiled / hand-written ${fmt(compiledMs / denseMs, 2)}×; target ≤ 1.5×: ${verdict(compiledMs <= 1.5 * denseMs)}`,
  );
  line();
}

const PUBLISHED_W4 =
  'published (f32, Apple M1): C 0.99 s, Rust 1.4 s, numba 41 s, Python tape 94 s, PyTorch ≈ 1,130 s, JAX jit ≈ 470 s';

/** W4: the hand-written fused tape, compileGraph and eager, seconds for 10,000 iterations extrapolated. */
function benchW4(): void {
  line(`W4  "Fastest Autograd in the West": ${fmt(W4_OPS)} ops, forward + backward of the last node`);
  const xs = w4Inputs();
  const tape = new W4Tape();
  // Agreement first: compiled = eager bit for bit; the hand-written tape to 1e-12 (its fused softmax backward
  // rounds differently). At 10,000 ops the leaves' gradients underflow to 0, so they are compared at 200 ops.
  const eager = w4Eager(xs);
  const leaves = Array.from(xs, (x) => new Value(x));
  const out = buildW4(leaves);
  const compiled = compileGraph(out, leaves);
  const run = compiled.run(xs);
  if (!Object.is(run.value, eager.value) || run.gradient.some((g, i) => !Object.is(g, eager.gradient[i]))) {
    throw new Error('W4: compiled and eager differ');
  }
  const short = w4Eager(xs, 200);
  const byHand = new W4Tape(200).run(xs);
  const scale = Math.max(...short.gradient.map(Math.abs));
  const handDiff = Math.max(...short.gradient.map((g, i) => Math.abs(g - byHand.gradient[i])));
  if (Math.abs(tape.run(xs).value - eager.value) > 1e-12 || handDiff > 1e-12 * scale) {
    throw new Error(`W4: the hand-written tape disagrees with the engine (${handDiff})`);
  }

  // Set-up times, wall clock and CPU time of this process (the CPU time is what a loaded machine does not inflate).
  const builds: number[] = [];
  const compiles: number[] = [];
  const compileCpu: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const ls = Array.from(xs, (x) => new Value(x));
    const o = buildW4(ls);
    const t1 = performance.now();
    const c1 = cpuMs();
    compileGraph(o, ls);
    compileCpu.push(cpuMs() - c1);
    compiles.push(performance.now() - t1);
    builds.push(t1 - t0);
  }
  const tapeSetup = medianMs(() => new W4Tape(), 5, 1);
  const tapeMs = medianMs(() => tape.run(xs), 100, 10);
  const compiledMs = medianMs(() => compiled.run(xs), 50, 10);
  const eagerMs = medianMs(() => w4Eager(xs), 7, 2);
  // The same in CPU time (batches, as the process clock ticks in whole milliseconds on some systems).
  const tapeCpu = medianCpuMs(() => tape.run(xs), 7, 0, 40);
  const compiledCpu = medianCpuMs(() => compiled.run(xs), 7, 0, 20);
  const eagerCpu = medianCpuMs(() => w4Eager(xs), 5, 0, 1);
  const s = (ms: number) => `${fmt(ms * 10, 1).padStart(6)} s`;
  line(
    `    ${fmt(compiled.size)} nodes on the graph; seconds for 10,000 iterations (median per iteration × 10,000):`,
  );
  const c = (ms: number) => `CPU ${fmt(ms * 10, 1).padStart(6)} s`;
  line(`    hand-written fused tape ${s(tapeMs)}  ${c(tapeCpu)}   (set-up ${fmt(tapeSetup, 2)} ms)`);
  line(
    `    compileGraph            ${s(compiledMs)}  ${c(compiledCpu)}   (set-up: build the graph ${fmt(median(builds), 0)} ms + compileGraph ${fmt(median(compiles), 0)} ms, ${fmt(median(compileCpu), 0)} ms of CPU; median of 5)`,
  );
  line(`    eager (build + backward) ${s(eagerMs).trimStart().padStart(6)} ${c(eagerCpu)}`);
  line(
    `    compileGraph / tape ${fmt(compiledMs / tapeMs, 2)}× (target ≤ 2×: ${verdict(compiledMs <= 2 * tapeMs)}); compileGraph set-up ≤ 50 ms: ${verdict(median(compiles) <= 50)}; eager / tape ${fmt(eagerMs / tapeMs, 1)}× (target ≤ 25×: ${verdict(eagerMs <= 25 * tapeMs)})`,
  );
  line(
    `    in CPU time: compileGraph / tape ${fmt(compiledCpu / tapeCpu, 2)}×, eager / tape ${fmt(eagerCpu / tapeCpu, 1)}×`,
  );
  line(`    ${PUBLISHED_W4}`);
  line();
}

line(`@crossgrad/autograd benchmarks: node ${process.version}, ${process.arch}`);
line();
benchW1();
benchW1Compiled();
benchW4();
line(
  'W2  x = tanh(x·1.0001 + 0.0001) N times, then backward: time, and bytes per node still alive after backward',
);
benchW2(100_000, 5);
benchW2(1_000_000, 5);
line();
benchW3();
line('Layout A/B: numbers in Float64Array chunks vs plain fields, W2 at N = 10^6 (bench/layout.ts)');
benchLayout(1_000_000, 3);
