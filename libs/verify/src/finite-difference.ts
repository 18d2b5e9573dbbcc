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
   * First (largest) step per entry, or one number for all. Default `0.1 · max(|x_i|, 1)`: Ridders' method wants a
   * step over which the function changes noticeably, and then shrinks it.
   */
  readonly step?: number | readonly number[];
  /** Factor the step shrinks by between tableau columns. Default 1.4 (Ridders). */
  readonly ratio?: number;
  /** Number of steps in one tableau. Default 12. */
  readonly steps?: number;
  /**
   * Up to this many more tableaus, each from a 10× smaller first step, until two neighbouring ones agree to 1e-10.
   * Default 3. The error estimate includes the difference between the two tableaus chosen.
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
 * ```
 */
export interface FiniteDifferenceResult {
  readonly gradient: number[];
  readonly error: number[];
}

/** One derivative with its error estimate. */
interface Estimate {
  value: number;
  error: number;
}

const EPS = Number.EPSILON;

/**
 * The gradient of `f` at `x` by central differences with Richardson extrapolation (Ridders' method, as in
 * Numerical Recipes' `dfridr` and numdifftools): per entry, central differences over a shrinking step sequence are
 * extrapolated to step 0 in a Neville tableau, and the entry with the smallest estimated error wins. The error
 * estimate is the distance to its neighbours in the tableau, floored by the rounding error of the differences, so
 * a caller can use it as a tolerance.
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
  const restarts = opts.restarts ?? 3;
  if (!(ratio > 1) || !Number.isFinite(ratio)) throw new InvalidInputError(`ratio must be > 1, got ${ratio}`);
  if (!Number.isInteger(steps) || steps < 2)
    throw new InvalidInputError(`steps must be an integer >= 2, got ${steps}`);
  if (!Number.isInteger(restarts) || restarts < 0) {
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
  const probe = [...x];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const h0 = typeof step === 'number' ? step : (step?.[i] ?? 0.1 * Math.max(Math.abs(xi), 1));
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
    // Tableaus from successively 10× smaller first steps. Each one's own estimate can be fooled by a chance
    // agreement while the steps are still too large; two neighbouring tableaus agreeing is the stronger evidence.
    let best: Estimate = { value: NaN, error: Infinity };
    let alone: Estimate = best;
    let previous: Estimate | undefined;
    for (let r = 0, h = h0; r <= restarts; r++, h /= 10) {
      const current = ridders(along, noiseAlong, xi, h, ratio, steps);
      if (current.error < alone.error) alone = current;
      if (previous !== undefined && !Number.isNaN(previous.value) && !Number.isNaN(current.value)) {
        const chosen = current.error <= previous.error ? current : previous;
        const error = Math.max(chosen.error, Math.abs(current.value - previous.value));
        if (error < best.error) best = { value: chosen.value, error };
        if (best.error <= 1e-10 * Math.abs(best.value)) break;
      }
      previous = current;
    }
    // No two tableaus to compare (restarts 0, or all but one left the domain): one tableau's own estimate.
    if (Number.isNaN(best.value)) best = alone;
    gradient.push(best.value);
    error.push(best.error);
  }
  return { gradient, error };
}

/** One Ridders tableau for the derivative of `g` at `x0`, first step `h0`. */
function ridders(
  g: (t: number) => number,
  noise: ((t: number) => number) | undefined,
  x0: number,
  h0: number,
  ratio: number,
  steps: number,
): Estimate {
  const ratio2 = ratio * ratio;
  let prev: number[] = [];
  let best: Estimate = { value: NaN, error: Infinity };
  let h = h0;
  for (let i = 0; i < steps; i++, h /= ratio) {
    // Step exactly representable around x0, so the divisor is the true distance between the two probes.
    const up = x0 + h;
    const down = x0 - h;
    const fUp = g(up);
    const fDown = g(down);
    const d = (fUp - fDown) / (up - down);
    if (!Number.isFinite(d)) {
      // Probes left the domain or overflowed: start the tableau again from this smaller step.
      if (prev.length === 0) continue;
      break;
    }
    // Rounding in the two values, magnified by the divisor: a floor for any estimate built on this column.
    const own = EPS * (Math.abs(fUp) + Math.abs(fDown));
    const rounding = (noise === undefined ? own : Math.max(own, noise(up) + noise(down))) / (up - down);
    const row: number[] = [d];
    let fac = ratio2;
    for (let j = 1; j <= prev.length; j++) {
      const v = (row[j - 1]! * fac - prev[j - 1]!) / (fac - 1);
      row.push(v);
      fac *= ratio2;
      const err = Math.max(Math.abs(v - row[j - 1]!), Math.abs(v - prev[j - 1]!), 8 * rounding);
      if (err <= best.error) best = { value: v, error: err };
    }
    if (prev.length === 0 && best.error === Infinity) best = { value: d, error: Infinity };
    // Higher orders got worse by a clear margin: rounding has taken over, later columns cannot help.
    if (prev.length > 0 && Math.abs(row[row.length - 1]! - prev[prev.length - 1]!) >= 2 * best.error) {
      if (best.error <= 1e-6 * Math.abs(best.value)) break;
    }
    prev = row;
  }
  return best;
}
