import { parseArgs } from 'node:util';

import { parsePoint } from './point.js';
import { UsageError } from './usage-error.js';

/** Options of the default command: the seed's neuron, or `--expr` at `--at`. */
export interface CheckOptions {
  readonly kind: 'check';
  readonly expr: string | undefined;
  readonly at: Readonly<Record<string, number>> | undefined;
  readonly steps: boolean;
  readonly json: boolean;
  readonly tex: boolean;
  readonly dot: string | undefined;
  readonly svg: string | undefined;
}

/**
 * How `crossgrad train` computes each step's gradient: `compiled` replays a tape recorded once, `eager` rebuilds
 * the graph every step, `both` trains each way from the same weights and compares speed and result.
 *
 * @example
 * ```ts
 * parseCommandLine(['train', '--engine', 'eager']); // { kind: 'train', ..., engine: 'eager' }
 * ```
 */
export type Engine = 'compiled' | 'eager' | 'both';

const ENGINES: readonly Engine[] = ['both', 'compiled', 'eager'];

/**
 * Options of `crossgrad train`.
 *
 * @example
 * ```ts
 * const options: TrainOptions = { kind: 'train', steps: 100, seed: 1337, svg: undefined, engine: 'both' };
 * ```
 */
export interface TrainOptions {
  readonly kind: 'train';
  readonly steps: number;
  readonly seed: number;
  readonly svg: string | undefined;
  readonly engine: Engine;
}

/**
 * Options of `crossgrad fit`.
 *
 * @example
 * ```ts
 * parseCommandLine(['fit', '--model', 'b1*(1-exp(-b2*x))', '--data', 'misra1a.csv', '--start', 'b1=500,b2=1e-4']);
 * // { kind: 'fit', model: 'b1*(1-exp(-b2*x))', data: 'misra1a.csv', start: { b1: 500, b2: 0.0001 }, response: 'y', ... }
 * ```
 */
export interface FitOptions {
  readonly kind: 'fit';
  readonly model: string;
  readonly data: string;
  readonly start: Readonly<Record<string, number>>;
  /** The response the model is fitted to, an expression of columns. Default `'y'`. */
  readonly response: string;
  /** The solver's budget of iterations (Jacobian evaluations); undefined for the library's default. */
  readonly maxIterations: number | undefined;
  readonly json: boolean;
  readonly svg: string | undefined;
}

/**
 * Options of `crossgrad minimize`.
 *
 * @example
 * ```ts
 * parseCommandLine(['minimize', '--expr', '(1-x)^2', '--start', 'x=0']);
 * // { kind: 'minimize', expr: '(1-x)^2', start: { x: 0 }, maxIterations: undefined, json: false }
 * ```
 */
export interface MinimizeOptions {
  readonly kind: 'minimize';
  readonly expr: string;
  readonly start: Readonly<Record<string, number>>;
  /** The solver's budget of iterations; undefined for the library's default. */
  readonly maxIterations: number | undefined;
  readonly json: boolean;
}

/** What the command line asks for. */
export type Command = { readonly kind: 'help' } | CheckOptions | TrainOptions | FitOptions | MinimizeOptions;

