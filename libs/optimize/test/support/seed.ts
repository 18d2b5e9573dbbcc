/**
 * The seed of a property test: `FC_SEED` from the environment, else a fixed default; printed, so a failure can be
 * replayed with `FC_SEED=<seed>`.
 */
export function propertySeed(name: string, fallback: number): number {
  const fromEnv = Number(process.env.FC_SEED);
  const seed = Number.isInteger(fromEnv) ? fromEnv : fallback;
  console.log(`${name}: fast-check seed ${seed}`);
  return seed;
}
