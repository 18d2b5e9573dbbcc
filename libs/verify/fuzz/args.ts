import { parseArgs } from 'node:util';

/** What the fuzz target was asked to do. */
export interface FuzzArgs {
  readonly runs: number;
  readonly seed: number;
  readonly maxDepth: number;
  readonly variables: readonly string[];
  readonly mathjs: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: fuzz [--runs N] [--seed S] [--max-depth D] [--variables x,y,z] [--skip-mathjs] [--help]
  --runs N          random cases to check (default 10000)
  --seed S          fast-check seed, an integer (default: from the clock; --seed=-7 for a negative one)
  --max-depth D     maximum expression depth (default 4)
  --variables LIST  comma-separated variable names (default x,y)
  --skip-mathjs     do not ask mathjs (faster)`;

/** A bad command line: the message is one line for the user. */
export class UsageError extends Error {}

/**
 * Reads the fuzz target's flags.
 *
 * @throws UsageError for an unknown flag, a missing or malformed value.
 */
export function readArgs(argv: readonly string[], now = Date.now()): FuzzArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        runs: { type: 'string' },
        seed: { type: 'string' },
        'max-depth': { type: 'string' },
        variables: { type: 'string' },
        'skip-mathjs': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const variables = (values.variables ?? 'x,y').split(',').map((v) => v.trim());
  if (
    variables.some((v) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) ||
    new Set(variables).size !== variables.length
  ) {
    throw new UsageError(`--variables must be distinct names separated by commas, got "${values.variables}"`);
  }
  return {
    runs: integer('--runs', values.runs, 10000, 1),
    seed: seedOf(values.seed, now % 2 ** 31),
    maxDepth: integer('--max-depth', values['max-depth'], 4, 0),
    variables,
    mathjs: values['skip-mathjs'] !== true,
    help: values.help === true,
  };
}

function seedOf(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || n < -(2 ** 31) || n > 2 ** 31 - 1) {
    throw new UsageError(`--seed must be an integer from ${-(2 ** 31)} to ${2 ** 31 - 1}, got "${text}"`);
  }
  return n;
}

function integer(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} must be an integer >= ${min}, got "${text}"`);
  }
  return n;
}
