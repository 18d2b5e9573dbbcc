import { compileGraph, Value } from '@crossgrad/autograd';
import { InvalidInputError, NonFiniteError } from './errors.js';
import { DWARF, enorm, EPSMCH, lmpar, qrfac } from './minpack.js';
import { isConvergence, type Termination } from './termination.js';

/**
 * Residuals given as callbacks: `m` residuals of `n = start.length` parameters. `evaluate(x, r, J)` writes the
 * residuals at `x` into `r` (length m) and, when `J` is not null, the Jacobian ∂r_i/∂x_j into `J`: at
 * `J[i * n + j]` (`layout: 'row-major'`, the default) or `J[j * m + i]` (`'column-major'`, what the solver uses
 * inside, so no copy is made).
 *
 * @example
 * ```ts
 * const line: ResidualCallbacks = {
 *   m: 3,
 *   evaluate(x, r, J) {
 *     for (let i = 0; i < 3; i++) {
 *       r[i] = x[0] + x[1] * i - [1, 3, 5][i];
 *       if (J) { J[2 * i] = 1; J[2 * i + 1] = i; }
 *     }
 *   },
 * };
 * ```
 */
export interface ResidualCallbacks {
  readonly m: number;
  readonly layout?: 'row-major' | 'column-major';
  evaluate(x: Float64Array, r: Float64Array, J: Float64Array | null): void;
}

/**
 * Residuals as a function of autograd `Value`s: called once, at the start point, to record the graph of every
 * residual; each residual's graph is then compiled (`compileGraph`) and replayed at every point. So the
 * function's control flow is fixed at the start point, like any recorded tape.
 *
 * @example
 * ```ts
 * const residuals: ValueResiduals = ([a, b]) => [a.sub(1), b.sub(a.mul(a)).mul(10)];
 * ```
 */
export type ValueResiduals = (x: readonly Value[]) => readonly Value[];

/**
 * Options of {@link leastSquares} and {@link fit}. The defaults are the same for every problem.
 *
 * @example
 * ```ts
 * const options: LeastSquaresOptions = { ftol: 1e-10, maxEvaluations: 500 };
 * ```
 */
export interface LeastSquaresOptions {
  /** Stop when both the actual and the predicted relative reduction of the sum of squares are at most ftol
   * (and the ratio of the two is at most 2). Default 1e-15. */
  ftol?: number;
  /** Stop when the trust region's radius is at most xtol times the norm of the scaled parameters. Default 1e-15. */
  xtol?: number;
  /** Stop when the largest cosine of the angle between the residual vector and a column of the Jacobian is at
   * most gtol. Default 1e-15. */
  gtol?: number;
  /** The most residual evaluations (the start point included). Default 1000 · (n + 1). */
  maxEvaluations?: number;
  /** The most Jacobian evaluations (one per outer iteration). Default 1000 · (n + 1). */
  maxIterations?: number;
  /** The initial trust region's radius is factor · ‖D x0‖ (factor if that is 0). Default 100, as MINPACK. */
  factor?: number;
}

/**
 * The result of {@link leastSquares}: the parameters, the fit's statistics at them, and why the solver stopped.
 *
 * @example
 * ```ts
 * const { x, rss, converged, reason }: LeastSquaresResult = leastSquares(([a]) => [a.sub(2)], [0]);
 * ```
 */
export interface LeastSquaresResult {
  /** The parameters found (the last accepted point). */
  x: number[];
  /** The residuals at x. */
  residuals: number[];
  /** The residual sum of squares Σ r_i². */
  rss: number;
  /** Degrees of freedom m - n. */
  dof: number;
  /** √(rss / dof), 0 when dof = 0. */
  residualStdDev: number;
  /** s² (JᵀJ)⁻¹ at x with s² = rss / dof, from the R factor of the pivoted QR of J; for a parameter the data do
   * not determine (rank-deficient J), Infinity on the diagonal and 0 elsewhere in its row and column. */
  covariance: number[][];
  /** √ of the covariance's diagonal. */
  standardErrors: number[];
  /** The numerical rank of J at x. */
  rank: number;
  /** Outer iterations (accepted steps). */
  iterations: number;
  /** Residual evaluations, the start point's included. */
  evaluations: number;
  /** Jacobian evaluations, the one for the covariance included. */
  jacobianEvaluations: number;
  /** Whether a convergence test held (`termination` is ftol, xtol, gtol or machine-precision). */
  converged: boolean;
  termination: Termination;
  /** One sentence saying why the solver stopped. */
  reason: string;
}

