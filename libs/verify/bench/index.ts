/**
 * Benchmarks of @crossgrad/verify, each against a baseline measured in the same run (the VM is noisy: compare the
 * ratios, not the milliseconds). `npx nx bench verify`; `npm run bench -- w4` in this directory runs only the W4 rows.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { compileGraph } from '@crossgrad/autograd';
import {
  compileGradient,
  evaluate,
  expandTanh,
  type Expr,
  gradient,
  parse,
  size,
  tanh,
} from '@crossgrad/symbolic';
import {
  compareGradients,
  complexStep,
  exprArbitrary,
  finiteDifference,
  pointArbitrary,
  fromValue,
  toValue,
} from '@crossgrad/verify';
import { buildNativeW4 } from '../../autograd/bench/native.js';
import {
  COLD_RUNS,
  cpuMs,
  inFreshProcesses,
  median,
  minCpuMs,
  minMs,
  timed,
  type Timing,
} from '../../autograd/bench/measure.js';
import { compileW4, W4_OPS, W4Tape, w4Inputs } from '../../autograd/bench/w4.js';
import { w4Graph } from './setup.js';

function line(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/**
 * Median milliseconds per call, over `runs` samples of `inner` calls each, after `warm` unmeasured samples; wall
 * time by default, or CPU time with `clock = cpuMs` (which a machine loaded by other processes inflates less).
 */
