/**
 * How many cases a property checks: `base` by default, `VERIFY_RUNS` when set (the one place that reads it), so
 * `VERIFY_RUNS=10000 npx nx test verify` runs every property ten thousand times.
 */
export function runs(base: number): number {
  const raw = process.env['VERIFY_RUNS'];
  if (raw === undefined || raw === '') return base;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`VERIFY_RUNS must be a positive integer, got "${raw}"`);
  return n;
}
