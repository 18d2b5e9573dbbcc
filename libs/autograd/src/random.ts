import { InvalidArgumentError, describeArgument } from './errors.js';

/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32), so every model and data set is
 * reproducible from its seed. Not for cryptography.
 *
 * @example
 * ```ts
 * const rng = new Random(1337);
 * rng.next(); // in [0, 1), the same on every run
 * rng.uniform(-1, 1);
 * ```
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /**
   * A generator whose sequence is determined by `seed`, a safe integer.
   *
   * @example
   * ```ts
   * new Random(42).next() === new Random(42).next(); // true
   * ```
   */
  constructor(seed = 0) {
    if (!Number.isSafeInteger(seed)) {
      throw new InvalidArgumentError(
        'seed',
        `Random seed must be a safe integer, got ${describeArgument(seed)}`,
      );
    }
    // splitmix32 spreads any seed (0, 1, 2, … included) over the whole 128-bit state; both halves of a 53-bit
    // seed count.
    let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 0x100000000) >>> 0, 0x9e3779b9);
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix();
    for (let i = 0; i < 12; i++) this.#step();
  }

  /** One sfc32 step: a uniformly distributed unsigned 32-bit integer. */
  #step(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /**
   * The next number, uniform in [0, 1) (32 random bits).
   *
   * @example
   * ```ts
   * const x = new Random(1).next(); // 0 <= x < 1
   * ```
   */
  next(): number {
    return this.#step() / 0x100000000;
  }

  /**
   * A number uniform in [lo, hi).
   *
   * @example
   * ```ts
   * new Random(1).uniform(-1, 1); // in [-1, 1)
   * ```
   */
  uniform(lo: number, hi: number): number {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
      throw new InvalidArgumentError(
        'lo, hi',
        `uniform(lo, hi) needs finite lo <= hi, got ${describeArgument(lo)}, ${describeArgument(hi)}`,
      );
    }
    return lo + (hi - lo) * this.next();
  }

  /**
   * A normally distributed number (Box–Muller), for Gaussian noise.
   *
   * @example
   * ```ts
   * new Random(1).normal(0, 0.1);
   * ```
   */
  normal(mean = 0, std = 1): number {
    if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0) {
      throw new InvalidArgumentError(
        'mean, std',
        `normal(mean, std) needs finite mean and std >= 0, got ${describeArgument(mean)}, ${describeArgument(std)}`,
      );
    }
    const u = 1 - this.next(); // in (0, 1], so the log is finite
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * An integer uniform in [0, n), for shuffling and sampling.
   *
   * @example
   * ```ts
   * new Random(1).int(6); // 0..5
   * ```
   */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0 || n > 0x100000000) {
      throw new InvalidArgumentError(
        'n',
        `int(n) needs an integer n in [1, 2^32], got ${describeArgument(n)}`,
      );
    }
    return Math.floor(this.next() * n);
  }
}