const checkConfig = {
  expr: { type: 'string' },
  at: { type: 'string' },
  steps: { type: 'boolean' },
  json: { type: 'boolean' },
  tex: { type: 'boolean' },
  dot: { type: 'string' },
  svg: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const fitConfig = {
  model: { type: 'string' },
  data: { type: 'string' },
  start: { type: 'string' },
  response: { type: 'string' },
  'max-iterations': { type: 'string' },
  json: { type: 'boolean' },
  svg: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const minimizeConfig = {
  expr: { type: 'string' },
  start: { type: 'string' },
  'max-iterations': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const trainConfig = {
  steps: { type: 'string' },
  seed: { type: 'string' },
  svg: { type: 'string' },
  engine: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Reads the command line (without `node` and the script). Strict: unknown options and stray arguments are errors.
 *
 * @throws UsageError naming the bad option or value.
 * @example
 * ```ts
 * parseCommandLine(['--expr', 'x^2', '--at', 'x=3']);
 * // { kind: 'check', expr: 'x^2', at: { x: 3 }, steps: false, json: false, tex: false, dot: undefined, svg: undefined }
 * ```
 */
export function parseCommandLine(argv: readonly string[]): Command {
  if (argv[0] === 'train') return parseTrain(argv.slice(1));
  if (argv[0] === 'fit') return parseFit(argv.slice(1));
  if (argv[0] === 'minimize') return parseMinimize(argv.slice(1));
  const { values, positionals } = readArgs(argv, checkConfig);
  if (values.help === true) return { kind: 'help' };
  if (positionals.length > 0) {
    throw new UsageError(
      `unknown command '${positionals[0]}' (commands: train, fit, minimize; see crossgrad --help)`,
    );
  }
  if (values.at !== undefined && values.expr === undefined) {
    throw new UsageError('--at needs --expr (the default run has its own point)');
  }
  if (values.expr?.trim() === '') throw new UsageError('--expr is empty');
  if (values.json === true && values.tex === true)
    throw new UsageError('--json and --tex cannot be combined');
  if (values.dot !== undefined && values.dot === values.svg) {
    throw new UsageError(`--dot and --svg name the same file ${values.dot}`);
  }
  return {
    kind: 'check',
    expr: values.expr,
    at: values.at === undefined ? undefined : parsePoint(values.at),
    steps: values.steps === true,
    json: values.json === true,
    tex: values.tex === true,
    dot: nonEmptyPath('--dot', values.dot),
    svg: nonEmptyPath('--svg', values.svg),
  };
}

function parseTrain(argv: readonly string[]): Command {
  const { values, positionals } = readArgs(argv, trainConfig);
  if (values.help === true) return { kind: 'help' };
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' after train`);
  return {
    kind: 'train',
    steps: integerOption('--steps', values.steps, 100, 1, 100_000),
    seed: integerOption('--seed', values.seed, 1337, 0, 2 ** 32 - 1),
    svg: nonEmptyPath('--svg', values.svg),
    engine: engineOption(values.engine),
  };
}

function parseFit(argv: readonly string[]): Command {
  const { values, positionals } = readArgs(argv, fitConfig);
  if (values.help === true) return { kind: 'help' };
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' after fit`);
  return {
    kind: 'fit',
    model: requiredText('fit', '--model', values.model, '"b1*(1-exp(-b2*x))"'),
    data: requiredText('fit', '--data', values.data, 'data.csv'),
    start: parsePoint(requiredText('fit', '--start', values.start, 'b1=500,b2=1e-4'), '--start'),
    response: values.response === undefined ? 'y' : nonEmptyText('--response', values.response),
    maxIterations: optionalInteger('--max-iterations', values['max-iterations'], 1, 1_000_000),
    json: values.json === true,
    svg: nonEmptyPath('--svg', values.svg),
  };
}

function parseMinimize(argv: readonly string[]): Command {
  const { values, positionals } = readArgs(argv, minimizeConfig);
  if (values.help === true) return { kind: 'help' };
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' after minimize`);
  return {
    kind: 'minimize',
    expr: requiredText('minimize', '--expr', values.expr, '"(1-x)^2 + 100*(y-x^2)^2"'),
    start: parsePoint(requiredText('minimize', '--start', values.start, 'x=-1.2,y=1'), '--start'),
    maxIterations: optionalInteger('--max-iterations', values['max-iterations'], 1, 1_000_000),
    json: values.json === true,
  };
}

/** A required option's value, not blank. */
function requiredText(command: string, name: string, text: string | undefined, example: string): string {
  if (text === undefined) throw new UsageError(`${command} needs ${name} (example: ${name} ${example})`);
  return nonEmptyText(name, text);
}

function nonEmptyText(name: string, text: string): string {
  if (text.trim() === '') throw new UsageError(`${name} is empty`);
  return text;
}

function optionalInteger(name: string, text: string | undefined, min: number, max: number) {
  return text === undefined ? undefined : integerOption(name, text, min, min, max);
}

function engineOption(text: string | undefined): Engine {
  if (text === undefined) return 'both';
  const engine = ENGINES.find((e) => e === text);
  if (engine === undefined) throw new UsageError(`--engine must be ${ENGINES.join(', ')}, not '${text}'`);
  return engine;
}

type Config = Parameters<typeof parseArgs>[0] & object;
type Options = NonNullable<Config['options']>;

function readArgs<T extends Options>(argv: readonly string[], options: T) {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinDashValues(argv, options),
      options,
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
  } catch (error) {
    throw translateParseError(error);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || options[token.name]?.type !== 'string') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given twice`);
    seen.add(token.name);
  }
  return parsed;
}

/** The options whose value may naturally start with a minus: an expression, a point, a model. Not file names. */
const DASH_VALUES: ReadonlySet<string> = new Set(['expr', 'at', 'model', 'response']);

/**
 * node:util reads `--expr -x^2` as an option followed by another option. After `--expr`, `--at`, `--model` or `--response`, a value that
 * starts with '-' but is none of the command's options (`-x^2`, `-1 + x`) is the value: it is rewritten as
 * `--expr=-x^2`, as the user could have written it. A known option (`--expr --at x=1`, `--expr -h`) is left alone,
 * so a missing value is still reported.
 */
function joinDashValues(argv: readonly string[], options: Options): string[] {
  const known = (arg: string): boolean => {
    if (arg === '--') return true;
    if (arg.startsWith('--')) return Object.hasOwn(options, arg.slice(2).split('=')[0] ?? '');
    return Object.values(options).some((o) => o.short !== undefined && arg === `-${o.short}`);
  };
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    if (DASH_VALUES.has(name) && next !== undefined && next.startsWith('-') && !known(next)) {
      args.push(`${arg}=${next}`);
      i += 1;
    } else {
      args.push(arg);
    }
  }
  return args;
}

/** node:util's messages are long and suggest `--` tricks; say the same in one short line. */
function translateParseError(error: unknown): Error {
  if (!(error instanceof Error)) return new UsageError(String(error));
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']*)'/.exec(error.message)?.[1] ?? 'option';
    return new UsageError(`unknown option ${option} (see crossgrad --help)`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(--?[\w-]+)/.exec(error.message)?.[1] ?? 'an option';
    if (/argument missing/.test(error.message)) return new UsageError(`${option} needs a value`);
    if (/ambiguous/.test(error.message)) {
      return new UsageError(`${option} needs a value; for one starting with '-' write ${option}=VALUE`);
    }
    if (/does not take an argument/.test(error.message)) return new UsageError(`${option} takes no value`);
    return new UsageError(error.message.split('\n')[0] ?? error.message);
  }
  return error;
}

function integerOption(name: string, text: string | undefined, fallback: number, min: number, max: number) {
  if (text === undefined) return fallback;
  // Decimal digits only: Number() would also read '0x10', '1e2' and ' 7 '.
  const value = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not '${text}'`);
  }
  return value;
}

function nonEmptyPath(name: string, path: string | undefined): string | undefined {
  if (path !== undefined && path.trim() === '') throw new UsageError(`${name} needs a file name`);
  return path;
}
