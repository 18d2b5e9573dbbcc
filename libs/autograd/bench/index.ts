/**
 * Benchmarks of @crossgrad/autograd on the workloads DESIGN.md measured micrograd with (W1, W2, W3), each next to
 * a hand-written plain-JS version run in the same process. `npx nx bench autograd` (node needs --expose-gc; the
 * package's bench script passes it).
 */
import { denseChain, denseDot, denseFromParameters, denseStep, parametersFromDense } from './handwritten.js';
import { collect, fmt, median, medianMs, memory } from './measure.js';
import { graphSize, w1Setup, w1Step, w2Forward, w3Run, w3Setup } from './workloads.js';

const MICROGRAD = { w1: 1030, w2At1e5: 5760, w3: 2140 }; // ms, CPython 3.11 on this VM (DESIGN.md)

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

line(`@crossgrad/autograd benchmarks: node ${process.version}, ${process.arch}`);
line();
benchW1();
line(
  'W2  x = tanh(x·1.0001 + 0.0001) N times, then backward: time, and bytes per node still alive after backward',
);
benchW2(100_000, 5);
benchW2(1_000_000, 5);
line();
benchW3();