function medianMs(
  f: () => void,
  runs: number,
  warm = 2,
  inner = 1,
  clock: () => number = () => performance.now(),
): number {
  const sample = (): number => {
    const t0 = clock();
    for (let i = 0; i < inner; i++) f();
    return (clock() - t0) / inner;
  };
  for (let i = 0; i < warm; i++) sample();
  const times = Array.from({ length: runs }, sample).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function fmt(x: number, digits = 2): string {
  return x.toFixed(digits);
}

/** The seed's neuron with tanh written out, nested `depth` times: a small DAG whose tree is huge. */
function nestedTanh(depth: number): Expr {
  let e = parse('x1*w1 + x2*w2 + b');
  for (let i = 0; i < depth; i++) e = tanh(e);
  return expandTanh(e);
}

function benchGradients(): void {
  const depth = 8;
  const e = nestedTanh(depth);
  const point = { x1: 2, x2: 0, w1: -3, w2: 1, b: 0.3 };
  line(`B1  one full gradient of the expanded tanh nested ${depth} deep (5 variables), median of 20`);
  const autogradMs = medianMs(() => {
    const { output } = toValue(e, point);
    output.backward();
  }, 20);
  const complexMs = medianMs(() => complexStep(e, point), 20);
  const symbolicMs = medianMs(() => {
    const g = gradient(e);
    for (const d of g.values()) evaluate(d, point);
  }, 20);
  const cs = complexStep(e, point).gradient;
  const { output, inputs } = toValue(e, point);
  output.backward();
  const worst = Math.max(
    ...Object.keys(cs).map((v) => {
      const scale = Math.max(Math.abs(cs[v]), Math.abs(inputs[v].grad));
      return scale === 0 ? 0 : Math.abs(cs[v] - inputs[v].grad) / scale;
    }),
  );
  line(`    autograd (toValue + backward)     ${fmt(autogradMs, 3).padStart(8)} ms   baseline`);
  line(
    `    complex step (2 passes/variable)  ${fmt(complexMs, 3).padStart(8)} ms   ${fmt(complexMs / autogradMs, 1)}×`,
  );
  line(
    `    symbolic (gradient + evaluate)    ${fmt(symbolicMs, 3).padStart(8)} ms   ${fmt(symbolicMs / autogradMs, 1)}×`,
  );
  line(`    largest relative difference complex step vs autograd: ${worst.toExponential(1)}`);
  line();
}

function benchFiniteDifferences(): void {
  line('B2  finite differences on exp(exp(exp(x))) at 1.5: Ridders (this package) vs one central difference');
  const f = (x: readonly number[]): number => Math.exp(Math.exp(Math.exp(x[0])));
  const x = [1.5];
  const exact = complexStep(parse('exp(exp(exp(x)))'), { x: 1.5 }).gradient.x;
  let calls = 0;
  const counted = (v: readonly number[]): number => {
    calls++;
    return f(v);
  };
  const ridders = finiteDifference(counted, x);
  const riddersCalls = calls;
  const h = 6e-6 * 1.5; // cbrt(eps)·|x|, the textbook step
  const central = (f([x[0] + h]) - f([x[0] - h])) / (2 * h);
  let sink = 0;
  const centralMs = medianMs(() => (sink += (f([x[0] + h]) - f([x[0] - h])) / (2 * h)), 21, 3, 10_000);
  const riddersMs = medianMs(() => (sink += finiteDifference(f, x).gradient[0]), 21, 3, 200);
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the timed calls from being optimised away');
  line(
    `    one central difference  rel error ${(Math.abs(central - exact) / exact).toExponential(1)}   2 calls`,
  );
  line(
    `    Ridders                 rel error ${(Math.abs(ridders.gradient[0] - exact) / exact).toExponential(1)}   ` +
      `${riddersCalls} calls   estimate ${(ridders.error[0] / exact).toExponential(1)} relative`,
  );
  line(
    `    time Ridders / central: ${fmt(riddersMs / Math.max(centralMs, 1e-6), 0)}× (${fmt(riddersMs * 1000, 1)} µs)`,
  );
  line();
}

function benchCompare(): void {
  const vars = ['x', 'y'];
  const cases = fc.sample(fc.tuple(exprArbitrary({ variables: vars }), pointArbitrary(vars)), {
    numRuns: 400,
    seed: 1,
  });
  line(`B3  compareGradients on ${cases.length} random expressions (depth ≤ 4, 2 variables)`);
  const symbolicOnly = (): void => {
    for (const [e, p] of cases) {
      const g = gradient(e, vars);
      for (const d of g.values()) evaluate(d, p);
    }
  };
  const all = (mathjs: boolean) => (): void => {
    for (const [e, p] of cases) compareGradients(e, p, { mathjs });
  };
  compareGradients(cases[0][0], cases[0][1]); // loads mathjs outside the timing
  const baseMs = medianMs(symbolicOnly, 5, 1);
  const noMathjsMs = medianMs(all(false), 5, 1);
  const withMathjsMs = medianMs(all(true), 5, 1);
  line(`    symbolic gradient + evaluate only   ${fmt(baseMs, 1).padStart(7)} ms   baseline`);
  line(
    `    every oracle but mathjs             ${fmt(noMathjsMs, 1).padStart(7)} ms   ${fmt(noMathjsMs / baseMs, 1)}×   ${fmt((cases.length / noMathjsMs) * 1000, 0)} cases/s`,
  );
  line(
    `    every oracle                        ${fmt(withMathjsMs, 1).padStart(7)} ms   ${fmt(withMathjsMs / baseMs, 1)}×   ${fmt((cases.length / withMathjsMs) * 1000, 0)} cases/s`,
  );
  line();
}

function benchImport(): void {
  line(
    'B4  cold import in a fresh node process (median of 5): mathjs loads only when compareGradients needs it',
  );
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const timeImport = (specifier: string): number => {
    // A string, not a number: under nx FORCE_COLOR is set and console.log would colour a number.
    const script = `const t = performance.now(); import('${specifier}').then(() => console.log(String(performance.now() - t)));`;
    const times = Array.from({ length: 5 }, () =>
      Number(
        execFileSync(process.execPath, [tsx, '--conditions=@crossgrad/source', '--eval', script], {
          cwd,
          encoding: 'utf8',
        }),
      ),
    );
    return times.sort((a, b) => a - b)[2];
  };
  const autograd = timeImport('@crossgrad/autograd');
  const verify = timeImport('@crossgrad/verify');
  const mathjs = timeImport('mathjs');
  line(`    @crossgrad/autograd  ${fmt(autograd, 0).padStart(5)} ms   baseline`);
  line(`    @crossgrad/verify    ${fmt(verify, 0).padStart(5)} ms   ${fmt(verify / autograd, 1)}×`);
  line(`    mathjs               ${fmt(mathjs, 0).padStart(5)} ms   ${fmt(mathjs / autograd, 1)}×`);
  line();
}

/** Wall and CPU milliseconds as `12.3 ms (CPU 10.1 ms, process 15.0)`. */
function both(ms: Timing, digits = 0): string {
  return `${fmt(ms.wall, digits)} ms (CPU ${fmt(ms.cpu, digits)} ms, process ${fmt(ms.process, digits)})`;
}

/** The sum of two `timed` figures. */
function plus(a: Timing, b: Timing): Timing {
  return { wall: a.wall + b.wall, cpu: a.cpu + b.cpu, process: a.process + b.process };
}

function benchW4(): void {
  const nOps = W4_OPS;
  line(
    `B5  W4 ("Fastest Autograd in the West"), N_OPS = ${nOps}: one forward + backward; against the tape the median ` +
      'of 9 after warm-up runs, against C the best of 40 samples (C: 50)',
  );
  const xs = w4Inputs();
  const args = Array.from(xs);
  // Set-up, cold: a process's first fromValue and compileGradient (the libraries' own code not optimised yet), in
  // fresh processes (bench/cold.ts): the median of each part and of their sum, and the sum's spread.
  const colds = inFreshProcesses<{ fromValue: Timing; compileGradient: Timing }>(
    fileURLToPath(new URL('cold.ts', import.meta.url)),
    [String(nOps)],
    COLD_RUNS,
  );
  const middle = (part: (c: (typeof colds)[number]) => Timing): Timing => ({
    wall: median(colds.map((c) => part(c).wall)),
    cpu: median(colds.map((c) => part(c).cpu)),
    process: median(colds.map((c) => part(c).process)),
  });
  const coldTotals = colds.map((c) => c.fromValue.cpu + c.compileGradient.cpu);
  // Here, the first ones untimed (the warm set-up below comes after them, as it did in each fresh process).
  const { output, names } = w4Graph(nOps);
  const expr = fromValue(output);
  const symbolic = compileGradient(expr, names, { mode: 'loops' });
  const dagSize = size(expr).dag;
  // Then warm, on a graph of its own (new variable names, so every expression node is new again).
  const warm = w4Graph(nOps, 'w');
  const [warmExpr, warmFromValueMs] = timed(() => fromValue(warm.output));
  const [, warmCompileMs] = timed(() => compileGradient(warmExpr, warm.names, { mode: 'loops' }));
  const [compiled, compileGraphMs] = timed(() => compileW4(nOps, { mode: 'loops' }));
  // 'auto' on a third graph: the tape at once, the loops generated at its 100th call.
  const third = w4Graph(nOps, 'z');
  const [, autoMs] = timed(() => compileGradient(fromValue(third.output), third.names));
  const tape = new W4Tape(nOps);
  let sink = 0;
  const tapeMs = medianMs(() => (sink += tape.run(xs).value), 9, 3, 20);
  const compiledMs = medianMs(() => (sink += compiled.run(xs).value), 9, 3, 5);
  const symbolicMs = medianMs(() => (sink += symbolic(...args).value), 9, 6, 5);
  const tapeCpu = medianMs(() => (sink += tape.run(xs).value), 9, 1, 20, cpuMs);
  const compiledCpu = medianMs(() => (sink += compiled.run(xs).value), 9, 1, 5, cpuMs);
  const symbolicCpu = medianMs(() => (sink += symbolic(...args).value), 9, 1, 5, cpuMs);
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the timed calls from being optimised away');
  const reference = tape.run(xs);
  const value = reference.value;
  const gradient = Float64Array.from(reference.gradient);
  // W4's gradient in its leaves is 0 to the last bit (it vanishes through 10,000 ops): compare values relatively
  // and gradients absolutely.
  const differences = (r: { value: number; gradient: ArrayLike<number> }): string =>
    `value ${(Math.abs(r.value - value) / Math.abs(value)).toExponential(1)} relative, gradient ` +
    `${Math.max(...Array.from(gradient, (g, i) => Math.abs(r.gradient[i] - g))).toExponential(1)} absolute`;
  const ofTape = (ms: number, cpu: number): string =>
    `${fmt(ms / tapeMs, 1)}× the tape (CPU ${fmt(cpu, 3)} ms, ${fmt(cpu / tapeCpu, 1)}×)`;
  const seconds = (ms: number): string => `${fmt((ms * 10_000) / 1000, 1)} s for 10,000 iterations`;
  line(`    graph: ${compiled.size} nodes; symbolic DAG from fromValue: ${dagSize} nodes`);
  line(
    `    hand-written fused-op tape        ${fmt(tapeMs, 3).padStart(8)} ms   baseline (CPU ${fmt(tapeCpu, 3)} ms)   ${seconds(tapeMs)}`,
  );
  line(
    `    compileGraph (autograd, loops)    ${fmt(compiledMs, 3).padStart(8)} ms   ${ofTape(compiledMs, compiledCpu)}   ${seconds(compiledMs)}`,
  );
  line(
    `    fromValue + compileGradient (loops) ${fmt(symbolicMs, 3).padStart(5)} ms   ${ofTape(symbolicMs, symbolicCpu)}   ${seconds(symbolicMs)}`,
  );
  const cold = middle((c) => plus(c.fromValue, c.compileGradient));
  const warmed = plus(warmFromValueMs, warmCompileMs);
  line(
    `    set-up, cold (a process's first, median of ${COLD_RUNS} fresh processes): fromValue ` +
      `${both(middle((c) => c.fromValue))} + compileGradient ${both(middle((c) => c.compileGradient))}; the sum ` +
      `${both(cold)}, CPU ${fmt(Math.min(...coldTotals), 0)}–${fmt(Math.max(...coldTotals), 0)} ms; compileGraph ` +
      `with the graph's building ${both(compileGraphMs)}`,
  );
  line(
    `    set-up, warm (a second graph): fromValue ${both(warmFromValueMs)} + compileGradient ${both(warmCompileMs)}` +
      ` = ${both(warmed)}; 'auto' (the tape until its 100th call) on a third graph ${both(autoMs)}`,
  );
  line(
    `    vs the tape: compileGraph ${differences(compiled.run(xs))}; symbolic ${differences(symbolic(...args))}`,
  );
  // Against the C reference (bench/w4.c of autograd, built with cc -O3 and run now): 10 interleaved rounds, each one
  // run of the C program (5 samples of 20 iterations, on the processor this thread just ran on; see native.ts) and
  // 4 samples of each path in wall and in CPU time; the best of each.
  const program = buildNativeW4((text) => line(`    note: ${text}`));
  let native: { ms: number; cpuMs: number; compiler: string } | undefined =
    program === undefined ? undefined : { ms: Infinity, cpuMs: Infinity, compiler: program.compiler };
  const paths = [
    { fn: () => (sink += tape.run(xs).value), inner: 20, wall: Infinity, cpu: Infinity },
    { fn: () => (sink += compiled.run(xs).value), inner: 5, wall: Infinity, cpu: Infinity },
    { fn: () => (sink += symbolic(...args).value), inner: 5, wall: Infinity, cpu: Infinity },
  ];
  for (let round = 0; round < 10 && native !== undefined; round++) {
    const c = program?.sample(nOps, 20);
    native =
      c === undefined
        ? undefined
        : { ...native, ms: Math.min(native.ms, c.ms), cpuMs: Math.min(native.cpuMs, c.cpuMs) };
    for (const p of paths) {
      p.wall = Math.min(p.wall, minMs(p.fn, 4, 0, p.inner));
      p.cpu = Math.min(p.cpu, minCpuMs(p.fn, 4, p.inner));
    }
  }
  program?.dispose();
  if (native !== undefined) {
    const [tapeBest, compiledBest, symbolicBest] = paths;
    const ofC = (p: { wall: number; cpu: number }): string =>
      `${fmt(p.wall, 3)} ms = ${fmt(p.wall / native.ms, 2)}× C (CPU ${fmt(p.cpu, 3)} ms = ${fmt(p.cpu / native.cpuMs, 2)}×)`;
    const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
    line(
      `    vs C (${native.compiler}, ${fmt(native.ms, 3)} ms, CPU ${fmt(native.cpuMs, 3)} ms): hand-written tape ` +
        `${ofC(tapeBest)}; compileGraph ${ofC(compiledBest)}; fromValue + compileGradient ${ofC(symbolicBest)}`,
    );
    line(
      `    targets: fromValue + compileGradient ≤ 2× C in CPU time: ${verdict(symbolicBest.cpu <= 2 * native.cpuMs)} ` +
        `(${fmt(symbolicBest.cpu / native.cpuMs, 2)}×); set-up ≤ 300 ms in the calling thread's CPU time: cold ` +
        `${verdict(cold.cpu <= 300)} (${fmt(cold.cpu, 0)} ms, median of ${COLD_RUNS} processes), warm ${verdict(warmed.cpu <= 300)} ` +
        `(${fmt(warmed.cpu, 0)} ms), 'auto' ${verdict(autoMs.cpu <= 300)} (${fmt(autoMs.cpu, 0)} ms)`,
    );
    if (Number.isNaN(sink)) throw new Error('unreachable');
  }
}

function benchFromValue(): void {
  line(
    'B6  fromValue on W4 graphs of two sizes: linear set-up (median of 3, each on a fresh graph with its own ' +
      'variable names, so every expression node is new; wall and CPU)',
  );
  const rows = [2_500, 10_000].map((nOps) => {
    const graphs = Array.from({ length: 9 }, (_, k) => w4Graph(nOps, `g${k}_`).output);
    let next = 0;
    const ms = medianMs(() => fromValue(graphs[next++]), 3, 1);
    const cpu = medianMs(() => fromValue(graphs[next++]), 3, 1, 1, cpuMs);
    const nodes = compileGraph(graphs[0], []).size;
    return { nOps, nodes, ms, cpu };
  });
  const [small, large] = rows;
  for (const { nOps, nodes, ms, cpu } of rows) {
    line(
      `    N_OPS ${String(nOps).padStart(6)}  ${String(nodes).padStart(6)} nodes  ${fmt(ms, 1).padStart(7)} ms  ` +
        `${fmt((ms * 1000) / nodes, 2)} µs per node (CPU ${fmt(cpu, 1)} ms, ${fmt((cpu * 1000) / nodes, 2)} µs per node)`,
    );
  }
  line(
    `    per-node cost, large / small: ${fmt(large.ms / large.nodes / (small.ms / small.nodes), 2)} (1 is linear); ` +
      `CPU ${fmt(large.cpu / large.nodes / (small.cpu / small.nodes), 2)}`,
  );
  line();
}

/**
 * B5's memory: the bytes per DAG node that `compileGradient`'s function keeps alive (heap and typed arrays, after
 * full collections), on the tape and as generated loops. Collections run after a turn of the event loop: nodes
 * made in a synchronous job stay alive until it ends (WeakRef semantics), so a collection inside it would count
 * the derivative's expression nodes, which the function does not keep. Needs node's --expose-gc (the bench
 * script passes it).
 */
async function benchMemory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    line('    memory: not measured (run node with --expose-gc)\n');
    return;
  }
  const { output, names } = w4Graph(W4_OPS, 'm');
  const expr = fromValue(output);
  const args = Array.from(w4Inputs());
  const dag = size(expr).dag;
  const used = async (): Promise<number> => {
    for (let i = 0; i < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
    }
    const m = process.memoryUsage();
    return m.heapUsed + m.external + m.arrayBuffers;
  };
  const m0 = await used();
  const tape = compileGradient(expr, names, { mode: 'tape' });
  tape(...args);
  const m1 = await used();
  const loops = compileGradient(expr, names, { mode: 'loops' });
  loops(...args);
  const m2 = await used();
  // Both functions are still alive here.
  if (!Object.is(tape(...args).value, loops(...args).value)) throw new Error('the two functions differ');
  line(
    `    memory kept by fromValue + compileGradient's function: tape ${fmt((m1 - m0) / dag, 0)} bytes, loops ` +
      `${fmt((m2 - m1) / dag, 0)} bytes per DAG node (${dag} nodes)\n`,
  );
}

const only = process.argv[2];
if (only === undefined || only === 'w4') {
  benchW4();
  await benchMemory();
  benchFromValue();
}
if (only === undefined) {
  benchGradients();
  benchFiniteDifferences();
  benchCompare();
  benchImport();
}
