import { InvalidInputError } from './errors.js';

/**
 * Options of {@link finiteDifference}.
 *
 * @example
 * ```ts
 * finiteDifference((x) => Math.sin(100 * x[0]!), [0.3], { step: 1e-3, steps: 16 });
 * ```
 */
export interface FiniteDifferenceOptions {
  /**
   * First (largest) step per entry, or one number for all. Default `0.1 · |x_i|` (0.1 at 0): Ridders' method wants a
   * step over which the function changes noticeably, and then shrinks it. The default is relative to the point, not
   * floored at an absolute size: a step larger than `|x_i|` straddles 0, where a function may have a kink or a pole
   * (`relu(x)` at 1e-300 would come out 0.5, `1/x` at 1e-25 far off), and nothing in the values would show it.
   */
  readonly step?: number | readonly number[];
  /** Factor the step shrinks by between tableau columns. Default 1.4 (Ridders). */
  readonly ratio?: number;
  /** Number of steps in one tableau. Default 12. */
  readonly steps?: number;
  /**
   * Up to this many more tableaus, each from a 10× smaller first step, until two neighbouring ones agree to 1e-10.
   * Default: as many as it takes for the steps to come down to the spacing of the doubles near the point (a first
   * step of 0.1·|x| is far too large for `sin(x)` at 1e6, and only smaller tableaus show it). The error estimate of
   * the tableau chosen includes how far the tableaus from smaller steps are from it, beyond their rounding.
   */
  readonly restarts?: number;
  /**
   * The absolute rounding error of `f` at a point, when the caller can bound it better than `eps·|f(x)|` (the
   * default). A function whose value is computed with cancellation or through steep functions (`exp(exp(x))`)
   * carries far more rounding than its last bit; the error estimate must not go below what that noise allows.
   */
  readonly noise?: (x: readonly number[]) => number;
}

/**
 * Result of {@link finiteDifference}: the gradient and, per entry, an estimate of its absolute error.
 *
 * @example
 * ```ts
 * const { gradient, error } = finiteDifference((x) => x[0]! ** 3, [2]);
 * // gradient[0] ≈ 12, error[0] ≈ 1e-13
 * finiteDifference((x) => Math.sin(x[0]!), [1e22]).error; // [Infinity]: the doubles are 2^21 apart there
 * ```
 */
export interface FiniteDifferenceResult {
  readonly gradient: number[];
  /** Per entry, an estimate of the absolute error; Infinity (or NaN) where no step resolves the derivative. */
  readonly error: number[];
  /** Per entry, why the error is not finite (`reason[i]` is undefined where `error[i]` is finite). */
  readonly reason: (string | undefined)[];
}

/** One derivative with its error estimate, and the part of that estimate that is rounding. */
interface Estimate {
  value: number;
  error: number;
  noise: number;
}

/** The sweep's choice, and whether neighbouring tableaus settled on it. */
interface Swept extends Estimate {
  converged: boolean;
}

/** One tableau's best estimate, and its central difference at its smallest step (with that one's rounding). */
interface Tableau extends Estimate {
  finest: { value: number; noise: number };
}

const EPS = Number.EPSILON;

/**
 * The gradient of `f` at `x` by central differences with Richardson extrapolation (Ridders' method, as in
 * Numerical Recipes' `dfridr` and numdifftools): per entry, central differences over a shrinking step sequence are
 * extrapolated to step 0 in a Neville tableau, and the entry with the smallest estimated error wins. The error
 * estimate is the distance to its neighbours in the tableau, floored by the rounding error of the differences, so
 * a caller can use it as a tolerance.
 *
 * Where the estimates do not settle, the central differences a few doubles wide are the last word: if the
 * function changes by more than 1% of its size within 16 doubles of the point, and not linearly, the doubles are
 * too coarse for any step to resolve the derivative (`sin(x)` at 1e22, where they are 2^21 apart), and the error is
 * Infinity with a reason.
 * An entry whose probes all give NaN or ±Infinity has gradient NaN, error Infinity and a reason too.
 *
 * @param f - a function of the whole point; it is called about `2 · steps` times per entry.
 * @param x - the point (finite numbers).
 * @example
 * ```ts
 * const { gradient, error } = finiteDifference((x) => Math.exp(x[0]!) * Math.sin(x[1]!), [1, 2]);
 * // gradient ≈ [e·sin 2, e·cos 2], each entry within its error[i] (about 1e-13 here) of the truth
 * ```
 */
