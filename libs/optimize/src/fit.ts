import {
  compileRows,
  parse,
  sub,
  SymbolicError,
  UnknownVariableError as SymbolicUnknownVariableError,
  variables,
  type Expr,
  type RowKernel,
} from '@crossgrad/symbolic';
import { InvalidInputError, UnknownVariableError } from './errors.js';
import { levenbergMarquardt, type LeastSquaresOptions } from './least-squares.js';
import type { Termination } from './termination.js';

/**
 * Options of {@link fit}: the solver's ({@link LeastSquaresOptions}) and the response.
 *
 * @example
 * ```ts
 * const options: FitOptions = { response: 'log(y)', ftol: 1e-12 };
 * ```
 */
export interface FitOptions extends LeastSquaresOptions {
  /** The response the model is fitted to: an expression of data columns. Default `'y'`. */
  response?: string | Expr;
}

/**
 * The result of {@link fit}. Residuals are r_i = model_i - response_i.
 *
 * @example
 * ```ts
 * const { params, standardErrors, rss, converged }: FitResult = fit('a * x', { x: [1, 2], y: [2, 4.1] }, { a: 1 });
 * ```
 */
export interface FitResult {
  /** The fitted parameters by name. */
  params: Record<string, number>;
  /** Each parameter's standard error, √ of the covariance's diagonal. */
  standardErrors: Record<string, number>;
  /** s² (JᵀJ)⁻¹ at the solution, rows and columns in the order of `names`. */
  covariance: number[][];
  /** The parameters' names, the order of `covariance`'s rows and columns (the keys of `start`). */
  names: string[];
  /** The residuals model - response, one per row. */
  residuals: number[];
  /** The residual sum of squares. */
  rss: number;
  /** √(rss / dof). */
  residualStdDev: number;
  /** Degrees of freedom: rows - parameters. */
  dof: number;
  iterations: number;
  evaluations: number;
  jacobianEvaluations: number;
  converged: boolean;
  termination: Termination;
  /** One sentence saying why the solver stopped. */
  reason: string;
}

function isExprLike(x: unknown): x is Expr {
  return typeof x === 'object' && x !== null && 'kind' in x;
}

/** A formula parsed, its syntax errors as this package's {@link InvalidInputError} (symbolic's error as `cause`). */
export function parseFormula(src: string, what: string, where: string): Expr {
  try {
    return parse(src);
  } catch (err) {
    if (err instanceof SymbolicError) {
      throw new InvalidInputError(what, `${where}: the ${what} does not parse: ${err.message}`, {
        cause: err,
      });
    }
    throw err;
  }
}

function toExpr(e: unknown, what: string): Expr {
  if (typeof e === 'string') return parseFormula(e, what, 'fit');
  if (isExprLike(e)) return e;
  throw new InvalidInputError(what, `fit: the ${what} must be a formula string or an Expr, got ${typeof e}`);
}

/** The model's residual kernel and the checked data, ready for the solver. */
export interface PreparedFit {
  readonly residual: Expr;
  readonly names: readonly string[];
  readonly columnNames: readonly string[];
  readonly columns: readonly Float64Array[];
  readonly rows: number;
  readonly kernel: RowKernel;
  readonly start: Float64Array;
}

