import { compileGraph, Value } from '@crossgrad/autograd';
import {
  compileGradient,
  SymbolicError,
  UnknownVariableError as SymbolicUnknownVariableError,
  variables,
  type Expr,
} from '@crossgrad/symbolic';
import { InvalidInputError, NonFiniteError, UnknownVariableError } from './errors.js';
import { parseFormula } from './fit.js';
import type { Termination } from './termination.js';

/**
 * Options of {@link minimize}. The defaults are the same for every problem.
 *
 * @example
 * ```ts
 * const options: MinimizeOptions = { memory: 5, gtol: 1e-8 };
 * ```
 */
export interface MinimizeOptions {
  /** Stop when ‖∇f‖∞ ≤ gtol. Default 1e-10. */
  gtol?: number;
  /** Stop when the last 10 iterations together reduced f by at most ftol · |f| (relative to f itself, so a
   * minimum value near 0 is left to the gradient test), or raised it: an accepted step can raise f only under the
   * approximate Wolfe conditions (by at most 1e-6 · |f|, the curvature condition met), where f no longer resolves
   * the progress. The reduction is
   * measured over several iterations, as liblbfgs's `past`/`delta` test does (N. Okazaki, liblbfgs), because the gradient can still
   * make progress through a few iterations whose change of f is lost in rounding. 0 turns the test off. An
   * f-based test stops with x about √(ftol · |f| / λ) from the minimiser (λ the Hessian's smallest eigenvalue).
   * Default 1e-15. */
  ftol?: number;
  /** The most iterations. Default 10,000. */
  maxIterations?: number;
  /** The most evaluations of f and its gradient (together), the start's included. Default 20,000. */
  maxEvaluations?: number;
  /** How many correction pairs (s, y) L-BFGS keeps. Default 20, the top of the range 3–20 Nocedal and Wright
   * (§7.2) recommend: Liu and Nocedal (1989) found more pairs to save iterations on ill-conditioned problems. */
  memory?: number;
  /** The line search's sufficient-decrease constant c1 and curvature constant c2, 0 < c1 < c2 < 1. Defaults
   * 1e-4 and 0.9. */
  c1?: number;
  c2?: number;
}

/**
 * The result of {@link minimize}.
 *
 * @example
 * ```ts
 * const { point, value, converged }: MinimizeResult = minimize('(x - 1)^2 + (y + 2)^2', { x: 0, y: 0 });
 * ```
 */
export interface MinimizeResult {
  /** The point found by name: the keys of the start, or x0, x1, … for an array start. */
  point: Record<string, number>;
  /** The same point as an array, in the order of the names. */
  x: number[];
  /** f at the point. */
  value: number;
  /** ‖∇f‖∞ at the point. */
  gradientNorm: number;
  iterations: number;
  /** Evaluations of f and its gradient (together). */
  evaluations: number;
  converged: boolean;
  termination: Termination;
  /** One sentence saying why the solver stopped. */
  reason: string;
}

/** How much above f(x) a step may leave f under the approximate Wolfe conditions, relative to |f(x)|: Hager and
 * Zhang's ε = 1e-6 (SIAM J. Optim. 16, 2005, §4). A sum of squares whose residuals cancel can carry a rounding
 * error of about 4e-11 relative to f (measured on Watson's function, n = 12, near its minimum), far above a few units of
 * rounding, and a tighter bound makes the line search fail there although the step meets the curvature
 * condition. */
const APPROXIMATE = 1e-6;

/** How many iterations back the f-based test measures the reduction: liblbfgs's `past` (N. Okazaki, liblbfgs,
 * `lbfgs_parameter_t`), whose test stops when (f_{k−past} − f_k) / f_k < delta. */
const PAST = 10;

/** f and its gradient at x: returns f, writes the gradient into g. */
type ValueAndGradient = (x: Float64Array, g: Float64Array) => number;

