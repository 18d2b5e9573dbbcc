import { Value } from '@crossgrad/autograd';
import { InvalidInputError } from './errors.js';
import { finiteDifference, type FiniteDifferenceOptions } from './finite-difference.js';

/**
 * Options of {@link gradcheck} and {@link checkGradient}; the defaults are torch.autograd.gradcheck's.
 *
 * @example
 * ```ts
 * gradcheck(([x]) => x!.tanh(), [0.5], { atol: 1e-8, rtol: 1e-6 });
 * ```
 */
export interface GradcheckOptions {
  /** Absolute tolerance. Default 1e-5. */
  readonly atol?: number;
  /** Relative tolerance, times |numeric|. Default 1e-3. */
  readonly rtol?: number;
  /** Passed to {@link finiteDifference} for the numeric gradient. */
  readonly finiteDifference?: FiniteDifferenceOptions;
}

/**
 * One input's analytic and numeric derivative and how far apart they are.
 *
 * @example
 * ```ts
 * const { worst } = gradcheck(([x]) => x!.mul(x!), [3]);
 * worst.analytic; // 6
 * ```
 */
export interface GradcheckEntry {
  /** Index of the input. */
  readonly index: number;
  /** The derivative under test (from `backward()` or the user's gradient). */
  readonly analytic: number;
  /** The finite-difference derivative. */
  readonly numeric: number;
  /** The finite difference's own error estimate. */
  readonly numericError: number;
  /** `|analytic - numeric|`. */
  readonly absError: number;
  /** `|analytic - numeric| / |numeric|` (0 when both are 0). */
  readonly relError: number;
  /** `atol + rtol·|numeric|`. */
  readonly tolerance: number;
  /** Within tolerance (false for NaN). */
  readonly ok: boolean;
  /**
   * Set when the entry failed because a kink of the function lies within the finite difference's step (its
   * one-sided slopes differ however small the step, as `abs` at 0): the numeric derivative is no evidence there, and
   * the entry is not counted as a failure. Says which one-sided slopes were seen.
   */
  readonly kink: string | undefined;
  /**
   * Set when the numeric derivative could not be taken (NaN, or an infinite error estimate: see
   * `FiniteDifferenceResult.reason`) while the analytic one is a number: there is nothing to check it against,
   * so the entry is not judged, and this says why. A NaN analytic gradient still fails.
   */
  readonly unresolved: string | undefined;
}

/**
 * Result of {@link gradcheck} / {@link checkGradient}.
 *
 * @example
 * ```ts
 * const r = gradcheck(([x, y]) => x!.mul(y!), [2, 3]);
 * r.ok; // true
 * r.entries.map((e) => e.analytic); // [3, 2]
 * ```
 */
export interface GradcheckResult {
  /**
   * Every entry within tolerance, or not judged: a kink within the step ({@link GradcheckEntry.kink}) or no numeric
   * derivative to check against ({@link GradcheckEntry.unresolved}).
   */
  readonly ok: boolean;
  /** The function's value at `x`. */
  readonly value: number;
  /** One entry per input. */
  readonly entries: readonly GradcheckEntry[];
  /** The entry furthest outside (or least inside) its tolerance. */
  readonly worst: GradcheckEntry;
  /**
   * One line naming the worst entry, e.g. `x[1]: analytic 2, numeric 3 (abs error 1, rel error 0.33)`, or
   * `x[0]: kink within the step (…); not judged` when every entry that failed did so at a kink, or
   * `x[0]: no numeric derivative (…); not judged` where finite differences could not take one.
   */
  readonly summary: string;
}

/**
 * Checks the gradient a `Value` function computes with `backward()` against finite differences, like
 * `torch.autograd.gradcheck`: it passes when `|analytic - numeric| <= atol + rtol·|numeric|` for every input.
 * The numeric side is {@link finiteDifference} (Richardson-extrapolated, far more accurate than one fixed step);
 * the result names the worst entry. `fn` is called with fresh leaves (labelled `x0`, `x1`, …) each time.
 *
 * @param fn - the function under test, from input leaves to an output `Value`.
 * @param x - the point.
 * @throws InvalidInputError when `x` is empty or not finite, or `fn` does not return a `Value`.
 * @example
 * ```ts
 * // A hand-made softplus whose backward pass is what is being tested.
 * const softplus = ([x]: Value[]) => x!.exp().add(1).log();
 * const r = gradcheck(softplus, [0.3]);
 * r.ok; // true
 * r.summary; // 'x[0]: analytic 0.574…, numeric 0.574… (abs error 1e-16, rel error 2e-16)'
 * ```
 */
