/**
 * Benchmarks of @crossgrad/optimize, each against a baseline measured in the same run (the VM is noisy: compare
 * the ratios, not the milliseconds). `npx nx bench optimize`.
 *
 * - O1: `fit` on the eight NIST lower-difficulty problems from both starts (parse, differentiate, compile, solve),
 *   against the same Levenberg-Marquardt solver given hand-written residual and Jacobian functions.
 * - O2: the Jacobian of 1,000 residuals × 3 parameters of a circle fit, through the compiled row kernel, against a
 *   hand-written closed-form loop and against one compileGraph tape replayed per row.
 */
import { readFileSync } from 'node:fs';
import { Value } from '@crossgrad/autograd';
import { fit, leastSquares, rowJacobian, type ResidualCallbacks } from '@crossgrad/optimize';
import { prepareFit } from '../src/fit.js';

function line(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/**
 * Median milliseconds per call of each function, sampled in turn (one sample of each per round, so a change in the
 * machine's load falls on all of them alike), after `warm` unmeasured rounds.
 */
function interleavedMs(fs: readonly (() => void)[], rounds: number, warm = 2, inner = 1): number[] {
  const samples = fs.map(() => [] as number[]);
  for (let round = 0; round < warm + rounds; round++) {
    fs.forEach((f, k) => {
      const t0 = performance.now();
      for (let i = 0; i < inner; i++) f();
      if (round >= warm) samples[k].push((performance.now() - t0) / inner);
    });
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)]);
}

interface Problem {
  name: string;
  expr: string;
  response: string;
  params: string[];
  starts: number[][];
  columns: string[];
  data: number[][];
}

/** Hand-written model values and partial derivatives, column-major: J[j * m + i] = ∂r_i/∂b_j. */
type Hand = (
  b: Float64Array,
  x: Float64Array,
  y: Float64Array,
  r: Float64Array,
  J: Float64Array | null,
) => void;

const HAND: Record<string, Hand> = {
  Chwirut(b, x, y, r, J) {
    const m = x.length;
    for (let i = 0; i < m; i++) {
      const e = Math.exp(-b[0] * x[i]);
      const d = b[1] + b[2] * x[i];
      r[i] = e / d - y[i];
      if (J) {
        J[i] = (-x[i] * e) / d;
        J[m + i] = -e / (d * d);
        J[2 * m + i] = (-x[i] * e) / (d * d);
      }
    }
  },
  DanWood(b, x, y, r, J) {
    const m = x.length;
    for (let i = 0; i < m; i++) {
      const p = Math.pow(x[i], b[1]);
      r[i] = b[0] * p - y[i];
      if (J) {
        J[i] = p;
        J[m + i] = b[0] * p * Math.log(x[i]);
      }
    }
  },
  Gauss(b, x, y, r, J) {
    const m = x.length;
    for (let i = 0; i < m; i++) {
      const e = Math.exp(-b[1] * x[i]);
      const u = x[i] - b[3];
      const v = x[i] - b[6];
      const g1 = Math.exp(-(u * u) / (b[4] * b[4]));
      const g2 = Math.exp(-(v * v) / (b[7] * b[7]));
      r[i] = b[0] * e + b[2] * g1 + b[5] * g2 - y[i];
      if (J) {
        J[i] = e;
        J[m + i] = -b[0] * x[i] * e;
        J[2 * m + i] = g1;
        J[3 * m + i] = (b[2] * g1 * 2 * u) / (b[4] * b[4]);
        J[4 * m + i] = (b[2] * g1 * 2 * u * u) / (b[4] * b[4] * b[4]);
        J[5 * m + i] = g2;
        J[6 * m + i] = (b[5] * g2 * 2 * v) / (b[7] * b[7]);
        J[7 * m + i] = (b[5] * g2 * 2 * v * v) / (b[7] * b[7] * b[7]);
      }
    }
  },
  Lanczos3(b, x, y, r, J) {
    const m = x.length;
    for (let i = 0; i < m; i++) {
      let f = 0;
      for (let k = 0; k < 3; k++) {
        const e = Math.exp(-b[2 * k + 1] * x[i]);
        f += b[2 * k] * e;
        if (J) {
          J[2 * k * m + i] = e;
          J[(2 * k + 1) * m + i] = -b[2 * k] * x[i] * e;
        }
      }
      r[i] = f - y[i];
    }
  },
  Misra1a(b, x, y, r, J) {
    const m = x.length;
    for (let i = 0; i < m; i++) {
      const e = Math.exp(-b[1] * x[i]);
      r[i] = b[0] * (1 - e) - y[i];
      if (J) {
        J[i] = 1 - e;
        J[m + i] = b[0] * x[i] * e;
      }
    }
  },
  Misra1b(b, x, y, r, J) {
    const m = x.length;
    for (let i = 0; i < m; i++) {
      const u = 1 + (b[1] * x[i]) / 2;
      r[i] = b[0] * (1 - 1 / (u * u)) - y[i];
      if (J) {
        J[i] = 1 - 1 / (u * u);
        J[m + i] = (b[0] * x[i]) / (u * u * u);
      }
    }
  },
};

function handFor(name: string): Hand {
  return HAND[name.replace(/[12]$/, '')] ?? HAND[name];
}