/** Parse, check and compile a fit, without running the solver. */
export function prepareFit(
  model: string | Expr,
  data: Readonly<Record<string, ArrayLike<number>>>,
  start: Readonly<Record<string, number>>,
  response: string | Expr = 'y',
): PreparedFit {
  if (typeof start !== 'object' || start === null) {
    throw new InvalidInputError('start', 'fit: start must be an object of parameter values');
  }
  const names = Object.keys(start);
  if (names.length === 0) {
    throw new InvalidInputError(
      'start',
      'fit: start gives no parameters: name each parameter with its start value',
    );
  }
  for (const name of names) {
    const v = start[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(
        'start',
        `fit: the start value of ${name} must be a finite number, got ${String(v)}`,
      );
    }
  }
  if (typeof data !== 'object' || data === null) {
    throw new InvalidInputError('data', 'fit: data must be an object of columns (arrays of numbers)');
  }
  const residual = sub(toExpr(model, 'model'), toExpr(response, 'response'));
  const params = new Set(names);
  const columnNames = variables(residual).filter((v) => !params.has(v));
  for (const c of columnNames) {
    if (!Object.prototype.hasOwnProperty.call(data, c)) {
      const known = [...names, ...Object.keys(data)].join(', ');
      throw new UnknownVariableError(
        c,
        `fit: '${c}' is neither a parameter (a key of start) nor a data column (known: ${known})`,
      );
    }
  }
  let rows = -1;
  let first = '';
  for (const [name, column] of Object.entries(data)) {
    if (params.has(name)) {
      throw new InvalidInputError('data', `fit: '${name}' is both a parameter and a data column`);
    }
    if (typeof column !== 'object' || column === null || typeof column.length !== 'number') {
      throw new InvalidInputError('data', `fit: column ${name} must be an array of numbers`);
    }
    if (rows < 0) {
      rows = column.length;
      first = name;
    } else if (column.length !== rows) {
      throw new InvalidInputError(
        'data',
        `fit: the columns have different lengths: ${first} has ${rows} rows, ${name} has ${column.length}`,
      );
    }
  }
  const columns = columnNames.map((name) => {
    const src = data[name];
    const col = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InvalidInputError(
          'data',
          `fit: column ${name} row ${i} is not a finite number: ${String(v)}`,
        );
      }
      col[i] = v;
    }
    return col;
  });
  if (rows < names.length) {
    throw new InvalidInputError(
      'data',
      `fit: ${Math.max(rows, 0)} rows for ${names.length} parameters: need at least as many rows as parameters`,
    );
  }
  let kernel: RowKernel;
  try {
    kernel = compileRows(residual, names, columnNames, { layout: 'column-major' });
  } catch (err) {
    if (err instanceof SymbolicUnknownVariableError)
      throw new UnknownVariableError(err.variable, err.message);
    if (err instanceof SymbolicError) throw new InvalidInputError('model', `fit: ${err.message}`);
    throw err;
  }
  return {
    residual,
    names,
    columnNames,
    columns,
    rows,
    kernel,
    start: Float64Array.from(names, (n) => start[n]),
  };
}

/**
 * Fit a model to data by nonlinear least squares: minimise Σ r_i² over the parameters, with residuals
 * r_i = model(params, row i) - response(row i). The model is a formula in the parameters (the keys of `start`)
 * and the data columns (the keys of `data`), such as `'b1*(1-exp(-b2*x))'`; the response is column `y` unless
 * `options.response` gives an expression of columns (`'log(y)'`).
 *
 * The residual and its exact derivatives by every parameter (symbolic `gradient`) are compiled once into one
 * kernel (`compileRows`) that fills the residual vector and the Jacobian for all rows in one call, without
 * allocating. The solver is {@link leastSquares}' Levenberg-Marquardt; standard errors are √ of the diagonal of
 * s² (JᵀJ)⁻¹, s² = rss / (rows - parameters), as NIST's reference datasets certify them.
 *
 * @throws UnknownVariableError for a variable neither a parameter nor a column.
 * @throws InvalidInputError for a missing or non-finite start value, non-finite data, columns of different
 * lengths, fewer rows than parameters.
 * @throws NonFiniteError when the residuals or the Jacobian are not finite at the start.
 * @example
 * ```ts
 * const r = fit('b1 * (1 - exp(-b2 * x))', { x: [1, 2, 3, 4], y: [0.63, 0.86, 0.95, 0.98] }, { b1: 1, b2: 1 });
 * r.params.b1; // about 0.99
 * ```
 */
export function fit(
  model: string | Expr,
  data: Readonly<Record<string, ArrayLike<number>>>,
  start: Readonly<Record<string, number>>,
  options: FitOptions = {},
): FitResult {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options', 'fit: options must be an object');
  }
  const { response, ...solver } = options;
  const prepared = prepareFit(model, data, start, response ?? 'y');
  const { kernel, columns, rows, names } = prepared;
  const result = levenbergMarquardt(
    { m: rows, layout: 'column-major', evaluate: (x, r, J) => kernel(x, columns, r, J) },
    prepared.start,
    solver,
  );
  const byName = (values: readonly number[]): Record<string, number> =>
    Object.fromEntries(names.map((n, j) => [n, values[j]]));
  return {
    params: byName(result.x),
    standardErrors: byName(result.standardErrors),
    covariance: result.covariance,
    names: [...names],
    residuals: result.residuals,
    rss: result.rss,
    residualStdDev: result.residualStdDev,
    dof: result.dof,
    iterations: result.iterations,
    evaluations: result.evaluations,
    jacobianEvaluations: result.jacobianEvaluations,
    converged: result.converged,
    termination: result.termination,
    reason: result.reason,
  };
}