export function finiteDifference(
  f: (x: readonly number[]) => number,
  x: readonly number[],
  opts: FiniteDifferenceOptions = {},
): FiniteDifferenceResult {
  const ratio = opts.ratio ?? 1.4;
  const steps = opts.steps ?? 12;
  const restarts = opts.restarts;
  if (!(ratio > 1) || !Number.isFinite(ratio)) throw new InvalidInputError(`ratio must be > 1, got ${ratio}`);
  if (!Number.isInteger(steps) || steps < 2)
    throw new InvalidInputError(`steps must be an integer >= 2, got ${steps}`);
  if (restarts !== undefined && (!Number.isInteger(restarts) || restarts < 0)) {
    throw new InvalidInputError(`restarts must be an integer >= 0, got ${restarts}`);
  }
  x.forEach((xi, i) => {
    if (!Number.isFinite(xi)) throw new InvalidInputError(`x[${i}] must be a finite number, got ${xi}`);
  });
  const step = opts.step;
  if (Array.isArray(step) && step.length !== x.length) {
    throw new InvalidInputError(`step has ${step.length} entries but x has ${x.length}`);
  }
  const gradient: number[] = [];
  const error: number[] = [];
  const reason: (string | undefined)[] = [];
  const probe = [...x];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] ?? NaN;
    const h0 = typeof step === 'number' ? step : (step?.[i] ?? (xi === 0 ? 0.1 : 0.1 * Math.abs(xi)));
    if (!(h0 > 0) || !Number.isFinite(h0))
      throw new InvalidInputError(`step for x[${i}] must be > 0, got ${h0}`);
    const along = (t: number): number => {
      probe[i] = t;
      const y = f(probe);
      probe[i] = xi;
      return y;
    };
    const noise = opts.noise;
    const noiseAlong =
      noise === undefined
        ? undefined
        : (t: number): number => {
            probe[i] = t;
            const y = noise(probe);
            probe[i] = xi;
            return y;
          };
    const finestStep = Math.max(Math.abs(xi) * EPS, Number.MIN_VALUE);
    const best = sweep(
      (h) => ridders(along, noiseAlong, xi, h, ratio, steps),
      h0,
      lastRestart(xi, h0, ratio, steps, restarts),
      restarts === undefined ? () => ridders(along, noiseAlong, xi, finestStep, ratio, 1).finest : undefined,
    );
    let why: string | undefined;
    if (Number.isNaN(best.value)) {
      why = 'no finite difference: every probe gave a value that is not a finite number';
    } else if (!best.converged && !resolvedAtSpacing(along, noiseAlong, xi)) {
      why = UNRESOLVED;
    } else if (!Number.isFinite(best.error)) {
      why = 'no step gave an error estimate (the probes left the domain or overflowed)';
    }
    gradient.push(best.value);
    error.push(why === undefined ? best.error : Infinity);
    reason.push(why);
  }
  return { gradient, error, reason };
}

const UNRESOLVED =
  'the function changes by more than 1% of its size within 16 doubles of x, and not linearly: the doubles ' +
  'are too coarse there for any step to resolve its derivative';

/**
 * Whether the doubles near `x0` can resolve the function's derivative, judged from central differences 1, 2, 4, 8
 * and 16 doubles wide. They cannot where the function changes there by more than 1% of its own size and not
 * linearly (the differences move beyond their rounding): then every step a double can take is on the scale the
 * function bends on. Sampled values cannot tell a function that bends there from one aliased by the doubles: at
 * 1e22 the doubles are 2^21 apart and `sin` is sampled at random phases; at 9.4e52 the phases advance by a fixed
 * angle per double and trace a smooth, slow sine that has nothing to do with `cos(x)`. Both fail this test; a
 * function that is merely noisy at this scale changes by far less than 1% of its size, and a linear one (`x - 1e22`
 * next to its root) gives equal differences.
 */
