/**
 * Benchmarks of @crossgrad/autograd on the workloads micrograd was measured with (W1, W2, W3), each next to
 * a hand-written plain-JS version run in the same process. `npx nx bench autograd` (node needs --expose-gc; the
 * package's bench script passes it).
 */
import { fileURLToPath } from 'node:url';
import { Value, compileGraph, maxMarginLoss, type MLP } from '@crossgrad/autograd';
import { denseChain, denseDot, denseFromParameters, denseStep, parametersFromDense } from './handwritten.js';
import { benchLayout } from './layout.js';
import {
  COLD_RUNS,
  collect,
  cpuMs,
  fmt,
  inFreshProcesses,
  median,
  medianMs,
  memory,
  minCpuMs,
  minMs,
} from './measure.js';
import { buildNativeW4 } from './native.js';
import { W4Tape, W4_OPS, buildW4, compileW4Timed, w4Eager, w4Inputs } from './w4.js';
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
    'W1 compiled: the same step through compileGraph, each mode forced (best of 30 samples of 5 steps after 300, interleaved, wall and CPU time)',
  );
  const eager = w1Setup();
  const dense = w1Setup();
  const weights = denseFromParameters(dense.model.parameters().map((p) => p.data));
  const eagerLoss = w1Step(eager.model, eager.data).data;
  const after = eager.model.parameters();
  const denseStep1 = (): void => void denseStep(weights, dense.data.X, dense.data.y, 1e-4, 0.1);
  const rows: {
    mode: string;
    fn: () => void;
    wall: number;
    cpu: number;
    setup: number;
    first: number;
  }[] = [];
  for (const mode of ['loops', 'codegen', 'tape'] as const) {
    const compiled = w1Setup();
    const params = compiled.model.parameters();
    const loss = maxMarginLoss(compiled.model, compiled.data, { alpha: 1e-4 }).loss;
    const c0 = cpuMs();
    const tape = compileGraph(loss, params, { mode });
    const setup = cpuMs() - c0;
    const step = (model: MLP): number => {
      model.zeroGrad();
      const value = tape.backward();
      for (const p of params) p.data -= 0.1 * p.grad;
      return value;
    };
    // Same loss and parameters as the eager step, bit for bit.
    const compiledLoss = step(compiled.model);
    if (!Object.is(eagerLoss, compiledLoss) || params.some((p, i) => !Object.is(p.data, after[i].data))) {
      throw new Error(`W1: compiled (${mode}) and eager steps differ`);
    }
    // The first 300 steps, while the engine optimises generated code: then the steady state.
    const w0 = cpuMs();
    for (let k = 1; k < 300; k++) step(compiled.model);
    const first = cpuMs() - w0;
    const fn = (): void => void step(compiled.model);
    rows.push({ mode: `${mode} (${tape.mode})`, fn, wall: Infinity, cpu: Infinity, setup, first });
  }
  // Steady state: 15 rounds, each 2 samples of 5 steps of every path in wall and in CPU time, the paths interleaved
  // so that a stretch of time when the machine runs slower slows them alike; the best of each.
  let denseWall = minMs(denseStep1, 1, 10, 5);
  let denseCpu = Infinity;
  for (let round = 0; round < 15; round++) {
    denseWall = Math.min(denseWall, minMs(denseStep1, 2, 0, 5));
    denseCpu = Math.min(denseCpu, minCpuMs(denseStep1, 2, 5));
    for (const r of rows) {
      r.wall = Math.min(r.wall, minMs(r.fn, 2, 0, 5));
      r.cpu = Math.min(r.cpu, minCpuMs(r.fn, 2, 5));
    }
  }
  line(
    `    hand-written step               ${fmt(denseWall, 3).padStart(7)} ms/step   CPU ${fmt(denseCpu, 3)} ms`,
  );
  for (const r of rows) {
    line(
      `    compileGraph ${r.mode.padEnd(18)} ${fmt(r.wall, 3).padStart(7)} ms/step   ${fmt(r.wall / denseWall, 2)}× hand-written   CPU ${fmt(r.cpu, 3)} ms ${fmt(r.cpu / denseCpu, 2)}×   (set-up CPU ${fmt(r.setup, 0)} ms; the first 300 steps ${fmt(r.first, 0)} ms)`,
    );
  }
  const best = Math.min(...rows.map((r) => r.cpu)) / denseCpu;
  line(
    `    best compiled / hand-written in CPU time ${fmt(best, 2)}×; target ≤ 1.2×: ${verdict(best <= 1.2)}`,
  );
  line();
}

