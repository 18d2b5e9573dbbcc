import { readFileSync } from 'node:fs';

import { fit, NonFiniteError, rowJacobian, type FitResult } from '@crossgrad/optimize';
import { parse, sub, variables } from '@crossgrad/symbolic';

import type { FitOptions } from '../cli/args.js';
import type { Io } from '../cli/io.js';
import { UsageError } from '../cli/usage-error.js';
import { readCsv, type NumberTable } from '../data/csv.js';
import { checkJacobian, type JacobianCheck, type JacobianProblem } from '../fit/jacobian-check.js';
import { fitJson, formatFitText, jacobianVerdict } from '../fit/fit-report.js';
import { styleFor } from '../format/style.js';
import { fitSvg } from '../render/fit-svg.js';
import { checkWritable, writeOutput } from '../render/output-file.js';

/** The exit status of a fit (or a minimisation) that stopped without converging. */
export const NOT_CONVERGED = 4;

/** A fit's input, read and checked: the parsed model and response, the table and the variables' roles. */
interface FitProblem extends JacobianProblem {
  readonly table: NumberTable;
  /** The one data column of the model besides the response's, for `--svg`; undefined when there is not one. */
  readonly predictor: string | undefined;
}

/**
 * `crossgrad fit`: fits a model to the columns of a CSV file by nonlinear least squares (@crossgrad/optimize's
 * `fit`, Levenberg-Marquardt on exact derivatives), prints the parameters with their standard errors, the fit's
 * statistics and why the solver stopped, and checks the Jacobian the fit used against @crossgrad/verify's oracles
 * at the start and at the solution. `--json` prints the same as JSON; `--svg` draws the data, the fitted curve and
 * the residuals over the one predictor.
 *
 * @returns 0 the fit converged and no Jacobian check disagrees; 1 a Jacobian check disagrees; 4 the solver
 * stopped without converging (the result is printed with the reason).
 * @throws UsageError (exit 2) for an unreadable or malformed file, a variable that is neither a column nor a
 * parameter, a parameter the model does not use, fewer rows than parameters, `--svg` without exactly one predictor.
 * @example
 * ```ts
 * await runFit(parseCommandLine(['fit', '--model', 'a*x', '--data', 'd.csv', '--start', 'a=1']) as FitOptions, io);
 * ```
 */
export async function runFit(options: FitOptions, io: Io): Promise<number> {
  // Fail on a bad path before any work.
  if (options.svg !== undefined) checkWritable('--svg', options.svg);
  const problem = readProblem(options);
  if (options.svg !== undefined && problem.predictor === undefined) {
    const used = problem.columnNames.filter((c) => !variables(parse(options.response)).includes(c));
    throw new UsageError(
      `--svg draws the model over one data column, but ${options.model} uses ${used.length === 0 ? 'none' : `${used.length} (${used.join(', ')})`} besides the response`,
    );
  }

  const data = Object.fromEntries(problem.columnNames.map((name, k) => [name, problem.columns[k] ?? []]));
  const started = performance.now();
  let result: FitResult;
  try {
    result = fit(options.model, data, options.start, {
      response: options.response,
      ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
    });
  } catch (error) {
    if (error instanceof NonFiniteError) throw new UsageError(notFiniteAtStart(options, problem));
    throw error;
  }
  const timeMs = performance.now() - started;

  // One kernel for both checks, generated as `fit` generates its own.
  const kernel = rowJacobian(problem.residual, problem.names, problem.columnNames);
  const checks: readonly JacobianCheck[] = [
    checkJacobian(problem, 'start', options.start, kernel),
    checkJacobian(problem, 'solution', result.params, kernel),
  ];
  if (options.json) {
    io.stdout.write(`${JSON.stringify(fitJson(result, checks, timeMs), null, 2)}\n`);
  } else {
    io.stdout.write(formatFitText(options, problem.table.rows, result, checks, styleFor(io.stdout, io.env)));
  }
  if (options.svg !== undefined && problem.predictor !== undefined) {
    writeOutput('--svg', options.svg, drawFit(options, problem, problem.predictor, result));
    io.stderr.write(`wrote ${options.svg}\n`);
  }
  if (jacobianVerdict(checks) === 'disagree') return 1;
  return result.converged ? 0 : NOT_CONVERGED;
}

