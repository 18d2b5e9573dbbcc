import { minimize, type MinimizeResult } from '@crossgrad/optimize';
import { parse, variables } from '@crossgrad/symbolic';

import type { MinimizeOptions } from '../cli/args.js';
import type { Io } from '../cli/io.js';
import { checkPointCovers } from '../cli/point.js';
import { formatEstimate } from '../fit/fit-report.js';
import { jsonNumber, type JsonNumber } from '../format/report-json.js';
import { styleFor } from '../format/style.js';
import { renderTable } from '../format/table.js';
import { NOT_CONVERGED } from './fit-command.js';

/**
 * The shape of `crossgrad minimize --json`. Non-finite numbers are the strings `"NaN"`, `"Infinity"`,
 * `"-Infinity"`.
 *
 * @example
 * ```ts
 * const result = JSON.parse(stdout) as MinimizeJson;
 * result.point.x1; // 1
 * ```
 */
export interface MinimizeJson {
  readonly point: Readonly<Record<string, JsonNumber>>;
  readonly value: JsonNumber;
  /** The gradient's largest entry in absolute value at the point. */
  readonly gradientNorm: JsonNumber;
  readonly iterations: number;
  /** Evaluations of the function and its gradient (together). */
  readonly evaluations: number;
  readonly converged: boolean;
  /** Why the solver stopped, as a name (`gtol`, `max-iterations`, …). */
  readonly termination: string;
  /** Why the solver stopped, as a sentence. */
  readonly reason: string;
}

/**
 * `crossgrad minimize`: minimises an expression from a start point with @crossgrad/optimize's `minimize` (L-BFGS
 * with a strong Wolfe line search, on the expression's exact gradient) and prints the point found, the value, the
 * gradient's norm, the iterations and evaluations and why the solver stopped, as a table or as JSON.
 *
 * @returns 0 when the solver converged, 4 when it stopped without converging (the result is printed with the
 * reason).
 * @throws UsageError (exit 2) when the start misses a variable of the expression or names one it does not use.
 * @example
 * ```ts
 * await runMinimize({ kind: 'minimize', expr: '(1-x)^2', start: { x: 0 }, maxIterations: undefined, json: false }, io);
 * ```
 */
export async function runMinimize(options: MinimizeOptions, io: Io): Promise<number> {
  const expr = parse(options.expr);
  checkPointCovers(options.start, variables(expr), '--start');
  const result = minimize(expr, options.start, {
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
  });
  if (options.json) {
    io.stdout.write(`${JSON.stringify(minimizeJson(result), null, 2)}\n`);
  } else {
    io.stdout.write(formatMinimizeText(options, result, styleFor(io.stdout, io.env).red));
  }
  return result.converged ? 0 : NOT_CONVERGED;
}

function minimizeJson(result: MinimizeResult): MinimizeJson {
  return {
    point: Object.fromEntries(Object.entries(result.point).map(([name, v]) => [name, jsonNumber(v)])),
    value: jsonNumber(result.value),
    gradientNorm: jsonNumber(result.gradientNorm),
    iterations: result.iterations,
    evaluations: result.evaluations,
    converged: result.converged,
    termination: result.termination,
    reason: result.reason,
  };
}

function formatMinimizeText(
  options: MinimizeOptions,
  result: MinimizeResult,
  red: (text: string) => string,
): string {
  const lines = [`minimize ${options.expr}`, ''];
  const table = renderTable(
    [
      { heading: 'variable', align: 'left' },
      { heading: 'start', align: 'right' },
      { heading: 'found', align: 'right' },
    ],
    Object.keys(result.point).map((name) => [
      name,
      formatEstimate(options.start[name] ?? Number.NaN),
      formatEstimate(result.point[name] ?? Number.NaN),
    ]),
  );
  lines.push(...table.map((line) => `  ${line}`), '');
  const facts: [string, string][] = [
    ['value', formatEstimate(result.value)],
    ['gradient norm', `${formatEstimate(result.gradientNorm, 2)} (largest entry in absolute value)`],
    ['iterations', String(result.iterations)],
    ['evaluations', `${result.evaluations} (of the function and its gradient together)`],
    ['stopped', result.converged ? `converged: ${result.reason}` : red(`did not converge: ${result.reason}`)],
  ];
  const width = Math.max(...facts.map(([label]) => label.length));
  for (const [label, value] of facts) lines.push(`  ${label.padEnd(width)}  ${value}`);
  return `${lines.join('\n')}\n`;
}