const PUBLISHED_W4 =
  'published (f32, Apple M1): C 0.99 s, Rust 1.4 s, numba 41 s, Python tape 94 s, PyTorch ≈ 1,130 s, JAX jit ≈ 470 s';

/**
 * A process's first compileGraph of W4 (bench/cold.ts), in COLD_RUNS fresh processes: the medians of wall, thread
 * and process CPU time, and the lowest and highest thread CPU time.
 */
function coldSetup(mode: 'loops' | 'codegen' | 'tape'): {
  wall: number;
  thread: number;
  process: number;
  low: number;
  high: number;
} {
  const runs = inFreshProcesses<{ wall: number; thread: number; process: number }>(
    fileURLToPath(new URL('cold.ts', import.meta.url)),
    [mode],
    COLD_RUNS,
  );
  const threads = runs.map((r) => r.thread);
  return {
    wall: median(runs.map((r) => r.wall)),
    thread: median(threads),
    process: median(runs.map((r) => r.process)),
    low: Math.min(...threads),
    high: Math.max(...threads),
  };
}

/** The bytes per node a compileGraph of W4 keeps alive (heap and typed arrays), between two full collections. */
function compiledBytesPerNode(mode: 'loops' | 'codegen' | 'tape'): number {
  const leaves = Array.from(w4Inputs(), (x) => new Value(x));
  const out = buildW4(leaves);
  collect();
  const m0 = memory();
  const compiled = compileGraph(out, leaves, { mode });
  compiled.run(w4Inputs());
  collect();
  const m1 = memory();
  return (m1.heap + m1.external - m0.heap - m0.external) / compiled.size;
}

/**
 * W4: every path as a ratio to the C reference (bench/w4.c, built and run here), in one process: the best of
 * several samples each, the paths interleaved so that a busy machine slows them alike.
 */