function option(
  options: Record<string, unknown>,
  name: string,
  fallback: number,
  min: number,
  max = Infinity,
) {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v >= min && v <= max)) {
    throw new InvalidInputError(
      `options.${name}`,
      `minimize: options.${name} must be a number in [${min}, ${max}], got ${String(v)}`,
    );
  }
  return v;
}

function infNorm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s = Math.max(s, Math.abs(v[i]));
  return s;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** The names and start values, and f with its exact gradient. */
function setUp(
  objective: string | Expr | ((x: readonly Value[]) => Value),
  start: Readonly<Record<string, number>> | readonly number[],
): { names: string[]; x0: Float64Array; fg: ValueAndGradient } {
  if (typeof start !== 'object' || start === null) {
    throw new InvalidInputError('start', 'minimize: start must be an object of values by name or an array');
  }
  const isArray = Array.isArray(start) || start instanceof Float64Array;
  let names: string[];
  let values: number[];
  if (isArray) {
    values = Array.from(start as readonly number[]);
    names = values.map((_, j) => `x${j}`);
  } else {
    names = Object.keys(start);
    values = names.map((n) => (start as Record<string, number>)[n]);
  }
  if (names.length === 0) throw new InvalidInputError('start', 'minimize: start gives no variables');
  values.forEach((v, j) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(
        'start',
        `minimize: the start value of ${names[j]} must be a finite number, got ${String(v)}`,
      );
    }
  });
  const x0 = Float64Array.from(values);
  const n = names.length;
  if (typeof objective === 'function') {
    const leaves = values.map((v, j) => new Value(v, names[j]));
    const out = objective(leaves);
    if (!(out instanceof Value)) {
      throw new InvalidInputError('objective', 'minimize: the objective function must return a Value');
    }
    const graph = compileGraph(out, leaves);
    return {
      names,
      x0,
      fg: (x, g) => {
        const r = graph.run(x);
        g.set(r.gradient);
        return r.value;
      },
    };
  }
  let e: Expr;
  if (typeof objective === 'string') e = parseFormula(objective, 'objective', 'minimize');
  else if (typeof objective === 'object' && objective !== null && 'kind' in objective) e = objective;
  else
    throw new InvalidInputError(
      'objective',
      'minimize: the objective must be a formula, an Expr or a function',
    );
  if (isArray) {
    // An array start names the formula's variables in sorted order.
    const vars = variables(e);
    if (vars.length !== n) {
      throw new InvalidInputError(
        'start',
        `minimize: the formula has ${vars.length} variables (${vars.join(', ')}), the start ${n} values`,
      );
    }
    names = vars;
  }
  let f: (...xs: number[]) => { value: number; gradient: number[] };
  try {
    f = compileGradient(e, names);
  } catch (err) {
    if (err instanceof SymbolicUnknownVariableError) {
      throw new UnknownVariableError(
        err.variable,
        `minimize: the objective uses '${err.variable}', which has no start value`,
      );
    }
    if (err instanceof SymbolicError) throw new InvalidInputError('objective', `minimize: ${err.message}`);
    throw err;
  }
  const args = new Array<number>(n);
  return {
    names,
    x0,
    fg: (x, g) => {
      for (let j = 0; j < n; j++) args[j] = x[j];
      const r = f(...args);
      for (let j = 0; j < n; j++) g[j] = r.gradient[j];
      return r.value;
    },
  };
}

