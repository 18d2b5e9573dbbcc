/**
 * Benchmark of @crossgrad/libm, against the engine's own Math functions in the same run: `npx nx bench libm`.
 *
 * - speed: calls per loop as a compiled gradient makes them (four independent calls a step, results stored), CPU
 *   time per call, the best of 200 samples;
 * - accuracy: the error in ulps against 200-bit arithmetic (test/exact.ts) on seeded random arguments, the worst
 *   and the share correctly rounded, for libm's function and Math's.
 */
import { exp, log1p } from '@crossgrad/libm';
import { expExact, log1pExact } from '../test/exact.js';
import { accuracy, random } from '../test/support.js';

function line(text = ''): void {
  process.stdout.write(`${text}\n`);
}

const N = 1 << 14;
const out = new Float64Array(N);

/** Nanoseconds of CPU time per call, best of `samples`, each 10 passes over the arguments. */
function nsPerCall(pass: () => void, samples = 200): number {
  let best = Infinity;
  for (let s = 0; s < samples; s++) {
    const t0 = process.cpuUsage();
    for (let k = 0; k < 10; k++) pass();
    const t = process.cpuUsage(t0);
    best = Math.min(best, ((t.user + t.system) * 1000) / (10 * N));
  }
  return best;
}

// One loop per function, so that each call site sees one callee (as generated code does).
function passLibmExp(xs: Float64Array): void {
  for (let i = 0; i < N; i += 4) {
    out[i] = exp(xs[i]);
    out[i + 1] = exp(xs[i + 1]);
    out[i + 2] = exp(xs[i + 2]);
    out[i + 3] = exp(xs[i + 3]);
  }
}
function passMathExp(xs: Float64Array): void {
  for (let i = 0; i < N; i += 4) {
    out[i] = Math.exp(xs[i]);
    out[i + 1] = Math.exp(xs[i + 1]);
    out[i + 2] = Math.exp(xs[i + 2]);
    out[i + 3] = Math.exp(xs[i + 3]);
  }
}

function passLibmLog1p(xs: Float64Array): void {
  for (let i = 0; i < N; i += 4) {
    out[i] = log1p(xs[i]);
    out[i + 1] = log1p(xs[i + 1]);
    out[i + 2] = log1p(xs[i + 2]);
    out[i + 3] = log1p(xs[i + 3]);
  }
}
function passMathLog1p(xs: Float64Array): void {
  for (let i = 0; i < N; i += 4) {
    out[i] = Math.log1p(xs[i]);
    out[i + 1] = Math.log1p(xs[i + 1]);
    out[i + 2] = Math.log1p(xs[i + 2]);
    out[i + 3] = Math.log1p(xs[i + 3]);
  }
}

type Accuracy = ReturnType<typeof accuracy>;

function report(name: string, ours: number, theirs: number, a: Accuracy, b: Accuracy, count: number): void {
  line(
    `    ${name.padEnd(7)} ${ours.toFixed(2).padStart(5)} ns   Math's ${theirs.toFixed(2).padStart(5)} ns   ` +
      `${(theirs / ours).toFixed(2)}× as fast`,
  );
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  line(
    `            accuracy on ${count.toLocaleString('en-US')} arguments: worst ${a.worst.toFixed(3)} ulp, ` +
      `${pct(a.rounded)} correctly rounded; Math's worst ${b.worst.toFixed(3)} ulp, ${pct(b.rounded)}`,
  );
}

line(`@crossgrad/libm benchmarks: node ${process.version}, ${process.arch}`);
line('');
line(
  'L1  per call in a loop of four independent calls (CPU time, best of 200), and accuracy against 200-bit arithmetic',
);
{
  const next = random(20261207);
  // exp's arguments as softmax and sigmoid give them: mostly in [-10, 0], some beyond.
  const xs = Float64Array.from({ length: N }, () => -12 * next() + 2);
  passLibmExp(xs);
  passMathExp(xs);
  let ours = Infinity;
  let theirs = Infinity;
  for (let round = 0; round < 3; round++) {
    ours = Math.min(
      ours,
      nsPerCall(() => passLibmExp(xs)),
    );
    theirs = Math.min(
      theirs,
      nsPerCall(() => passMathExp(xs)),
    );
  }
  const wide = Float64Array.from({ length: 20_000 }, () => -745 + 1455 * next());
  report('exp', ours, theirs, accuracy(wide, exp, expExact), accuracy(wide, Math.exp, expExact), wide.length);
}
{
  const next = random(20261208);
  // log1p's arguments as softplus gives them: e^-|x| in (0, 1].
  const xs = Float64Array.from({ length: N }, () => next());
  passLibmLog1p(xs);
  passMathLog1p(xs);
  let ours = Infinity;
  let theirs = Infinity;
  for (let round = 0; round < 3; round++) {
    ours = Math.min(
      ours,
      nsPerCall(() => passLibmLog1p(xs)),
    );
    theirs = Math.min(
      theirs,
      nsPerCall(() => passMathLog1p(xs)),
    );
  }
  // Accuracy over (0, 1] and beyond: (-1, 0), tiny, large.
  const wide = Float64Array.from({ length: 20_000 }, (_, i) => {
    const u = next();
    return i % 4 === 0
      ? u
      : i % 4 === 1
        ? -u
        : i % 4 === 2
          ? (u - 0.5) * 2 ** (-60 * next())
          : 2 ** (100 * u);
  });
  report(
    'log1p',
    ours,
    theirs,
    accuracy(wide, log1p, log1pExact),
    accuracy(wide, Math.log1p, log1pExact),
    wide.length,
  );
}