function benchW4(): void {
  line(`W4  "Fastest Autograd in the West": ${fmt(W4_OPS)} ops, forward + backward of the last node`);
  const xs = w4Inputs();
  const tape = new W4Tape();
  // Agreement first: compiled = eager bit for bit in both modes; the hand-written tape to 1e-12 (its fused softmax
  // backward rounds differently). At 10,000 ops the leaves' gradients underflow to 0, so they are compared at 200.
  const eager = w4Eager(xs);
  const modes = (['loops', 'codegen', 'tape'] as const).map((mode) => {
    // Cold: the first compile in a process (the compiler's own code not optimised yet), in fresh processes. Warm:
    // the first compile here, which runs the compiler's code once, then three more, timed.
    const cold = coldSetup(mode);
    const builds = [compileW4Timed(mode)];
    for (let r = 0; r < 3; r++) builds.push(compileW4Timed(mode));
    // The first run of a graph just compiled (the compiler's code warm): it compiles the generated code too.
    const f0 = performance.now();
    builds[3].compiled.run(xs);
    const firstRun = performance.now() - f0;
    const compiled = builds[0].compiled;
    const run = compiled.run(xs);
    if (!Object.is(run.value, eager.value) || run.gradient.some((g, i) => !Object.is(g, eager.gradient[i]))) {
      throw new Error(`W4: compiled (${mode}) and eager differ`);
    }
    return {
      mode,
      cold,
      compiled,
      // The median of the three (the thread's CPU time moves in 4 ms steps: a best of three would favour a low one).
      wall: median(builds.slice(1).map((b) => b.timing.wall)),
      cpu: median(builds.slice(1).map((b) => b.timing.process)),
      thread: median(builds.slice(1).map((b) => b.timing.cpu)),
      firstRun,
      bytes: 0,
    };
  });
  // Memory after every timing of set-up (the collections it forces are kept out of those).
  for (const m of modes) m.bytes = median([0, 1, 2].map(() => compiledBytesPerNode(m.mode)));
  const short = w4Eager(xs, 200);
  const byHand = new W4Tape(200).run(xs);
  const scale = Math.max(...short.gradient.map(Math.abs));
  const handDiff = Math.max(...short.gradient.map((g, i) => Math.abs(g - byHand.gradient[i])));
  if (Math.abs(tape.run(xs).value - eager.value) > 1e-12 || handDiff > 1e-12 * scale) {
    throw new Error(`W4: the hand-written tape disagrees with the engine (${handDiff})`);
  }
  const builds: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    buildW4(Array.from(xs, (x) => new Value(x)));
    builds.push(performance.now() - t0);
  }

  // Interleaved rounds, the C program among the paths: on a shared virtual machine a process may run at full speed
  // one moment and 1.3× slower for seconds the next (whatever it runs, C included), so every path, C's too, is
  // sampled all through the same stretch of time and its best taken: per round, one run of the C program (5 samples
  // of 20 iterations, see native.ts) and 4 samples of each path in wall and in CPU time.
  const note = (text: string) => line(`    note: ${text}`);
  const program = buildNativeW4(note);
  const paths: { name: string; fn: () => void; inner: number; best: number; cpu: number }[] = [
    { name: 'hand-written fused JS tape', fn: () => tape.run(xs), inner: 20, best: Infinity, cpu: Infinity },
    ...modes.map((m) => ({
      name: `compileGraph, mode '${m.mode}'`,
      fn: () => m.compiled.run(xs),
      inner: 20,
      best: Infinity,
      cpu: Infinity,
    })),
    { name: 'eager (build + backward)', fn: () => w4Eager(xs), inner: 2, best: Infinity, cpu: Infinity },
  ];
  for (const p of paths) minMs(p.fn, 1, 20, p.inner);
  let native: { ms: number; cpuMs: number; value: number; compiler: string } | undefined =
    program === undefined
      ? undefined
      : { ms: Infinity, cpuMs: Infinity, value: NaN, compiler: program.compiler };
  for (let round = 0; round < 10; round++) {
    if (program !== undefined && native !== undefined) {
      const c = program.sample(W4_OPS, 20);
      native =
        c === undefined
          ? undefined
          : {
              ...native,
              ms: Math.min(native.ms, c.ms),
              cpuMs: Math.min(native.cpuMs, c.cpuMs),
              value: c.value,
            };
    }
    for (const p of paths) {
      p.best = Math.min(p.best, minMs(p.fn, 4, 0, p.inner));
      p.cpu = Math.min(p.cpu, minCpuMs(p.fn, 4, p.inner));
    }
  }
  program?.dispose();
  const ofC = (ms: number, cpu: number): string =>
    native === undefined
      ? ''
      : `${fmt(ms / native.ms, 2).padStart(6)}× C   CPU ${fmt(cpu, 3).padStart(7)} ms ${fmt(cpu / native.cpuMs, 2).padStart(6)}× C`;
  line(
    `    ${fmt(modes[0].compiled.size)} nodes; best ms per forward + backward, wall and CPU time (40 samples of 2 to 20 runs, C 50 samples of 20, interleaved in 10 rounds)`,
  );
  if (native !== undefined) {
    line(
      `    C reference (bench/w4.c)         ${fmt(native.ms, 3).padStart(7)} ms    1.00× C   CPU ${fmt(native.cpuMs, 3).padStart(7)} ms   1.00× C   (${native.compiler}; its value differs from the engine's by ${(Math.abs(native.value - eager.value) / Math.abs(eager.value)).toExponential(1)} relative)`,
    );
  }
  for (const p of paths) {
    const m = modes.find((mm) => p.name.endsWith(`'${mm.mode}'`));
    const extra =
      m === undefined
        ? ''
        : `   set-up ${fmt(m.wall, 0)} ms (CPU ${fmt(m.thread, 0)} ms, process ${fmt(m.cpu, 0)}; cold ${fmt(m.cold.wall, 0)} ms, CPU ${fmt(m.cold.thread, 0)} (${fmt(m.cold.low, 0)}–${fmt(m.cold.high, 0)}), process ${fmt(m.cold.process, 0)}), first run ${fmt(m.firstRun, 1)} ms, ${fmt(m.bytes, 0)} bytes/node kept${m.compiled.mode === m.mode ? '' : ` (ran as ${m.compiled.mode})`}`;
    line(`    ${p.name.padEnd(32)} ${fmt(p.best, 3).padStart(7)} ms  ${ofC(p.best, p.cpu)}${extra}`);
  }
  line(`    (building the graph: ${fmt(median(builds), 0)} ms, not part of the set-up above)`);
  if (native !== undefined) {
    // The fastest mode, and its set-up.
    const fastest = modes
      .map((m) => ({ m, cpu: paths.find((p) => p.name.endsWith(`'${m.mode}'`))?.cpu ?? Infinity }))
      .reduce((x, y) => (y.cpu < x.cpu ? y : x));
    const best = fastest.cpu;
    // Set-up in the calling thread's CPU time (see threadCpuMs).
    const setup = fastest.m.thread;
    line(
      `    targets (CPU time): compileGraph ≤ 1.5× C: ${verdict(best <= 1.5 * native.cpuMs)} (${fmt(best / native.cpuMs, 2)}×, mode '${fastest.m.mode}'); its set-up ≤ 50 ms: ${verdict(setup <= 50)} (${fmt(setup, 0)} ms), cold, a process's first: ${verdict(fastest.m.cold.thread <= 50)} (${fmt(fastest.m.cold.thread, 0)} ms, median of ${COLD_RUNS} processes)`,
    );
  }
  line(`    ${PUBLISHED_W4}`);
  line();
}

