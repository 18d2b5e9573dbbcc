import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  add,
  compile,
  compileGradient,
  diff,
  exp,
  expandTanh,
  type Expr,
  format,
  gradient,
  mul,
  num,
  parse,
  sin,
  size,
  sym,
  tanh,
  variables,
} from '@crossgrad/symbolic';
import { w4Expr } from './w4.js';

// Run by `npm run bench` (tsx, TypeScript sources). Every figure is compared with a baseline measured in the same
// run: the machine is a shared 2-core VM, so absolute times drift between runs, ratios much less.

const require = createRequire(import.meta.url);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(packageDir, '..', '..');

interface MathjsDerivative {
  derivative(expr: string, variable: string, options: { simplify: boolean }): { toString(): string };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ms(t: number): string {
  return t < 10 ? t.toFixed(2) : t.toFixed(0);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padStart(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

/** f_0 = x*w + b, f_k = expandTanh(tanh(f_(k-1))), over variables of its own so every node is new. */
function nestedTanh(k: number, tag: string): { f: Expr; x: string } {
  const x = `x_${tag}`;
  let f: Expr = add(mul(sym(x), sym(`w_${tag}`)), sym(`b_${tag}`));
  for (let i = 0; i < k; i++) f = expandTanh(tanh(f));
  return { f, x };
}

function benchNestedTanh(): void {
  console.log(
    '\n## diff of the expanded tanh nested k deep, against mathjs derivative(..., { simplify: false })',
  );
  console.log(
    '(cold: first diff, building every derivative node; warm: median of 20 repeats over interned nodes)\n',
  );
  const mathjs = require('mathjs/number') as MathjsDerivative;
  const rows: string[][] = [];
  const dags: number[] = [];
  let k12 = { cold: 0, mathjs: 0 };
  for (let k = 1; k <= 12; k++) {
    const { f, x } = nestedTanh(k, `k${k}`);
    let t0 = performance.now();
    const d = diff(f, x);
    const cold = performance.now() - t0;
    const warm: number[] = [];
    for (let r = 0; r < 20; r++) {
      t0 = performance.now();
      diff(f, x);
      warm.push(performance.now() - t0);
    }
    const text = format(f);
    t0 = performance.now();
    const theirs = mathjs.derivative(text, x, { simplify: false }).toString();
    const mathjsTime = performance.now() - t0;
    const { dag, tree } = size(d);
    dags.push(dag);
    if (k === 12) k12 = { cold, mathjs: mathjsTime };
    rows.push([
      String(k),
      String(size(f).dag),
      String(dag),
      k === 1 ? '' : `+${dag - dags[k - 2]}`,
      tree.toExponential(2),
      ms(cold),
      ms(median(warm)),
      ms(mathjsTime),
      theirs.length.toLocaleString('en'),
      (mathjsTime / cold).toFixed(0) + 'x',
    ]);
  }
  table(
    [
      'k',
      'f dag',
      'd dag',
      'growth',
      'd tree',
      'cold ms',
      'warm ms',
      'mathjs ms',
      'mathjs chars',
      'mathjs/cold',
    ],
    rows,
  );
  console.log(
    `\nk = 12: diff ${ms(k12.cold)} ms cold (target < 5 ms), mathjs ${ms(k12.mathjs)} ms; ` +
      `derivative DAG grows by ${dags[11] - dags[10]} nodes per level.`,
  );
}

/** diff and gradient of sin, tanh and exp nested n deep, against building the chain itself in the same run. */
function benchDeepChains(): void {
  console.log(
    '\n## diff and gradient of a chain of n nested calls, against building the chain (fresh variables)\n',
  );
  const rows: string[][] = [];
  const fns: [string, (e: Expr) => Expr][] = [
    ['sin', sin],
    ['tanh', tanh],
    ['exp', exp],
  ];
  for (const n of [10_000, 100_000]) {
    for (const [name, f] of fns) {
      const x = `x_${name}${n}`;
      let t0 = performance.now();
      let e: Expr = sym(x);
      for (let i = 0; i < n; i++) e = f(e);
      const built = performance.now() - t0;
      t0 = performance.now();
      const d = diff(e, x);
      const differentiated = performance.now() - t0;
      t0 = performance.now();
      gradient(e);
      const adjoints = performance.now() - t0;
      rows.push([
        name,
        n.toLocaleString('en'),
        size(d).dag.toLocaleString('en'),
        ms(built),
        ms(differentiated),
        ms(adjoints),
        (differentiated / built).toFixed(1) + 'x',
        (adjoints / built).toFixed(1) + 'x',
      ]);
    }
  }
  table(['fn', 'depth', 'd dag', 'build ms', 'diff ms', 'gradient ms', 'diff/build', 'gradient/build'], rows);
}

/** Median time per call of `f` over `points`, in nanoseconds. */
function perCall(f: (...xs: number[]) => unknown, points: readonly number[][], rounds: number): number {
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const p of points) {
      const out = f(...p);
      sink += typeof out === 'number' ? out : (out as { value: number }).value;
    }
    times.push(((performance.now() - t0) * 1e6) / points.length);
  }
  if (Number.isNaN(sink)) console.log('(a NaN was computed)');
  return median(times);
}

function benchCheapGradient(): void {
  console.log('\n## compileGradient (value and gradient) over compile (value only), per call\n');
  const cases: [string, Expr][] = [
    ['seed neuron, tanh', parse('tanh(x1*w1 + x2*w2 + b)')],
    ['seed neuron, expandTanh', expandTanh(parse('tanh(x1*w1 + x2*w2 + b)'))],
    ['expanded tanh nested 12 deep', nestedTanh(12, 'cg').f],
  ];
  const rows: string[][] = [];
  for (const [label, e] of cases) {
    const vars = variables(e);
    const value = compile(e, vars);
    const both = compileGradient(e, vars);
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const points = Array.from({ length: 20_000 }, () => vars.map(rand));
    // Warm both up (JIT), then alternate the measurements so drift hits both alike.
    perCall(value, points, 3);
    perCall(both, points, 3);
    const tv: number[] = [];
    const tg: number[] = [];
    for (let r = 0; r < 5; r++) {
      tv.push(perCall(value, points, 3));
      tg.push(perCall(both, points, 3));
    }
    const [v, g] = [median(tv), median(tg)];
    rows.push([
      label,
      String(size(e).dag),
      String(vars.length),
      v.toFixed(0),
      g.toFixed(0),
      (g / v).toFixed(2),
    ]);
  }
  table(['expression', 'dag', 'vars', 'value ns', 'value+grad ns', 'ratio'], rows);
}

/** compile and compileGradient of W4-shaped DAGs of about 10^3, 10^4 and 10^5 nodes: set-up, and time per call
 * against compile's (value only) in the same run. */
function benchCompileScale(): void {
  console.log(
    '\n## compileGradient on W4-shaped DAGs: set-up and time per call, against compile (value only); past 4,000 ' +
      "instructions on the tape ('auto' before its 100th call), and as generated loops (mode 'loops')\n",
  );
  const rows: string[][] = [];
  for (const ops of [250, 2_500, 25_000]) {
    let t0 = performance.now();
    const { e, vars } = w4Expr(ops, `w4s${ops}_`);
    const built = performance.now() - t0;
    const dag = size(e).dag;
    // Past 4,000 instructions 'auto' starts on the tape and takes the loops at the 100th call: the tape is timed
    // as such, the loops forced.
    const mode = ops > 1000 ? 'tape' : 'auto';
    t0 = performance.now();
    const value = compile(e, vars, { mode });
    const setValue = performance.now() - t0;
    t0 = performance.now();
    const both = compileGradient(e, vars, { mode });
    const setBoth = performance.now() - t0;
    t0 = performance.now();
    const loops = compileGradient(e, vars, { mode: 'loops' });
    const setLoops = performance.now() - t0;
    const point = [vars.map((_, i) => i / 100)];
    // About 20 ms a round; warm all up (JIT), then alternate so drift hits them alike.
    const calls = Math.max(3, Math.round(2e6 / dag));
    const points = Array.from({ length: calls }, () => point[0]);
    perCall(value, points, 3);
    perCall(both, points, 3);
    perCall(loops, points, 3);
    const tv: number[] = [];
    const tg: number[] = [];
    const tl: number[] = [];
    for (let r = 0; r < 5; r++) {
      tv.push(perCall(value, points, 1));
      tg.push(perCall(both, points, 1));
      tl.push(perCall(loops, points, 1));
    }
    const [v, g, l] = [median(tv) / 1e3, median(tg) / 1e3, median(tl) / 1e3];
    rows.push([
      ops.toLocaleString('en'),
      dag.toLocaleString('en'),
      ms(built),
      ms(setValue),
      ms(setBoth),
      ((setBoth * 1e3) / dag).toFixed(1),
      v.toFixed(1),
      g.toFixed(1),
      (g / v).toFixed(2),
      ((g * 1e3) / dag).toFixed(0),
      ms(setLoops),
      l.toFixed(1),
      (g / l).toFixed(1),
    ]);
  }
  table(
    ['ops', 'dag', 'build ms', 'compile set-up ms', 'compileGradient set-up ms', 'set-up µs/node', 'compile µs/call',
      'compileGradient µs/call', 'ratio', 'ns/node', 'loops set-up ms', 'loops µs/call', 'speed-up'], // prettier-ignore
    rows,
  );
}

/** Wall time of `node <args>` in ms, median of `runs`, the runs of all commands interleaved. */
function loadTimes(commands: Record<string, string[]>, runs: number): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let r = 0; r < runs; r++) {
    for (const [name, args] of Object.entries(commands)) {
      const t0 = performance.now();
      const run = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
      times[name].push(performance.now() - t0);
      if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr}`);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

function benchModuleLoad(): void {
  console.log('\n## module load time: node child processes, median of 7, minus `node -e 0`\n');
  // The built package, as a user gets it (dist), not the TypeScript sources tsx compiles on the fly.
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', packageDir], {
    encoding: 'utf8',
  });
  if (tsc.status !== 0) throw new Error(`tsc -b failed:\n${tsc.stdout}${tsc.stderr}`);
  const esm = (code: string) => ['--input-type=module', '-e', code];
  const times = loadTimes(
    {
      'node -e 0': ['-e', '0'],
      '@crossgrad/symbolic': esm("import '@crossgrad/symbolic';"),
      '@crossgrad/symbolic + diff': esm(
        "import { diff, sym, tanh } from '@crossgrad/symbolic'; diff(tanh(sym('x')), 'x');",
      ),
      "@crossgrad/symbolic + parse('x')": esm("import { parse } from '@crossgrad/symbolic'; parse('x');"),
      'mathjs/number': ['-e', "require('mathjs/number')"],
      mathjs: ['-e', "require('mathjs')"],
    },
    7,
  );
  const base = times['node -e 0'];
  const symbolic = times['@crossgrad/symbolic'] - base;
  table(
    ['command', 'wall ms', 'minus node ms', 'vs symbolic'],
    Object.entries(times).map(([name, t]) => [
      name,
      t.toFixed(0),
      (t - base).toFixed(0),
      name === 'node -e 0' ? '' : ((t - base) / symbolic).toFixed(1) + 'x',
    ]),
  );
}

/** Heap after creating and dropping 10^6 expressions: interned nodes are held weakly, so they go. */
async function benchMemory(): Promise<void> {
  console.log(
    '\n## memory: 10^6 expressions created and dropped (4 nodes each), heap after garbage collection\n',
  );
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    console.log('(skipped: run node with --expose-gc, as `npx nx bench symbolic` does)');
    return;
  }
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const mb = () => process.memoryUsage().heapUsed / 2 ** 20;
  await settle();
  const before = mb();
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < 1_000_000; i++) sink += add(mul(sym('m'), i + 0.5), sin(num(i + 0.25))).id & 1;
  const built = performance.now() - t0;
  const alive = mb() - before;
  await settle();
  const after = mb() - before;
  if (sink < 0) console.log('(unreachable)');
  table(
    ['expressions', 'build ms', 'heap while alive MB', 'heap after gc MB'],
    [['1,000,000', ms(built), alive.toFixed(0), after.toFixed(1)]],
  );
}

// Every section by default; name sections on the command line to run only those (`tsx bench/index.ts compileScale`).
const SECTIONS: Record<string, () => void | Promise<void>> = {
  nestedTanh: benchNestedTanh,
  deepChains: benchDeepChains,
  cheapGradient: benchCheapGradient,
  compileScale: benchCompileScale,
  moduleLoad: benchModuleLoad,
  memory: benchMemory,
};
const chosen = process.argv.slice(2);
console.log('# @crossgrad/symbolic benchmarks');
for (const [name, run] of Object.entries(SECTIONS)) {
  if (chosen.length === 0 || chosen.includes(name)) await run();
}