/**
 * Minimise a smooth function by L-BFGS (J. Nocedal, "Updating quasi-Newton matrices with limited storage", Math.
 * Comp. 35, 1980; D. C. Liu and J. Nocedal, "On the limited memory BFGS method for large scale optimization",
 * Math. Prog. 45, 1989): the two-loop recursion over the last `memory` pairs (s, y), the initial matrix γ I with
 * γ = sᵀy / yᵀy, and a line search satisfying the strong Wolfe conditions (J. Nocedal and S. J. Wright, Numerical
 * Optimization, 2nd ed., Algorithms 3.5 and 3.6, with safeguarded cubic interpolation); where f's change is within
 * rounding, the approximate Wolfe conditions (W. W. Hager and H. Zhang, SIAM J. Optim. 16, 2005) accept a step by
 * its gradient, so the gradient test can be met even when f no longer resolves the decrease. A trial point where
 * f or its gradient is not finite counts as too long a step: the line search backs off.
 *
 * The objective is a formula (or `Expr`) whose exact gradient is compiled once (symbolic `compileGradient`), or a
 * function of autograd `Value`s, recorded once at the start point and replayed by `compileGraph` (so its control
 * flow is fixed at the start). Variables are named by the keys of `start`; an array start names them x0, x1, …
 * for a function, and in sorted order for a formula.
 *
 * @throws InvalidInputError for a start that is empty or not finite, a bad option.
 * @throws UnknownVariableError for a variable of the formula without a start value.
 * @throws NonFiniteError when f or its gradient is not finite at the start.
 * @example
 * ```ts
 * const r = minimize('100*(y - x^2)^2 + (1 - x)^2', { x: -1.2, y: 1 });
 * r.point; // { x: 1, y: 1 } to about 1e-10
 * ```
 */