export function gradcheck(
  fn: (xs: Value[]) => Value,
  x: readonly number[],
  opts: GradcheckOptions = {},
): GradcheckResult {
  const call = (point: readonly number[], labelled: boolean): { leaves: Value[]; out: Value } => {
    const leaves = point.map((v, i) => new Value(v, labelled ? `x${i}` : ''));
    const out = fn(leaves);
    if (!(out instanceof Value)) {
      throw new InvalidInputError(`gradcheck: fn must return a Value, got ${describe(out)}`);
    }
    return { leaves, out };
  };
  return check(
    (point) => {
      const { leaves, out } = call(point, true);
      out.backward();
      return { value: out.data, gradient: leaves.map((l) => l.grad) };
    },
    (point) => call(point, false).out.data,
    x,
    opts,
  );
}

/**
 * {@link gradcheck} for a hand-written gradient: `f(x)` returns the value and the gradient it claims, for example
 * code derived on paper, or `compileGradient` of @crossgrad/symbolic wrapped as `(x) => g(...x)`.
 *
 * @example
 * ```ts
 * // d/dx x·sin x written with a sign error:
 * const f = (x: readonly number[]) => ({ value: x[0]! * Math.sin(x[0]!), gradient: [Math.sin(x[0]!) - x[0]! * Math.cos(x[0]!)] });
 * const r = checkGradient(f, [1]);
 * r.ok; // false
 * r.worst.index; // 0
 * ```
 */
export function checkGradient(
  f: (x: readonly number[]) => { value: number; gradient: readonly number[] },
  x: readonly number[],
  opts: GradcheckOptions = {},
): GradcheckResult {
  const call = (point: readonly number[]): { value: number; gradient: readonly number[] } => {
    const r = f(point);
    if (typeof r !== 'object' || r === null || typeof r.value !== 'number' || !Array.isArray(r.gradient)) {
      throw new InvalidInputError(
        `checkGradient: f must return { value: number, gradient: number[] }, got ${describe(r)}`,
      );
    }
    if (r.gradient.length !== point.length) {
      throw new InvalidInputError(
        `checkGradient: f returned ${r.gradient.length} gradient entries for ${point.length} inputs`,
      );
    }
    return r;
  };
  return check(call, (point) => call(point).value, x, opts);
}

function check(
  analyticAt: (x: readonly number[]) => { value: number; gradient: readonly number[] },
  valueAt: (x: readonly number[]) => number,
  x: readonly number[],
  opts: GradcheckOptions,
): GradcheckResult {
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  if (!(atol >= 0) || !(rtol >= 0))
    throw new InvalidInputError(`atol and rtol must be >= 0, got ${atol} and ${rtol}`);
  if (x.length === 0) throw new InvalidInputError('gradcheck needs at least one input');
  x.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(`x[${i}] must be a finite number, got ${String(v)}`);
    }
  });
  const { value, gradient } = analyticAt(x);
  const numeric = finiteDifference(valueAt, x, opts.finiteDifference);
  const entryOf = (index: number, analytic: number, n: number, numericError: number): GradcheckEntry => {
    const absError = Math.abs(analytic - n);
    const scale = Math.abs(n);
    const relError = absError === 0 ? 0 : absError / scale;
    const tolerance = atol + rtol * scale;
    return {
      index,
      analytic,
      numeric: n,
      numericError,
      absError,
      relError,
      tolerance,
      ok: absError <= tolerance,
      kink: undefined,
      unresolved: undefined,
    };
  };
  const entries = gradient.map((analytic, index): GradcheckEntry => {
    const first = entryOf(index, analytic, numeric.gradient[index] ?? NaN, numeric.error[index] ?? NaN);
    if (first.ok || Number.isNaN(analytic)) return first;
    const why = numeric.reason[index];
    if (why !== undefined) return { ...first, unresolved: why };
    if (!Number.isFinite(analytic)) return first;
    // A failure may be a kink inside the finite difference's stencil, not a wrong gradient.
    const along = (t: number): number => valueAt(x.map((v, i) => (i === index ? t : v)));
    const probe = kinkProbe(along, x[index] ?? NaN, first.tolerance);
    if (probe.kind === 'at') return { ...first, kink: probe.detail };
    if (probe.kind === 'near') {
      // Smooth at the point, with a kink within the first step: retake the numeric derivative inside it.
      const retaken = finiteDifference(valueAt, x, { ...opts.finiteDifference, step: probe.step });
      const again = entryOf(index, analytic, retaken.gradient[index] ?? NaN, retaken.error[index] ?? NaN);
      return again.ok ? again : { ...again, kink: undefined };
    }
    return first;
  });
  const judged = (e: GradcheckEntry): boolean => e.kink === undefined && e.unresolved === undefined;
  const badness = (e: GradcheckEntry): number =>
    !judged(e) ? -Infinity : Number.isNaN(e.absError) ? Infinity : e.absError / e.tolerance;
  const worst = entries.reduce((w, e) => (badness(e) > badness(w) ? e : w));
  const summary =
    worst.unresolved !== undefined
      ? `x[${worst.index}]: no numeric derivative (${worst.unresolved}); not judged`
      : worst.kink !== undefined
        ? `x[${worst.index}]: kink within the step (${worst.kink}); not judged`
        : `x[${worst.index}]: analytic ${worst.analytic}, numeric ${worst.numeric} ` +
          `(abs error ${worst.absError.toPrecision(3)}, rel error ${worst.relError.toPrecision(3)}, tolerance ${worst.tolerance.toPrecision(3)})`;
  return { ok: entries.every((e) => e.ok || !judged(e)), value, entries, worst, summary };
}

