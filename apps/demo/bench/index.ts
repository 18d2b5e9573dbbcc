/**
 * Start-up of the built CLI: wall time of `node dist/main.js` (the default run, and `--expr` with a parse, which
 * loads mathjs) beside `node -e 0` measured in the same run, plus the import time of each library. Run with
 * `npm run bench` (it builds first). Medians of RUNS interleaved runs, so a noisy neighbour hits all alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env['BENCH_RUNS'] ?? 11);

interface Case {
  readonly name: string;
  readonly args: readonly string[];
}

const importOf = (pkg: string) => ['--input-type=module', '-e', `await import('${pkg}')`];

const cases: readonly Case[] = [
  { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
  { name: 'crossgrad (default run)', args: ['dist/main.js'] },
  { name: 'crossgrad --help', args: ['dist/main.js', '--help'] },
  {
    name: 'crossgrad --expr "x^x * sin(y)" --at x=1.5,y=2',
    args: ['dist/main.js', '--expr', 'x^x * sin(y)', '--at', 'x=1.5,y=2'],
  },
  { name: "import('@crossgrad/autograd')", args: importOf('@crossgrad/autograd') },
  { name: "import('@crossgrad/symbolic')", args: importOf('@crossgrad/symbolic') },
  { name: "import('@crossgrad/verify')", args: importOf('@crossgrad/verify') },
  { name: "import('mathjs/number')", args: importOf('mathjs/number') },
  { name: "import('mathjs')", args: importOf('mathjs') },
];

function timeOnce(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString().trim()}`);
  }
  return ms;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

if (!existsSync(`${root}dist/main.js`))
  throw new Error('dist/main.js is missing: build with `npx tsc -b apps/demo`');

const samples = cases.map(() => [] as number[]);
for (const c of cases) timeOnce(c.args); // warm the file cache
for (let run = 0; run < RUNS; run++) {
  cases.forEach((c, i) => samples[i]?.push(timeOnce(c.args)));
}

const baseline = median(samples[0] ?? []);
const width = Math.max(...cases.map((c) => c.name.length));
console.log(
  `start-up, median of ${RUNS} runs (node ${process.version}, ${process.platform}/${process.arch})\n`,
);
console.log(`${'command'.padEnd(width)}  median ms  over node -e 0  ratio`);
cases.forEach((c, i) => {
  const ms = median(samples[i] ?? []);
  const over = i === 0 ? '' : `${(ms - baseline).toFixed(0)} ms`;
  console.log(
    `${c.name.padEnd(width)}  ${ms.toFixed(0).padStart(9)}  ${over.padStart(14)}  ${(ms / baseline).toFixed(2).padStart(5)}x`,
  );
});
const defaultRun = median(samples[1] ?? []);
console.log(
  `\ndefault run: ${defaultRun.toFixed(0)} ms (${defaultRun < 1000 ? 'under' : 'OVER'} the 1 s budget)`,
);
