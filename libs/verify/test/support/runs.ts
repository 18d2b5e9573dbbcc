/**
 * How many cases a property checks: `base` by default, `VERIFY_RUNS` when set (the one place that reads it), so
 * `VERIFY_RUNS=10000 npx nx test verify` runs every property ten thousand times.
 */
export function runs(base: number, raw = process.env['VERIFY_RUNS']): number {
  if (raw === undefined || raw === '') return base;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`VERIFY_RUNS must be a positive integer, got "${raw}"`);
  return n;
}

/** The seed a test file's properties start from when `VERIFY_SEED` is not set, so a plain run is reproducible. */
export const DEFAULT_SEED = 20261130;

/**
 * The seed every property of a test file starts from: {@link DEFAULT_SEED} by default, so `npm test` checks the
 * same cases on every run and on every machine; `VERIFY_SEED=<n>` replays or explores another seed, and
 * `VERIFY_SEED=random` draws a fresh one (printed, so a failure can be replayed). The setup file passes it to
 * fast-check and prints it once per file.
 */
export function seed(): number {
  return seedFrom(process.env['VERIFY_SEED']);
}

/** {@link seed}'s rule for a given `VERIFY_SEED` value (undefined when unset), with the random source injectable. */
export function seedFrom(raw: string | undefined, random: () => number = Math.random): number {
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  if (raw === 'random') return (random() * 2 ** 32) | 0;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < -(2 ** 31) || n >= 2 ** 31)
    throw new Error(
      `VERIFY_SEED must be an integer from -2147483648 to 2147483647 or "random", got "${raw}"`,
    );
  return n;
}
