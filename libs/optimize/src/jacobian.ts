import { compileGraph, Value, type CompiledGraph } from '@crossgrad/autograd';
import { compileRows, type Expr, type RowKernel } from '@crossgrad/symbolic';
import { InvalidInputError } from './errors.js';
import { parseFormula } from './fit.js';

/**
 * A compiled Jacobian of several outputs: writes the outputs at `x` into `valuesOut` and, when `jacobianOut` is
 * given, ∂output_i/∂input_j into `jacobianOut[i * n + j]` (row-major) or `jacobianOut[j * m + i]`
 * (column-major), m outputs and n inputs. It allocates nothing.
 *
 * @example
 * ```ts
 * const a = new Value(1), b = new Value(2);
 * const J: JacobianKernel = jacobian([a.mul(b), a.add(b)], [a, b]);
 * ```
 */
export type JacobianKernel = (
  x: ArrayLike<number>,
  valuesOut: Float64Array,
  jacobianOut?: Float64Array | null,
) => void;

/**
 * Options of {@link jacobian} and {@link rowJacobian}.
 *
 * @example
 * ```ts
 * const options: JacobianOptions = { layout: 'column-major' };
 * ```
 */
export interface JacobianOptions {
  /** `'row-major'` (the default): element (i, j) at i · n + j; `'column-major'`: at j · m + i. */
  layout?: 'row-major' | 'column-major';
}

function layoutOf(options: JacobianOptions): 'row-major' | 'column-major' {
  const layout = options.layout ?? 'row-major';
  if (layout !== 'row-major' && layout !== 'column-major') {
    throw new InvalidInputError(
      'options.layout',
      `layout must be 'row-major' or 'column-major', got ${String(layout)}`,
    );
  }
  return layout;
}

function checkLeaves(values: readonly unknown[], what: string): Value[] {
  if (!Array.isArray(values)) throw new InvalidInputError(what, `${what} must be an array of Values`);
  return values.map((v, k) => {
    if (!(v instanceof Value)) throw new InvalidInputError(what, `${what}[${k}] must be a Value`);
    return v;
  });
}

/**
 * The Jacobian of several outputs of one autograd graph with respect to its inputs (leaves): each output's graph
 * is compiled once with `compileGraph`, and the kernel replays the tapes, one row of the Jacobian per output.
 * The numbers are the ones eager `backward()` gives, bit for bit.
 *
 * @example
 * ```ts
 * const a = new Value(1, 'a'), b = new Value(2, 'b');
 * const kernel = jacobian([a.mul(b), a.add(b).tanh()], [a, b]);
 * const values = new Float64Array(2), J = new Float64Array(4);
 * kernel([3, 4], values, J); // values = [12, tanh 7], J = [4, 3, sech² 7, sech² 7]
 * ```
 */
export function jacobian(
  outputs: readonly Value[],
  inputs: readonly Value[],
  options: JacobianOptions = {},
): JacobianKernel {
  const outs = checkLeaves(outputs, 'outputs');
  const ins = checkLeaves(inputs, 'inputs');
  const layout = layoutOf(options);
  const graphs: CompiledGraph[] = outs.map((o) => compileGraph(o, ins));
  const m = graphs.length;
  const n = ins.length;
  return (x, valuesOut, jacobianOut) => {
    if (x.length !== n)
      throw new InvalidInputError('x', `jacobian: x must hold ${n} numbers, got ${x.length}`);
    for (let i = 0; i < m; i++) {
      const { value, gradient } = graphs[i].run(x);
      valuesOut[i] = value;
      if (jacobianOut) {
        if (layout === 'row-major') for (let j = 0; j < n; j++) jacobianOut[i * n + j] = gradient[j];
        else for (let j = 0; j < n; j++) jacobianOut[j * m + i] = gradient[j];
      }
    }
  };
}

/**
 * The Jacobian of one residual over the rows of a data table, as a {@link RowKernel}
 * `(params, columns, valuesOut, jacobianOut)`; the number of rows is `valuesOut.length`.
 *
 * - From a formula or `Expr`: symbolic `compileRows`, the residual and its exact partial derivatives generated as
 *   one loop over the rows, shared subexpressions computed once (what {@link fit} uses).
 * - From an autograd `Value` whose leaves `params` and `columns` it depends on: the graph is compiled once with
 *   `compileGraph` and its tape replayed at every row.
 *
 * @example
 * ```ts
 * const kernel = rowJacobian('sqrt((x-cx)^2 + (y-cy)^2) - r', ['cx', 'cy', 'r'], ['x', 'y']);
 * const r = new Float64Array(2), J = new Float64Array(6);
 * kernel([0, 0, 1], [[3, 0], [4, 2]], r, J); // r = [4, 1], J ≈ [-0.6, -0.8, -1, 0, -1, -1]
 * ```
 */
export function rowJacobian(
  residual: string | Expr,
  params: readonly string[],
  columns: readonly string[],
  options?: JacobianOptions,
): RowKernel;
export function rowJacobian(
  residual: Value,
  params: readonly Value[],
  columns: readonly Value[],
  options?: JacobianOptions,
): RowKernel;
export function rowJacobian(
  residual: string | Expr | Value,
  params: readonly (string | Value)[],
  columns: readonly (string | Value)[],
  options: JacobianOptions = {},
): RowKernel {
  const layout = layoutOf(options);
  if (!(residual instanceof Value)) {
    const e = typeof residual === 'string' ? parseFormula(residual, 'residual', 'rowJacobian') : residual;
    return compileRows(e, params as readonly string[], columns as readonly string[], { layout });
  }
  const ps = checkLeaves(params, 'params');
  const cs = checkLeaves(columns, 'columns');
  const graph = compileGraph(residual, [...ps, ...cs]);
  const p = ps.length;
  const point = new Float64Array(p + cs.length);
  return (values, cols, valuesOut, jacobianOut) => {
    const m = valuesOut.length;
    for (let j = 0; j < p; j++) point[j] = values[j];
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < cs.length; k++) point[p + k] = cols[k][i];
      const { value, gradient } = graph.run(point);
      valuesOut[i] = value;
      if (jacobianOut) {
        if (layout === 'row-major') for (let j = 0; j < p; j++) jacobianOut[i * p + j] = gradient[j];
        else for (let j = 0; j < p; j++) jacobianOut[j * m + i] = gradient[j];
      }
    }
  };
}