function option(options: Record<string, unknown>, name: string, fallback: number, min = 0): number {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v >= min) || Number.isNaN(v)) {
    throw new InvalidInputError(
      `options.${name}`,
      `options.${name} must be a number ≥ ${min}, got ${String(v)}`,
    );
  }
  return v;
}

/** The callbacks for a function of Values: every residual's graph recorded at `start` and compiled. */
export function valueResiduals(f: ValueResiduals, start: ArrayLike<number>): ResidualCallbacks {
  const leaves = Array.from(start, (v, j) => new Value(v, `x${j}`));
  const outputs = f(leaves);
  if (!Array.isArray(outputs) || outputs.length === 0) {
    throw new InvalidInputError('residuals', 'the residual function must return a non-empty array of Values');
  }
  const graphs = outputs.map((o: unknown, i) => {
    if (!(o instanceof Value)) {
      throw new InvalidInputError('residuals', `the residual function's output ${i} is not a Value`);
    }
    return compileGraph(o, leaves);
  });
  const m = graphs.length;
  const n = leaves.length;
  return {
    m,
    layout: 'column-major',
    evaluate(x, r, J) {
      for (let i = 0; i < m; i++) {
        const { value, gradient } = graphs[i].run(x);
        r[i] = value;
        if (J !== null) for (let j = 0; j < n; j++) J[i + j * m] = gradient[j];
      }
    },
  };
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * Solve a nonlinear least-squares problem, min Σ r_i(x)², by the Levenberg-Marquardt method as MINPACK's lmder
 * implements it (J. J. Moré, "The Levenberg-Marquardt algorithm: implementation and theory", 1978): at each
 * iterate the QR factorisation with column pivoting of the Jacobian; the step minimises the linear model within a
 * trust region ‖D p‖ ≤ Δ, the Levenberg-Marquardt parameter found by Moré's safeguarded Newton iteration (lmpar);
 * the scaling D holds the Jacobian's column norms, each the largest seen so far; Δ grows or shrinks by the ratio
 * of the actual to the predicted reduction. A trial point whose residuals are not finite is treated as a failed
 * step (Δ shrinks tenfold), never accepted. Tests: ftol (relative reduction), xtol (relative step), gtol (largest
 * cosine between r and a column of J), and the evaluation budgets; `reason` says which held.
 *
 * The residuals are callbacks ({@link ResidualCallbacks}) or a function of autograd `Value`s returning the
 * residuals ({@link ValueResiduals}), whose Jacobian is exact. The covariance s²(JᵀJ)⁻¹ is computed from the R
 * factor of a fresh pivoted QR at the solution, as NIST certifies it.
 *
 * @throws InvalidInputError for a start that is empty or not finite, fewer residuals than parameters, a bad option.
 * @throws NonFiniteError when the residuals or the Jacobian are not finite at the start.
 * @example
 * ```ts
 * // Rosenbrock's function as residuals: 10 (x1 - x0²) and 1 - x0.
 * const r = leastSquares(([a, b]) => [b.sub(a.mul(a)).mul(10), a.neg().add(1)], [-1.2, 1]);
 * r.x; // [1, 1]
 * ```
 */
export function leastSquares(
  residuals: ResidualCallbacks | ValueResiduals,
  start: readonly number[] | Float64Array,
  options: LeastSquaresOptions = {},
): LeastSquaresResult {
  if (!(Array.isArray(start) || start instanceof Float64Array) || start.length === 0) {
    throw new InvalidInputError('start', 'leastSquares: start must be a non-empty array of numbers');
  }
  for (let j = 0; j < start.length; j++) {
    if (typeof start[j] !== 'number' || !Number.isFinite(start[j])) {
      throw new InvalidInputError(
        'start',
        `leastSquares: start[${j}] must be a finite number, got ${String(start[j])}`,
      );
    }
  }
  const problem = typeof residuals === 'function' ? valueResiduals(residuals, start) : residuals;
  if (typeof problem !== 'object' || problem === null || typeof problem.evaluate !== 'function') {
    throw new InvalidInputError(
      'residuals',
      'leastSquares: residuals must be { m, evaluate } or a function of Values',
    );
  }
  return levenbergMarquardt(problem, Float64Array.from(start), options);
}

/** The solver proper, shared by {@link leastSquares} and `fit`. */
export function levenbergMarquardt(
  problem: ResidualCallbacks,
  x0: Float64Array,
  options: LeastSquaresOptions,
): LeastSquaresResult {
  const n = x0.length;
  const m = problem.m;
  if (!Number.isInteger(m) || m < n) {
    throw new InvalidInputError(
      'residuals',
      `leastSquares: ${String(m)} residuals for ${n} parameters: need at least as many residuals as parameters`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options', 'leastSquares: options must be an object');
  }
  const o = options as Record<string, unknown>;
  const ftol = option(o, 'ftol', 1e-15);
  const xtol = option(o, 'xtol', 1e-15);
  const gtol = option(o, 'gtol', 1e-15);
  const maxfev = option(o, 'maxEvaluations', 1000 * (n + 1), 1);
  const maxjev = option(o, 'maxIterations', 1000 * (n + 1), 1);
  const factor = option(o, 'factor', 100, Number.MIN_VALUE);
  const rowMajor = problem.layout !== 'column-major';

  const x = Float64Array.from(x0);
  const fvec = new Float64Array(m);
  const fjac = new Float64Array(m * n);
  const scratchJ = rowMajor ? new Float64Array(m * n) : fjac;
  const diag = new Float64Array(n);
  const qtf = new Float64Array(n);
  const ipvt = new Int32Array(n);
  const wa1 = new Float64Array(n);
  const wa2 = new Float64Array(n);
  const wa3 = new Float64Array(n);
  const wa4 = new Float64Array(m);
  const wa5 = new Float64Array(n);
  const wa6 = new Float64Array(n);
  const xTrial = new Float64Array(n);

  const residualsAt = (at: Float64Array, r: Float64Array): void => problem.evaluate(at, r, null);
  const jacobianAt = (at: Float64Array, r: Float64Array): void => {
    problem.evaluate(at, r, scratchJ);
    if (rowMajor)
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) fjac[i + j * m] = scratchJ[i * n + j];
  };

  residualsAt(x, fvec);
  let nfev = 1;
  let njev = 0;
  if (!allFinite(fvec)) {
    throw new NonFiniteError('leastSquares: the residuals are not finite at the start point');
  }
  let fnorm = enorm(m, fvec);
  let par = 0;
  let iter = 1;
  let delta = 0;
  let xnorm = 0;
  let termination: Termination | undefined;

  outer: for (;;) {
    if (njev >= maxjev) {
      termination = 'max-iterations';
      break;
    }
    jacobianAt(x, wa4);
    njev++;
    if (!allFinite(fjac)) {
      if (njev === 1) throw new NonFiniteError('leastSquares: the Jacobian is not finite at the start point');
      termination = 'non-finite-derivative';
      break;
    }
    qrfac(m, n, fjac, ipvt, wa1, wa2, wa3);
    if (iter === 1) {
      for (let j = 0; j < n; j++) diag[j] = wa2[j] === 0 ? 1 : wa2[j];
      for (let j = 0; j < n; j++) wa3[j] = diag[j] * x[j];
      xnorm = enorm(n, wa3);
      delta = factor * xnorm;
      if (delta === 0) delta = factor;
    }
    // Qᵀ r into qtf, and R's diagonal back on fjac's diagonal.
    wa4.set(fvec);
    for (let j = 0; j < n; j++) {
      const cj = j * m;
      if (fjac[cj + j] !== 0) {
        let sum = 0;
        for (let i = j; i < m; i++) sum += fjac[cj + i] * wa4[i];
        const temp = -sum / fjac[cj + j];
        for (let i = j; i < m; i++) wa4[i] += fjac[cj + i] * temp;
      }
      fjac[cj + j] = wa1[j];
      qtf[j] = wa4[j];
    }
    // The largest cosine between r and a column of J.
    let gnorm = 0;
    if (fnorm !== 0) {
      for (let j = 0; j < n; j++) {
        const l = ipvt[j];
        if (wa2[l] !== 0) {
          let sum = 0;
          for (let i = 0; i <= j; i++) sum += fjac[i + j * m] * (qtf[i] / fnorm);
          gnorm = Math.max(gnorm, Math.abs(sum / wa2[l]));
        }
      }
    }
    if (gnorm <= gtol) {
      termination = 'gtol';
      break;
    }
    for (let j = 0; j < n; j++) diag[j] = Math.max(diag[j], wa2[j]);

    for (;;) {
      par = lmpar(n, fjac, m, ipvt, diag, qtf, delta, par, wa1, wa2, wa5, wa6);
      for (let j = 0; j < n; j++) {
        wa1[j] = -wa1[j];
        xTrial[j] = x[j] + wa1[j];
        wa3[j] = diag[j] * wa1[j];
      }
      const pnorm = enorm(n, wa3);
      if (iter === 1) delta = Math.min(delta, pnorm);
      residualsAt(xTrial, wa4);
      nfev++;
      const lastTrialFinite = allFinite(wa4);
      const fnorm1 = lastTrialFinite ? enorm(m, wa4) : Infinity;
      const actred = 0.1 * fnorm1 < fnorm ? 1 - (fnorm1 / fnorm) ** 2 : -1;
      // The predicted reduction and the directional derivative.
      for (let j = 0; j < n; j++) {
        wa3[j] = 0;
        const temp = wa1[ipvt[j]];
        for (let i = 0; i <= j; i++) wa3[i] += fjac[i + j * m] * temp;
      }
      const temp1 = enorm(n, wa3) / fnorm;
      const temp2 = (Math.sqrt(par) * pnorm) / fnorm;
      const prered = temp1 * temp1 + (temp2 * temp2) / 0.5;
      const dirder = -(temp1 * temp1 + temp2 * temp2);
      const ratio = prered !== 0 ? actred / prered : 0;
      if (ratio <= 0.25) {
        let temp = actred >= 0 ? 0.5 : (0.5 * dirder) / (dirder + 0.5 * actred);
        if (0.1 * fnorm1 >= fnorm || temp < 0.1 || !lastTrialFinite) temp = 0.1;
        delta = temp * Math.min(delta, pnorm / 0.1);
        par /= temp;
      } else if (par === 0 || ratio >= 0.75) {
        delta = pnorm / 0.5;
        par *= 0.5;
      }
      if (ratio >= 1e-4) {
        x.set(xTrial);
        fvec.set(wa4);
        for (let j = 0; j < n; j++) wa2[j] = diag[j] * x[j];
        xnorm = enorm(n, wa2);
        fnorm = fnorm1;
        iter++;
      }
      if (Math.abs(actred) <= ftol && prered <= ftol && 0.5 * ratio <= 1) termination = 'ftol';
      else if (delta <= xtol * xnorm) termination = 'xtol';
      else if (nfev >= maxfev) termination = 'max-evaluations';
      else if (
        (Math.abs(actred) <= EPSMCH && prered <= EPSMCH && 0.5 * ratio <= 1) ||
        delta <= EPSMCH * xnorm ||
        delta <= DWARF ||
        gnorm <= EPSMCH
      )
        termination = 'machine-precision';
      if (termination !== undefined) {
        if (!lastTrialFinite && ratio < 1e-4 && termination !== 'max-evaluations') {
          termination = 'non-finite-value';
        }
        break outer;
      }
      if (ratio >= 1e-4) break;
    }
  }

  return summarize(problem, x, fvec, fjac, scratchJ, rowMajor, {
    iterations: iter - 1,
    evaluations: nfev,
    jacobianEvaluations: njev,
    termination,
    tolerances: { ftol, xtol, gtol, maxfev, maxjev },
  });
}

interface Tally {
  iterations: number;
  evaluations: number;
  jacobianEvaluations: number;
  termination: Termination;
  tolerances: { ftol: number; xtol: number; gtol: number; maxfev: number; maxjev: number };
}

function reasonFor(t: Termination, tol: Tally['tolerances'], rss: number, rank: number, n: number): string {
  switch (t) {
    case 'ftol':
      return `relative reduction of the sum of squares below ftol = ${tol.ftol}`;
    case 'xtol':
      return `relative step size below xtol = ${tol.xtol}`;
    case 'gtol':
      return rss === 0
        ? 'the residuals are exactly zero'
        : `the residuals are orthogonal to the Jacobian's columns to gtol = ${tol.gtol} (largest cosine)`;
    case 'machine-precision':
      return 'no further reduction of the sum of squares is possible in double precision';
    case 'max-evaluations':
      return `the budget of ${tol.maxfev} residual evaluations ran out before convergence`;
    case 'max-iterations':
      return `the budget of ${tol.maxjev} iterations (Jacobian evaluations) ran out before convergence`;
    case 'non-finite-value':
      return 'every trial step near the last point gave non-finite residuals, until the trust region vanished';
    case 'non-finite-derivative':
      return 'the Jacobian was not finite at the last accepted point, which is returned without standard errors';
    case 'singular-jacobian':
      return `the Jacobian at the solution has rank ${rank} < ${n}: some parameters are not determined by the data`;
    default:
      return t;
  }
}

/** The result at x: residuals, rss, and the covariance from a fresh Jacobian's pivoted QR. */
function summarize(
  problem: ResidualCallbacks,
  x: Float64Array,
  fvec: Float64Array,
  fjac: Float64Array,
  scratchJ: Float64Array,
  rowMajor: boolean,
  tally: Tally,
): LeastSquaresResult {
  const n = x.length;
  const m = problem.m;
  let rss = 0;
  for (let i = 0; i < m; i++) rss += fvec[i] * fvec[i];
  const dof = m - n;
  const s2 = dof > 0 ? rss / dof : 0;
  let termination = tally.termination;
  let jacobianEvaluations = tally.jacobianEvaluations;
  const covariance: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let rank = 0;
  if (termination !== 'non-finite-derivative') {
    const r = new Float64Array(m);
    problem.evaluate(x, r, scratchJ);
    jacobianEvaluations++;
    if (rowMajor)
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) fjac[i + j * m] = scratchJ[i * n + j];
    if (!allFinite(fjac)) termination = 'non-finite-derivative';
    else rank = covarianceOf(m, n, fjac, s2, covariance);
  }
  if (termination === 'non-finite-derivative') {
    for (let j = 0; j < n; j++) covariance[j][j] = Infinity;
  } else if (rank < n && isConvergence(termination)) termination = 'singular-jacobian';
  const standardErrors = covariance.map((row, j) => Math.sqrt(row[j]));
  return {
    x: Array.from(x),
    residuals: Array.from(fvec),
    rss,
    dof,
    residualStdDev: Math.sqrt(s2),
    covariance,
    standardErrors,
    rank,
    iterations: tally.iterations,
    evaluations: tally.evaluations,
    jacobianEvaluations,
    converged: isConvergence(termination),
    termination,
    reason: reasonFor(termination, tally.tolerances, rss, rank, n),
  };
}