/**
 * Where generated code pays: W4-shaped graphs of growing size, each compiled both ways in this process; CPU time
 * per run (best of 15 samples) and set-up, and the runs after which the extra set-up of the WebAssembly is paid back.
 * compileGraph's `mode: 'auto'` takes its size window from this table.
 */
function benchSizes(): void {
  line(
    'Sizes: compileGraph on W4-shaped graphs, generated loops and WebAssembly against the interpreter (CPU time)',
  );
  const xs = w4Inputs();
  for (const ops of [100, 300, 1_000, 2_000, 3_000, 10_000]) {
    const r = (['loops', 'codegen', 'tape'] as const).map((mode) => {
      const leaves = Array.from(xs, (x) => new Value(x));
      const out = buildW4(leaves, ops);
      const c0 = cpuMs();
      const compiled = compileGraph(out, leaves, { mode });
      const setup = cpuMs() - c0;
      const inner = Math.max(2, Math.round(20_000 / ops));
      minMs(() => compiled.run(xs), 1, 50, inner);
      return { size: compiled.size, setup, run: minCpuMs(() => compiled.run(xs), 15, inner) };
    });
    const [loops, code, tape] = r;
    const payback = (x: { setup: number; run: number }): string => {
      const saved = tape.run - x.run;
      return saved > 0 ? `${fmt(Math.max(0, x.setup - tape.setup) / saved, 0)} runs` : 'never';
    };
    line(
      `    ${fmt(tape.size).padStart(7)} nodes: run ${fmt(tape.run * 1000, 1).padStart(7)} µs interpreted; loops ${fmt(loops.run * 1000, 1).padStart(7)} µs (${fmt(tape.run / loops.run, 2)}×, set-up ${fmt(loops.setup, 1)} ms, pays back after ${payback(loops)}); WebAssembly ${fmt(code.run * 1000, 1).padStart(7)} µs (${fmt(tape.run / code.run, 2)}×, set-up ${fmt(code.setup, 1)} ms, ${payback(code)}); interpreter set-up ${fmt(tape.setup, 1)} ms`,
    );
  }
  line();
}

// Every section by default; name sections to run only those (`npm run bench -- w1compiled w4` in this folder).
const SECTIONS: Record<string, () => void> = {
  w1: benchW1,
  w1compiled: benchW1Compiled,
  w4: benchW4,
  sizes: benchSizes,
  w2: () => {
    line(
      'W2  x = tanh(x·1.0001 + 0.0001) N times, then backward: time, and bytes per node still alive after backward',
    );
    benchW2(100_000, 5);
    benchW2(1_000_000, 5);
    line();
  },
  w3: benchW3,
  layout: () => {
    line('Layout A/B: numbers in Float64Array chunks vs plain fields, W2 at N = 10^6 (bench/layout.ts)');
    benchLayout(1_000_000, 3);
  },
};
const chosen = process.argv.slice(2);
line(`@crossgrad/autograd benchmarks: node ${process.version}, ${process.arch}`);
line();
for (const [name, run] of Object.entries(SECTIONS)) if (chosen.length === 0 || chosen.includes(name)) run();