function resolvedAtSpacing(
  g: (t: number) => number,
  noise: ((t: number) => number) | undefined,
  x0: number,
): boolean {
  const a = Math.abs(x0);
  const ulp = a === 0 ? Number.MIN_VALUE : Math.max(2 ** (Math.floor(Math.log2(a)) - 52), Number.MIN_VALUE);
  const samples: { s: number; d: number; rounding: number }[] = [];
  let change = 0;
  for (const k of [1, 2, 4, 8, 16]) {
    const s = stepTaken(x0, k * ulp);
    if (!(s > 0) || s === samples[samples.length - 1]?.s) continue;
    const up = x0 + s;
    const down = x0 - s;
    const fUp = g(up);
    const fDown = g(down);
    const d = (fUp - fDown) / (up - down);
    // Outside the domain or past the double range: no evidence here either way.
    if (!Number.isFinite(d)) return true;
    const own = EPS * (Math.abs(fUp) + Math.abs(fDown));
    const rounding = (noise === undefined ? own : Math.max(own, noise(up) + noise(down))) / (up - down);
    samples.push({ s, d, rounding });
    const size = Math.max(Math.abs(fUp), Math.abs(fDown));
    if (size > 0) change = Math.max(change, Math.abs(fUp - fDown) / size);
  }
  const first = samples[0];
  if (first === undefined || !(change > 0.01)) return true;
  return samples.every((t) => Math.abs(t.d - first.d) <= 8 * (t.rounding + first.rounding));
}

/** The restart whose tableau's last step reaches about 2 doubles' spacing at `x`, or the caller's count. */
function lastRestart(
  x: number,
  h0: number,
  ratio: number,
  steps: number,
  restarts: number | undefined,
): number {
  if (restarts !== undefined) return restarts;
  const spacing = Math.max(Math.abs(x) * EPS, Number.MIN_VALUE);
  const smallest = 2 * spacing * ratio ** (steps - 1);
  return Math.min(MAX_RESTARTS, Math.max(1, Math.ceil(Math.log10(h0 / smallest))));
}
const MAX_RESTARTS = 40;

/**
 * Tableaus from successively 10× smaller first steps, until neighbouring ones agree to 1e-10 relative (three in a
 * row when the sweep may go on to the spacing of the doubles, two for a caller's count of restarts) or the restarts
 * run out, or the rounding at the current steps is a hundred times the error two neighbouring tableaus confirmed. A tableau's own estimate can be fooled by steps that are all too large (an oscillation averaged
 * away agrees with itself), so each tableau's error also counts how far every later one (smaller steps) lies from
 * it, beyond their rounding; the tableau with the smallest such error wins.
 */
function sweep(
  tableau: (h: number) => Tableau,
  h0: number,
  restarts: number,
  finestAt: (() => { value: number; noise: number }) | undefined,
): Swept {
  const toSpacing = finestAt !== undefined;
  const found: Tableau[] = [];
  let converged = false;
  let confirmed = Infinity;
  const agree = (a: Tableau | undefined, b: Tableau | undefined): boolean =>
    a !== undefined && b !== undefined && Math.abs(a.value - b.value) <= 1e-10 * Math.abs(a.value);
  for (let r = 0, h = h0; r <= restarts; r++, h /= 10) {
    const current = tableau(h);
    if (Number.isNaN(current.value)) continue;
    found.push(current);
    const n = found.length;
    // Two tableaus from steps that are all too large can agree by chance (an oscillation aliased the same way
    // twice); three in a row, when the sweep goes on to the spacing of the doubles, are the evidence.
    if (agree(found[n - 1], found[n - 2]) && (!toSpacing || agree(found[n - 2], found[n - 3]))) {
      converged = true;
      break;
    }
    // Two neighbouring tableaus that agree within their errors confirm an accuracy; once the rounding at the
    // current steps is far above it, smaller steps can only be worse (and cost a long expression dearly).
    const a = found[n - 2];
    if (a !== undefined && Math.abs(a.value - current.value) <= 2 * Math.max(a.error, current.error)) {
      confirmed = Math.min(confirmed, Math.max(a.error, current.error));
    }
    if (current.finest.noise > 100 * confirmed) break;
  }
  // Not converged: the central difference a few doubles wide is the most local evidence there is. At sin(1e16),
  // where the doubles are 2 apart, it shows that no step resolves the function; where the function is smooth its
  // rounding covers its distance from any estimate. Every estimate is held to it too, beyond rounding.
  const finest = converged || finestAt === undefined ? undefined : finestAt();
  let best: Estimate = { value: NaN, error: Infinity, noise: Infinity };
  found.forEach((t, r) => {
    let error = t.error;
    if (finest !== undefined && Number.isFinite(finest.value) && Number.isFinite(finest.noise))
      error = Math.max(error, Math.abs(t.value - finest.value) - finest.noise - t.noise);
    for (let s = r + 1; s < found.length; s++) {
      const later = found[s];
      if (later !== undefined)
        error = Math.max(error, Math.abs(t.value - later.value) - later.noise - t.noise);
    }
    if (error < best.error || Number.isNaN(best.value)) best = { value: t.value, error, noise: t.noise };
  });
  return { ...best, converged };
}