/**
 * s² (JᵀJ)⁻¹ into `out` from the pivoted QR of J with its columns scaled to unit norm (so the rank test does not
 * depend on the parameters' units): (JᵀJ)⁻¹ = D⁻¹ P R⁻¹ R⁻ᵀ Pᵀ D⁻¹. Returns the numerical rank; a parameter
 * beyond it gets Infinity on the diagonal and 0 elsewhere. `J` (column-major) is overwritten.
 */
function covarianceOf(m: number, n: number, J: Float64Array, s2: number, out: number[][]): number {
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    norms[j] = enorm(m, J, j * m);
    if (norms[j] !== 0) for (let i = 0; i < m; i++) J[i + j * m] /= norms[j];
  }
  const ipvt = new Int32Array(n);
  const rdiag = new Float64Array(n);
  qrfac(m, n, J, ipvt, rdiag, new Float64Array(n), new Float64Array(n));
  const tol = Math.max(m, n) * EPSMCH * Math.abs(rdiag[0]);
  let rank = 0;
  while (rank < n && Math.abs(rdiag[rank]) > tol && norms[ipvt[rank]] !== 0) rank++;
  // R⁻¹ (upper triangular, rank × rank), column by column.
  const R = (i: number, j: number): number => (i === j ? rdiag[i] : J[i + j * m]);
  const inv = new Float64Array(rank * rank); // inv[i + j * rank]
  for (let j = 0; j < rank; j++) {
    inv[j + j * rank] = 1 / R(j, j);
    for (let i = j - 1; i >= 0; i--) {
      let sum = 0;
      for (let k = i + 1; k <= j; k++) sum += R(i, k) * inv[k + j * rank];
      inv[i + j * rank] = -sum / R(i, i);
    }
  }
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const pa = ipvt[a];
      const pb = ipvt[b];
      if (a >= rank || b >= rank) {
        out[pa][pb] = a === b ? Infinity : 0;
        continue;
      }
      let sum = 0;
      for (let k = Math.max(a, b); k < rank; k++) sum += inv[a + k * rank] * inv[b + k * rank];
      out[pa][pb] = (s2 * sum) / (norms[pa] * norms[pb]);
    }
  }
  return rank;
}