function benchNist(): void {
  const problems = JSON.parse(
    readFileSync(new URL('../test/nist/lower.json', import.meta.url), 'utf8'),
  ) as Problem[];
  const runs = problems.flatMap((p) => {
    const columns = Object.fromEntries(p.columns.map((c, k) => [c, p.data.map((row) => row[k])]));
    const x = Float64Array.from(columns.x);
    const y = Float64Array.from(columns.y);
    const hand = handFor(p.name);
    const callbacks: ResidualCallbacks = {
      m: x.length,
      layout: 'column-major',
      evaluate: (b, r, J) => hand(b, x, y, r, J),
    };
    const prepared = prepareFit(
      p.expr,
      columns,
      Object.fromEntries(p.params.map((n, j) => [n, p.starts[0][j]])),
      p.response,
    );
    const kernelCallbacks: ResidualCallbacks = {
      m: prepared.rows,
      layout: 'column-major',
      evaluate: (b, r, J) => prepared.kernel(b, prepared.columns, r, J),
    };
    return p.starts.map((s) => ({
      kernelCallbacks,
      p,
      columns,
      start: Object.fromEntries(p.params.map((n, j) => [n, s[j]])),
      s,
      callbacks,
    }));
  });
  // The hand-written baseline must reach the same solutions.
  let worst = 0;
  for (const run of runs) {
    const a = fit(run.p.expr, run.columns, run.start, { response: run.p.response });
    const b = leastSquares(run.callbacks, run.s);
    run.p.params.forEach(
      (n, j) => (worst = Math.max(worst, Math.abs(a.params[n] - b.x[j]) / Math.abs(b.x[j]))),
    );
  }
  line(
    `O1  the 8 NIST lower-difficulty problems from both starts (16 fits), total per pass, median of 31 rounds`,
  );
  line(`    (largest relative difference between the two solvers' parameters: ${worst.toExponential(1)})`);
  const [handMs, kernelMs, fitMs] = interleavedMs(
    [
      () => {
        for (const run of runs) leastSquares(run.callbacks, run.s);
      },
      () => {
        for (const run of runs) leastSquares(run.kernelCallbacks, run.s);
      },
      () => {
        for (const run of runs) fit(run.p.expr, run.columns, run.start, { response: run.p.response });
      },
    ],
    31,
  );
  line(`    hand-written residuals and Jacobians, same LM   ${handMs.toFixed(2)} ms   baseline`);
  line(
    `    the same LM on fit's compiled kernels           ${kernelMs.toFixed(2)} ms   ${(kernelMs / handMs).toFixed(2)}×`,
  );
  line(
    `    fit(): parse, differentiate, compile, solve     ${fitMs.toFixed(2)} ms   ${(fitMs / handMs).toFixed(2)}×`,
  );
}

function benchCircle(): void {
  const m = 1000;
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const t = (2 * Math.PI * i) / m;
    xs[i] = 1.5 + 2 * Math.cos(t) + 0.01 * Math.sin(7 * i);
    ys[i] = -0.5 + 2 * Math.sin(t) + 0.01 * Math.cos(5 * i);
  }
  const params = Float64Array.of(1.4, -0.4, 1.9);
  const r = new Float64Array(m);
  const J = new Float64Array(3 * m);
  const kernel = rowJacobian('sqrt((x-cx)^2 + (y-cy)^2) - r', ['cx', 'cy', 'r'], ['x', 'y']);
  const columns = [xs, ys];
  const hand = (): void => {
    const cx = params[0];
    const cy = params[1];
    const rad = params[2];
    for (let i = 0; i < m; i++) {
      const dx = xs[i] - cx;
      const dy = ys[i] - cy;
      const d = Math.sqrt(dx * dx + dy * dy);
      r[i] = d - rad;
      J[3 * i] = -dx / d;
      J[3 * i + 1] = -dy / d;
      J[3 * i + 2] = -1;
    }
  };
  const leaves = ['cx', 'cy', 'r', 'x', 'y'].map((n) => new Value(0, n));
  const [cx, cy, rad, x, y] = leaves;
  const residual = x.sub(cx).pow(2).add(y.sub(cy).pow(2)).sqrt().sub(rad);
  const tape = rowJacobian(residual, [cx, cy, rad], [x, y]);
  const check = new Float64Array(3 * m);
  kernel(params, columns, r, check);
  hand();
  let worst = 0;
  for (let k = 0; k < 3 * m; k++) worst = Math.max(worst, Math.abs(check[k] - J[k]));
  line(`O2  circle fit: residuals and Jacobian, 1,000 rows × 3 parameters, median of 41 rounds of 200 calls`);
  line(`    (largest difference from the closed form: ${worst.toExponential(1)})`);
  const [handMs, kernelMs, tapeMs] = interleavedMs(
    [hand, () => kernel(params, columns, r, J), () => tape(params, columns, r, J)],
    41,
    5,
    200,
  );
  line(`    hand-written closed-form loop                   ${(handMs * 1000).toFixed(1)} µs   baseline`);
  line(
    `    compiled row kernel (compileRows)               ${(kernelMs * 1000).toFixed(1)} µs   ${(kernelMs / handMs).toFixed(2)}×`,
  );
  line(
    `    one compileGraph tape replayed per row          ${(tapeMs * 1000).toFixed(1)} µs   ${(tapeMs / handMs).toFixed(2)}×`,
  );
}

line(`@crossgrad/optimize benchmarks, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
benchNist();
line();
benchCircle();