/** What the one-sided slopes say about a failed entry. */
type Probe =
  | { readonly kind: 'at'; readonly detail: string }
  | { readonly kind: 'near'; readonly step: number }
  | { readonly kind: 'smooth' };

/**
 * Looks for a kink next to `x0` from one-sided differences at steps shrinking 16× at a time, from `0.1·max(|x0|, 1)`
 * down to a thousand doubles' spacing or to where the rounding of `f` would show. Where `f` is smooth their gap shrinks with the step; across a kink it does
 * not. The gap staying above `tolerance` down to the smallest step is a kink at the point (`at`); a gap that
 * closes below the tolerance at some step is a kink within the larger steps only (`near`, with the largest step
 * clear of it).
 */
function kinkProbe(f: (t: number) => number, x0: number, tolerance: number): Probe {
  const f0 = f(x0);
  // Below this step the rounding of f itself, divided by the step, would fill a quarter of the tolerance.
  const smallest = Math.max(
    1024 * Math.abs(x0) * Number.EPSILON,
    (16 * Number.EPSILON * Math.abs(f0)) / tolerance,
    1e-300,
  );
  const gaps: { step: number; forward: number; backward: number; gap: number }[] = [];
  for (let h = 0.1 * Math.max(Math.abs(x0), 1); h >= smallest; h /= 16) {
    const up = x0 + h;
    const down = x0 - h;
    const forward = (f(up) - f0) / (up - x0);
    const backward = (f0 - f(down)) / (x0 - down);
    gaps.push({ step: h, forward, backward, gap: Math.abs(forward - backward) });
  }
  const last = gaps[gaps.length - 1];
  const before = gaps[gaps.length - 2];
  if (last === undefined || before === undefined || !Number.isFinite(last.gap)) return { kind: 'smooth' };
  if (last.gap > tolerance && last.gap > before.gap / 4) {
    return {
      kind: 'at',
      detail: `one-sided slopes ${last.backward.toPrecision(6)} and ${last.forward.toPrecision(6)} at step ${last.step.toPrecision(3)}`,
    };
  }
  // The largest step from which the gap stays closed (below half the tolerance) all the way down.
  let clear: number | undefined;
  for (let k = gaps.length - 1; k >= 0; k--) {
    const g = gaps[k];
    if (g === undefined || !(g.gap <= tolerance / 2)) break;
    clear = g.step;
  }
  const widest = gaps[0];
  return clear !== undefined && widest !== undefined && clear < widest.step && widest.gap > tolerance
    ? { kind: 'near', step: clear }
    : { kind: 'smooth' };
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return x.constructor?.name ?? 'an object';
  return `${typeof x} ${String(x)}`;
}
