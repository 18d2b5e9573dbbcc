import { rowJacobian, type RowKernel } from '@crossgrad/optimize';
import type { Expr } from '@crossgrad/symbolic';
import { compareGradients, type GradientRow } from '@crossgrad/verify';

/**
 * The verdict of one check of a fit's Jacobian: `agree`, `disagree`, or `skipped` when some entry could not be
 * judged (the reason says which and why).
 *
 * @example
 * ```ts
 * const verdict: JacobianVerdict = 'agree';
 * ```
 */
export type JacobianVerdict = 'agree' | 'disagree' | 'skipped';

/**
 * One check of the Jacobian a fit uses, at one parameter point.
 *
 * @example
 * ```ts
 * const check: JacobianCheck = { at: 'start', verdict: 'agree', reason: '...', rows: [2, 8, 15], entries: 6, largestDifference: 0 };
 * ```
 */
export interface JacobianCheck {
  /** Where the parameters were: the start or the solution. */
  readonly at: 'start' | 'solution';
  readonly verdict: JacobianVerdict;
  /** One line: what was compared and how close it came, or which entry failed or was skipped and why. */
  readonly reason: string;
  /** The rows checked, numbered as the file's lines (the header is row 1). */
  readonly rows: readonly number[];
  /** How many Jacobian entries were compared (rows × parameters). */
  readonly entries: number;
  /** The largest relative difference between the fit's Jacobian and the complex step over the entries compared. */
  readonly largestDifference: number;
}

/** Relative tolerance between the fit's exact derivative and the complex step, as compareGradients' default. */
const RTOL = 1e-9;
/** Finite differences pass within this many times their own error estimate, as compareGradients' default. */
const SAFETY = 4;

/** What a Jacobian check needs to know about the fit. */
export interface JacobianProblem {
  /** The residual model - response. */
  readonly residual: Expr;
  /** The parameters, in the order of the Jacobian's columns. */
  readonly names: readonly string[];
  /** The data columns the residual uses, and their values. */
  readonly columnNames: readonly string[];
  readonly columns: readonly (readonly number[])[];
}

/**
 * The rows a check samples: the first, the middle and the last data row (fewer when the table is shorter), as
 * 0-based indices into the data.
 *
 * @example
 * ```ts
 * sampleRows(14); // [0, 7, 13]
 * ```
 */
export function sampleRows(rows: number): number[] {
  return [...new Set([0, Math.floor(rows / 2), rows - 1])].filter((i) => i >= 0 && i < rows);
}

/**
 * Checks the Jacobian a fit uses (the residual's exact partial derivatives by every parameter, compiled by
 * @crossgrad/optimize's `rowJacobian` from the residual, as `fit` compiles it) on a few rows at the parameters
 * `params`, against @crossgrad/verify's oracles: `compareGradients` of the residual at each row (the data of the row
 * as fixed values) gives the complex step and finite differences of every partial, and its own verdict that they
 * and the symbolic and autograd derivatives agree. An entry agrees when the fit's number is within 1e-9 (relative
 * to the derivative's magnitude, plus the chain rule's rounding bound) of the complex step and within 4 times the
 * finite difference's error estimate of it; it is skipped when verify cannot judge the partial there (a value that
 * is not a real number, a kink, a singularity), with verify's reason.
 *
 * `kernel` is the Jacobian under test, row-major; by default the one `fit` compiles.
 *
 * @example
 * ```ts
 * const check = checkJacobian(problem, 'solution', { b1: 238.9, b2: 5.5e-4 });
 * check.verdict; // 'agree'
 * ```
 */
export function checkJacobian(
  problem: JacobianProblem,
  at: 'start' | 'solution',
  params: Readonly<Record<string, number>>,
  kernel: RowKernel = rowJacobian(problem.residual, problem.names, problem.columnNames),
): JacobianCheck {
  const { residual, names, columnNames, columns } = problem;
  const m = columns[0]?.length ?? 0;
  const p = names.length;
  const values = new Float64Array(m);
  const J = new Float64Array(m * p);
  kernel(
    names.map((n) => params[n] ?? Number.NaN),
    columns,
    values,
    J,
  );
  const indices = sampleRows(m);
  const rows = indices.map((i) => i + 2);
  let largestDifference = 0;
  let skipped: string | undefined;
  let entries = 0;
  for (const i of indices) {
    const point: Record<string, number> = { ...params };
    columnNames.forEach((name, k) => (point[name] = columns[k]?.[i] ?? Number.NaN));
    const report = compareGradients(residual, point, { variables: names, mathjs: false });
    for (const [j, name] of names.entries()) {
      const row = report.rows[j];
      if (row === undefined) continue;
      const where = `row ${i + 2}, d/d${name}`;
      const analytic = J[i * p + j] ?? Number.NaN;
      if (row.verdict === 'disagree') {
        return disagree(`${where}: verify's oracles disagree with each other (${row.reason})`);
      }
      if (row.verdict !== 'agree') {
        skipped ??= `${where}: ${row.reason}`;
        continue;
      }
      const judged = judge(analytic, row);
      if (judged.message !== undefined) return disagree(`${where}: ${judged.message}`);
      largestDifference = Math.max(largestDifference, judged.difference);
      entries += 1;
    }
  }
  const onRows = `on rows ${rows.join(', ')}`;
  if (skipped !== undefined) {
    return {
      at,
      verdict: 'skipped',
      reason: `${entries} of ${indices.length * p} entries ${onRows} agree; ${skipped}`,
      rows,
      entries,
      largestDifference,
    };
  }
  return {
    at,
    verdict: 'agree',
    reason: `${entries} entries ${onRows}, largest relative difference ${small(largestDifference)}`,
    rows,
    entries,
    largestDifference,
  };

  function disagree(reason: string): JacobianCheck {
    return { at, verdict: 'disagree', reason, rows, entries, largestDifference };
  }
}

/** The fit's derivative against one partial's complex step and finite difference. */
function judge(analytic: number, row: GradientRow): { difference: number; message?: string } {
  const reference = row.complexStep;
  const scale = Math.max(Math.abs(analytic), Math.abs(reference), row.magnitude);
  const difference = scale === 0 ? 0 : Math.abs(analytic - reference) / scale;
  const tolerance = RTOL * scale + 4 * row.rounding + 1e-30;
  if (!(Math.abs(analytic - reference) <= tolerance)) {
    return {
      difference,
      message: `the fit's Jacobian has ${analytic}, the complex step ${reference} (relative difference ${small(difference)})`,
    };
  }
  const fd = row.finiteDifference;
  const fdError = row.finiteDifferenceError;
  if (
    fd !== undefined &&
    fdError !== undefined &&
    !(Math.abs(analytic - fd) <= SAFETY * fdError + tolerance)
  ) {
    return {
      difference,
      message: `the fit's Jacobian has ${analytic}, finite differences ${fd} ± ${small(fdError)}`,
    };
  }
  return { difference };
}

/** A small positive number in two digits: `1.1e-16`, `1.0e-6`, `0`. */
function small(x: number): string {
  return x === 0 ? '0' : x.toExponential(1);
}
