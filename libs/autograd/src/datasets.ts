import { InvalidArgumentError, describeArgument } from './errors.js';
import { Random } from './random.js';

/**
 * A labelled data set: one row of features per point in `X`, its label (±1) in `y`.
 *
 * @example
 * ```ts
 * const data: Dataset = { X: [[0, 1], [1, 0]], y: [1, -1] };
 * ```
 */
export interface Dataset {
  /** Feature rows. */
  X: number[][];
  /** Labels, +1 or -1, one per row. */
  y: number[];
}

/**
 * Options of {@link makeMoons}.
 *
 * @example
 * ```ts
 * const options: MoonsOptions = { noise: 0.1, seed: 1337 };
 * ```
 */
export interface MoonsOptions {
  /** Standard deviation of the Gaussian noise added to every coordinate (default 0). */
  noise?: number;
  /** Seed of the generator for the shuffle and the noise (default 0). */
  seed?: number;
  /** Shuffle the points (default true, as scikit-learn). */
  shuffle?: boolean;
}

/**
 * Two interleaving half circles, as scikit-learn's `make_moons`: `floor(n/2)` points on the upper moon (label
 * -1) and the rest on the lower one (label +1), the ±1 labels micrograd's demo trains on.
 *
 * @example
 * ```ts
 * const { X, y } = makeMoons(100, { noise: 0.1, seed: 1 });
 * X.length; // 100, each row [x0, x1]
 * y[0]; // 1 or -1
 * ```
 */
export function makeMoons(n: number, options: MoonsOptions = {}): Dataset {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 2) {
    throw new InvalidArgumentError('n', `makeMoons needs an integer n >= 2, got ${describeArgument(n)}`);
  }
  const noise = options.noise ?? 0;
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
    throw new InvalidArgumentError(
      'noise',
      `noise must be a finite number >= 0, got ${describeArgument(noise)}`,
    );
  }
  const random = new Random(options.seed ?? 0);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const t = linspace(i, nOut);
    X.push([Math.cos(t), Math.sin(t)]);
    y.push(-1);
  }
  for (let i = 0; i < nIn; i++) {
    const t = linspace(i, nIn);
    X.push([1 - Math.cos(t), 1 - Math.sin(t) - 0.5]);
    y.push(1);
  }
  if (options.shuffle ?? true) {
    for (let i = n - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [X[i], X[j]] = [X[j], X[i]];
      [y[i], y[j]] = [y[j], y[i]];
    }
  }
  if (noise > 0) {
    for (const row of X) {
      row[0] += random.normal(0, noise);
      row[1] += random.normal(0, noise);
    }
  }
  return { X, y };
}

/** The i-th of m points evenly spaced over [0, π], as numpy's linspace (a single point is 0). */
function linspace(i: number, m: number): number {
  return m === 1 ? 0 : i === m - 1 ? Math.PI : (i * Math.PI) / (m - 1);
}