/**
 * The step actually taken around `x0` for a nominal `h`: `(x0 + h) - x0`, so that both probes `x0 ± step` are
 * doubles at exactly that distance. Far from 0 the doubles are coarse (at 1e12 they are 1.2e-4 apart), and the
 * nominal steps' ratios are not the ratios of the steps taken. 0 when no such step exists (below the spacing, or
 * the two probes would not be symmetric).
 */
function stepTaken(x0: number, h: number): number {
  let s = x0 + h - x0;
  for (let tries = 0; tries < 3 && s > 0; tries++) {
    const below = x0 - (x0 - s);
    if (below === s && x0 + s - x0 === s) return s;
    s = Math.min(s, below);
  }
  return 0;
}

/**
 * One Ridders tableau for the derivative of `g` at `x0`, first step `h0`. Neville's extrapolation uses the steps
 * actually taken (see {@link stepTaken}), so it stays exact for a polynomial in `h²` however coarse the doubles.
 */
function ridders(
  g: (t: number) => number,
  noise: ((t: number) => number) | undefined,
  x0: number,
  h0: number,
  ratio: number,
  steps: number,
): Tableau {
  let prev: number[] = [];
  let finest = { value: NaN, noise: Infinity };
  const taken: number[] = [];
  let previousStep = 0;
  let best: Estimate = { value: NaN, error: Infinity, noise: Infinity };
  let h = h0;
  for (let i = 0; i < steps; i++, h /= ratio) {
    const s = stepTaken(x0, h);
    // Below the spacing of the doubles, or the same step as the last one: nothing new to learn.
    if (!(s > 0) || s === previousStep) continue;
    previousStep = s;
    const up = x0 + s;
    const down = x0 - s;
    const fUp = g(up);
    const fDown = g(down);
    // The probes' own distance, which is the step taken up to rounding where x0 is far below it.
    const width = up - down;
    const d = (fUp - fDown) / width;
    if (!Number.isFinite(d)) {
      // Probes left the domain or overflowed: start the tableau again from this smaller step.
      if (prev.length === 0) continue;
      break;
    }
    // Rounding in the two values, magnified by the divisor: a floor for any estimate built on this column.
    const own = EPS * (Math.abs(fUp) + Math.abs(fDown));
    const rounding = (noise === undefined ? own : Math.max(own, noise(up) + noise(down))) / width;
    taken.push(width / 2);
    finest = { value: d, noise: rounding };
    const row: number[] = [d];
    for (let j = 1; j <= prev.length; j++) {
      const ratioSquared = ((taken[taken.length - 1 - j] ?? NaN) / (width / 2)) ** 2;
      const last = row[j - 1] ?? NaN;
      const above = prev[j - 1] ?? NaN;
      const v = last + (last - above) / (ratioSquared - 1);
      row.push(v);
      const err = Math.max(Math.abs(v - last), Math.abs(v - above), 8 * rounding);
      if (err <= best.error) best = { value: v, error: err, noise: 2 * rounding };
    }
    if (prev.length === 0 && best.error === Infinity) best = { value: d, error: Infinity, noise: rounding };
    // Higher orders got worse by a clear margin: rounding has taken over, later columns cannot help.
    const newest = row[row.length - 1] ?? NaN;
    const older = prev[prev.length - 1] ?? NaN;
    if (prev.length > 0 && Math.abs(newest - older) >= 2 * best.error) {
      if (best.error <= 1e-6 * Math.abs(best.value)) break;
    }
    prev = row;
  }
  return { ...best, finest };
}