export function minimize(
  objective: string | Expr | ((x: readonly Value[]) => Value),
  start: Readonly<Record<string, number>> | readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options', 'minimize: options must be an object');
  }
  const o = options as Record<string, unknown>;
  const gtol = option(o, 'gtol', 1e-10, 0);
  const ftol = option(o, 'ftol', 1e-15, 0);
  const maxIterations = option(o, 'maxIterations', 10_000, 1);
  const maxEvaluations = option(o, 'maxEvaluations', 20_000, 1);
  const memory = Math.floor(option(o, 'memory', 20, 1));
  const c1 = option(o, 'c1', 1e-4, 0, 1);
  const c2 = option(o, 'c2', 0.9, c1, 1);
  const { names, x0, fg } = setUp(objective, start);
  const n = x0.length;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f) || !allFinite(g)) {
    throw new NonFiniteError('minimize: the objective or its gradient is not finite at the start point');
  }
  const S = Array.from({ length: memory }, () => new Float64Array(n));
  const Y = Array.from({ length: memory }, () => new Float64Array(n));
  const rho = new Float64Array(memory);
  const alpha = new Float64Array(memory);
  let stored = 0;
  let newest = -1;
  const d = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const xLo = new Float64Array(n);
  const gLo = new Float64Array(n);
  let iterations = 0;
  let termination: Termination | undefined;
  let previousReduction = Infinity;
  /** f at the last PAST + 1 iterates, oldest first. */
  const history: number[] = [f];

  for (;;) {
    if (infNorm(g) <= gtol) {
      termination = 'gtol';
      break;
    }
    if (ftol > 0 && previousReduction <= ftol * Math.abs(f)) {
      termination = 'ftol';
      break;
    }
    if (iterations >= maxIterations) {
      termination = 'max-iterations';
      break;
    }
    if (evaluations >= maxEvaluations) {
      termination = 'max-evaluations';
      break;
    }
    // d = -H g by the two-loop recursion.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = 0, idx = newest; k < stored; k++, idx = (idx - 1 + memory) % memory) {
      alpha[idx] = rho[idx] * dot(S[idx], d);
      const y = Y[idx];
      for (let i = 0; i < n; i++) d[i] -= alpha[idx] * y[i];
    }
    if (stored > 0) {
      const gamma = dot(S[newest], Y[newest]) / dot(Y[newest], Y[newest]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (
      let k = 0, idx = (newest - stored + 1 + memory) % memory;
      k < stored;
      k++, idx = (idx + 1) % memory
    ) {
      const beta = rho[idx] * dot(Y[idx], d);
      const s = S[idx];
      for (let i = 0; i < n; i++) d[i] += (alpha[idx] - beta) * s[i];
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (rounding in the memory): start again from steepest descent.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = dot(g, d);
    }
    // The first step (and the first after a restart) has Euclidean length 1, as in L-BFGS-B; later ones try the
    // quasi-Newton step.
    const step0 = stored === 0 ? 1 / Math.sqrt(dot(d, d)) : 1;

    // Line search: Nocedal & Wright, Algorithm 3.5 (bracketing) and 3.6 (zoom).
    let fLo = f;
    let slopeLo = slope;
    let aLo = 0;
    let aHi = NaN;
    let fHi = NaN;
    let slopeHi = NaN;
    let fPrev = f;
    let a = step0;
    let accepted = false;
    let sawNonFinite = false;
    let zooming = false;
    let fTrial = NaN;
    let unbounded = false;
    // The bracket's low end becomes the trial just evaluated (step, value, slope, point and gradient).
    const keepLow = (at: number, fAt: number, slopeAt: number): void => {
      aLo = at;
      fLo = fAt;
      slopeLo = slopeAt;
      xLo.set(xt);
      gLo.set(gt);
    };
    // At most 20 trials a search, as L-BFGS-B's line search allows.
    for (let trial = 0; trial < 20; trial++) {
      if (evaluations >= maxEvaluations) break;
      for (let i = 0; i < n; i++) xt[i] = x[i] + a * d[i];
      const ft = fg(xt, gt);
      evaluations++;
      if (!Number.isFinite(ft) || !allFinite(gt)) {
        // Too far: back off toward the last good step.
        sawNonFinite = true;
        aHi = a;
        fHi = Infinity;
        slopeHi = NaN;
        zooming = true;
        a = aLo + 0.5 * (a - aLo);
        if (a - aLo <= 1e-16 * Math.max(1, aLo)) break;
        continue;
      }
      const st = dot(gt, d);
      // Near the minimum, f's change is lost in rounding long before the gradient's is: there the approximate
      // Wolfe conditions of Hager and Zhang accept a step that keeps f within rounding of its value and satisfies
      // the curvature condition, so the gradient can still be driven down.
      if (ft <= f + APPROXIMATE * Math.abs(f) && Math.abs(st) <= -c2 * slope && st <= (2 * c1 - 1) * slope) {
        accepted = true;
        fTrial = ft;
        break;
      }
      if (!zooming) {
        if (ft > f + c1 * a * slope || (trial > 0 && ft >= fPrev)) {
          aHi = a;
          fHi = ft;
          slopeHi = st;
          zooming = true;
        } else if (Math.abs(st) <= -c2 * slope) {
          accepted = true;
          fTrial = ft;
          break;
        } else if (st >= 0) {
          aHi = aLo;
          fHi = fLo;
          slopeHi = slopeLo;
          keepLow(a, ft, st);
          zooming = true;
        } else {
          // Still going down steeply: a longer step.
          fPrev = ft;
          keepLow(a, ft, st);
          a *= 4;
          if (a > 1e10 * step0) {
            unbounded = true;
            break;
          }
          continue;
        }
      } else if (ft > f + c1 * a * slope || ft >= fLo) {
        aHi = a;
        fHi = ft;
        slopeHi = st;
      } else {
        if (Math.abs(st) <= -c2 * slope) {
          accepted = true;
          fTrial = ft;
          break;
        }
        if (st * (aHi - aLo) >= 0) {
          aHi = aLo;
          fHi = fLo;
          slopeHi = slopeLo;
        }
        keepLow(a, ft, st);
      }
      // The next trial inside the bracket [aLo, aHi]: the cubic's minimiser, kept away from the ends.
      a = interpolate(aLo, fLo, slopeLo, aHi, fHi, slopeHi);
      if (Math.abs(aHi - aLo) <= 1e-16 * Math.max(1, Math.abs(aLo))) break;
    }
    // Accept the trial, or else the best point with sufficient decrease the search found.
    const take = accepted ? xt : aLo > 0 ? xLo : null;
    if (take === null && !sawNonFinite && stored > 0 && evaluations < maxEvaluations) {
      // As L-BFGS-B does: a search that fails along the quasi-Newton direction is retried once along steepest
      // descent, with the memory dropped (it may hold pairs that rounding has made useless).
      stored = 0;
      continue;
    }
    if (take === null) {
      termination = sawNonFinite
        ? 'non-finite-value'
        : evaluations >= maxEvaluations
          ? 'max-evaluations'
          : 'line-search-failed';
      break;
    }
    if (unbounded) {
      // Every step up to 10^10 times the first went further down: f looks unbounded below.
      x.set(xLo);
      g.set(gLo);
      f = fLo;
      iterations++;
      termination = 'line-search-failed';
      break;
    }
    const gNew = accepted ? gt : gLo;
    const fAccepted = accepted ? fTrial : fLo;
    // Update the memory with s = x_new - x, y = g_new - g, when the curvature sᵀy is positive.
    const slot = (newest + 1) % memory;
    const s = S[slot];
    const y = Y[slot];
    for (let i = 0; i < n; i++) {
      s[i] = take[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 0) {
      rho[slot] = 1 / sy;
      newest = slot;
      stored = Math.min(stored + 1, memory);
    } else if (stored === memory) {
      // The pair is dropped, but its slot held the oldest kept pair, now overwritten: drop that one too.
      stored--;
    }
    history.push(fAccepted);
    if (history.length > PAST + 1) history.shift();
    previousReduction = history.length > PAST ? history[0] - fAccepted : Infinity;
    x.set(take);
    g.set(gNew);
    f = fAccepted;
    iterations++;
  }
  const gradientNorm = infNorm(g);
  return {
    point: Object.fromEntries(names.map((name, j) => [name, x[j]])),
    x: Array.from(x),
    value: f,
    gradientNorm,
    iterations,
    evaluations,
    converged: termination === 'gtol' || termination === 'ftol',
    termination,
    reason: reasonFor(termination, { gtol, ftol, maxIterations, maxEvaluations }, gradientNorm),
  };
}

function reasonFor(
  t: Termination,
  tol: { gtol: number; ftol: number; maxIterations: number; maxEvaluations: number },
  gradientNorm: number,
): string {
  switch (t) {
    case 'gtol':
      return gradientNorm === 0
        ? 'the gradient is exactly zero'
        : `the gradient's largest component is below gtol = ${tol.gtol}`;
    case 'ftol':
      return `the reduction of f over the last ${PAST} iterations relative to |f| is below ftol = ${tol.ftol}`;
    case 'max-iterations':
      return `the budget of ${tol.maxIterations} iterations ran out before convergence`;
    case 'max-evaluations':
      return `the budget of ${tol.maxEvaluations} evaluations ran out before convergence`;
    case 'non-finite-value':
      return 'f or its gradient was not finite at every trial step along the search direction';
    default:
      return 'the line search found no step satisfying the strong Wolfe conditions (f is unbounded below along the direction, or rounding hides any further decrease)';
  }
}

/** The minimiser of the cubic matching f and f' at a and b (Nocedal & Wright, eq. 3.59), kept at least a tenth of
 * the interval from either end; the midpoint where the cubic has none or an end is not finite. */
/** How close to an end of the bracket an interpolated trial may come, relative to the bracket's width. */
const MARGIN = 0.1;

function interpolate(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const margin = MARGIN * (hi - lo);
  const mid = 0.5 * (a + b);
  if (!Number.isFinite(fb) || !Number.isFinite(db)) return mid;
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return mid;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  const t = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
  if (!Number.isFinite(t) || t < lo || t > hi) return mid;
  // Inside the bracket the cubic's minimiser is taken, only kept off the ends: a minimiser close to one end (a
  // first step many times too long) is reached in a few trials, where bisection would take dozens.
  return Math.min(Math.max(t, lo + margin), hi - margin);
}
