import type { FitResult } from '@crossgrad/optimize';

import type { FitOptions } from '../cli/args.js';
import type { JacobianCheck, JacobianVerdict } from './jacobian-check.js';
import { formatNumber } from '../format/numbers.js';
import { jsonNumber, type JsonNumber } from '../format/report-json.js';
import type { Style } from '../format/style.js';
import { renderTable } from '../format/table.js';

/** Significant digits of the printed estimates: NIST certifies 11, and a fit in doubles reaches about 10. */
const DIGITS = 9;

/**
 * A number as `fit` and `minimize` print it: 9 significant digits, in exponent form when below 1e-3 or from 1e7
 * on, as NIST writes its certified values.
 *
 * @example
 * ```ts
 * formatEstimate(238.94212914343154); // '238.942129'
 * formatEstimate(0.0005501564319011376); // '5.50156432e-4'
 * ```
 */
export function formatEstimate(x: number, digits = DIGITS): string {
  if (!Number.isFinite(x) || x === 0) return formatNumber(x);
  const size = Math.abs(x);
  if (size >= 1e-3 && size < 1e7) return formatNumber(x, digits);
  return Number(x.toPrecision(digits)).toExponential().replace(/e\+/, 'e');
}

/**
 * The overall verdict of a fit's Jacobian checks: `disagree` if one disagrees, else `skipped` if one could not
 * judge every entry, else `agree`.
 *
 * @example
 * ```ts
 * jacobianVerdict([{ verdict: 'agree' }, { verdict: 'skipped' }] as JacobianCheck[]); // 'skipped'
 * ```
 */
export function jacobianVerdict(checks: readonly JacobianCheck[]): JacobianVerdict {
  if (checks.some((c) => c.verdict === 'disagree')) return 'disagree';
  if (checks.some((c) => c.verdict === 'skipped')) return 'skipped';
  return 'agree';
}

/**
 * The shape of `crossgrad fit --json`. Non-finite numbers are the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
 *
 * @example
 * ```ts
 * const result = JSON.parse(stdout) as FitJson;
 * result.params.b1; // 238.94212914343154
 * ```
 */
export interface FitJson {
  readonly params: Readonly<Record<string, JsonNumber>>;
  readonly standardErrors: Readonly<Record<string, JsonNumber>>;
  readonly rss: JsonNumber;
  readonly residualStdDev: JsonNumber;
  readonly dof: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  /** Why the solver stopped, as a name (`xtol`, `max-iterations`, …). */
  readonly termination: string;
  /** Why the solver stopped, as a sentence. */
  readonly reason: string;
  /** The verdict of the Jacobian checks together (see {@link jacobianVerdict}). */
  readonly jacobianVerdict: JacobianVerdict;
  /** Each check: at the start and at the solution, its verdict and why. */
  readonly jacobianChecks: readonly {
    readonly at: 'start' | 'solution';
    readonly verdict: JacobianVerdict;
    readonly reason: string;
  }[];
  /** The fit's own wall time in milliseconds (parsing and compiling the model included, process start-up not). */
  readonly timeMs: number;
}

/**
 * The result of a fit as the `--json` object.
 *
 * @example
 * ```ts
 * JSON.stringify(fitJson(result, checks, 3.2)); // {"params":{"b1":238.94212914343154,...},...}
 * ```
 */
export function fitJson(result: FitResult, checks: readonly JacobianCheck[], timeMs: number): FitJson {
  const numbers = (record: Readonly<Record<string, number>>) =>
    Object.fromEntries(Object.entries(record).map(([name, value]) => [name, jsonNumber(value)]));
  return {
    params: numbers(result.params),
    standardErrors: numbers(result.standardErrors),
    rss: jsonNumber(result.rss),
    residualStdDev: jsonNumber(result.residualStdDev),
    dof: result.dof,
    iterations: result.iterations,
    evaluations: result.evaluations,
    converged: result.converged,
    termination: result.termination,
    reason: result.reason,
    jacobianVerdict: jacobianVerdict(checks),
    jacobianChecks: checks.map(({ at, verdict, reason }) => ({ at, verdict, reason })),
    timeMs: Number(timeMs.toFixed(3)),
  };
}

/**
 * The result of a fit as `crossgrad fit` prints it: the parameters with their standard errors and start values,
 * the fit's statistics, why the solver stopped, and the Jacobian checks.
 *
 * @example
 * ```ts
 * process.stdout.write(formatFitText(options, 14, result, checks, style));
 * ```
 */
export function formatFitText(
  options: FitOptions,
  rows: number,
  result: FitResult,
  checks: readonly JacobianCheck[],
  style: Style,
): string {
  const lines = [`fit ${options.model} to ${options.response}: ${rows} rows of ${options.data}`, ''];
  const table = renderTable(
    [
      { heading: 'parameter', align: 'left' },
      { heading: 'estimate', align: 'right' },
      { heading: 'standard error', align: 'right' },
      { heading: 'start', align: 'right' },
    ],
    result.names.map((name) => [
      name,
      formatEstimate(result.params[name] ?? Number.NaN),
      formatEstimate(result.standardErrors[name] ?? Number.NaN),
      formatEstimate(options.start[name] ?? Number.NaN),
    ]),
  );
  lines.push(...table.map((line) => `  ${line}`), '');
  const stopped = result.converged
    ? `converged: ${result.reason}`
    : style.red(`did not converge: ${result.reason}`);
  const facts: [string, string][] = [
    ['residual sum of squares', formatEstimate(result.rss)],
    ['residual standard deviation', formatEstimate(result.residualStdDev)],
    ['degrees of freedom', String(result.dof)],
    ['iterations', `${result.iterations} (${result.evaluations} evaluations of the residuals)`],
    ['stopped', stopped],
  ];
  const width = Math.max(...facts.map(([label]) => label.length));
  for (const [label, value] of facts) lines.push(`  ${label.padEnd(width)}  ${value}`);
  lines.push('', "  the fit's Jacobian against complex step and finite differences (verify):");
  // A fit that did not converge has no solution to speak of: its last point is what was checked.
  const label = (at: JacobianCheck['at']) =>
    at === 'start' ? 'at the start' : result.converged ? 'at the solution' : 'at the last point';
  const labelWidth = Math.max(...checks.map((c) => label(c.at).length));
  for (const check of checks) {
    const where = label(check.at).padEnd(labelWidth);
    const verdict = style.verdict(check.verdict)(style.mark(check.verdict));
    lines.push(`    ${where}  ${verdict}: ${check.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