function readProblem(options: FitOptions): FitProblem {
  const file = options.data;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String((error as Error).message).split('\n')[0];
    throw new UsageError(`cannot read --data ${file}: ${reason}`);
  }
  const table = readCsv(text, file);
  const model = parse(options.model);
  const response = parse(options.response);
  const params = Object.keys(options.start);
  const columns = new Set(table.columns);
  const columnList = table.columns.join(', ');

  for (const name of params) {
    if (columns.has(name)) {
      throw new UsageError(`${name} is both a column of ${file} and a parameter in --start`);
    }
  }
  const responseVars = variables(response);
  for (const name of responseVars) {
    if (columns.has(name)) continue;
    if (options.response === 'y' && name === 'y') {
      throw new UsageError(
        `${file} has no column y: name the response with --response (the columns are ${columnList})`,
      );
    }
    throw new UsageError(`--response uses ${name}, which is not a column of ${file} (${columnList})`);
  }
  const modelVars = variables(model);
  const missing = modelVars.filter((v) => !columns.has(v) && !params.includes(v));
  if (missing.length > 0) {
    const noun = missing.length === 1 ? 'value' : 'values';
    const are = missing.length === 1 ? 'is not a column' : 'are not columns';
    throw new UsageError(
      `missing start ${noun} for ${missing.join(', ')} in --start (${missing.join(', ')} ${are} of ${file}: ${columnList})`,
    );
  }
  const unused = params.filter((name) => !modelVars.includes(name));
  if (unused.length > 0) {
    const noun = unused.length === 1 ? 'parameter' : 'parameters';
    throw new UsageError(
      `unknown ${noun} ${unused.join(', ')} in --start (the model uses ${modelVars.join(', ') || 'no variables'})`,
    );
  }
  if (table.rows < params.length) {
    const rows = table.rows === 1 ? 'data row' : 'data rows';
    throw new UsageError(
      `${file} has ${table.rows} ${rows} for ${params.length} parameters (${params.join(', ')}): a fit needs at least as many rows as parameters`,
    );
  }

  const residual = sub(model, response);
  const columnNames = variables(residual).filter((v) => columns.has(v));
  const predictors = modelVars.filter((v) => columns.has(v) && !responseVars.includes(v));
  return {
    table,
    residual,
    names: params,
    columnNames,
    columns: columnNames.map((name) => table.data[name] ?? []),
    predictor: predictors.length === 1 ? predictors[0] : undefined,
  };
}

/** Which row makes the residual or its derivative not finite at the start, for the one-line message. */
function notFiniteAtStart(options: FitOptions, problem: FitProblem): string {
  const { names, columnNames, columns } = problem;
  const m = problem.table.rows;
  const p = names.length;
  const values = new Float64Array(m);
  const J = new Float64Array(m * p);
  rowJacobian(problem.residual, names, columnNames)(
    names.map((n) => options.start[n] ?? Number.NaN),
    columns,
    values,
    J,
  );
  const advice = 'choose other start values in --start';
  const response = /^\w+$/.test(options.response.trim()) ? options.response.trim() : `(${options.response})`;
  for (let i = 0; i < m; i++) {
    const value = values[i] ?? Number.NaN;
    if (!Number.isFinite(value)) {
      return `the residual ${options.model} - ${response} is ${value} at the start on row ${i + 2} of ${options.data}: ${advice}`;
    }
    for (const [j, name] of names.entries()) {
      const d = J[i * p + j] ?? Number.NaN;
      if (!Number.isFinite(d)) {
        return `the residual's derivative by ${name} is ${d} at the start on row ${i + 2} of ${options.data}: ${advice}`;
      }
    }
  }
  return `the residuals are not finite at the start: ${advice}`;
}

/** The SVG of `--svg`: the response against the predictor with the fitted curve, and the residuals below. */
function drawFit(options: FitOptions, problem: FitProblem, predictor: string, result: FitResult): string {
  const xs = problem.table.data[predictor] ?? [];
  // The model with the fitted parameters, compiled once as a kernel over a column of predictor values.
  const kernel = rowJacobian(parse(options.model), result.names, [predictor]);
  const params = result.names.map((n) => result.params[n] ?? Number.NaN);
  const model = (at: readonly number[]): number[] => {
    const out = new Float64Array(at.length);
    kernel(params, [at], out);
    return [...out];
  };
  // The residuals are model - response, so the response is the model's value minus the residual at each row.
  const fitted = model(xs);
  return fitSvg({
    title: `${options.model} fitted to ${options.response} (${options.data})`,
    xLabel: predictor,
    yLabel: options.response,
    x: xs,
    y: fitted.map((value, i) => value - (result.residuals[i] ?? Number.NaN)),
    residuals: result.residuals,
    curve: model,
  });
}
