/**
 * The crossgrad CLI as a library: run it on arguments, or reuse the seed's neuron.
 *
 * @example
 * ```ts
 * import { run } from '@crossgrad/demo';
 * const status = await run(['--json'], { stdout: process.stdout, stderr: process.stderr, env: process.env });
 * ```
 */
export { run } from './cli/run.js';
export type { Io, OutputStream } from './cli/io.js';
export {
  parseCommandLine,
  type Command,
  type CheckOptions,
  type Engine,
  type TrainOptions,
} from './cli/args.js';
export { UsageError } from './cli/usage-error.js';
export { buildSeedNeuron, SEED_POINT, SEED_EXPRESSION, type SeedNeuron } from './check/seed-neuron.js';
