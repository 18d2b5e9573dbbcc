import { checkExpr, checkVariables, describe } from './check.js';
import { type DiffOptions } from './diff.js';
import { ArgumentError, SymbolicError, UnknownVariableError } from './errors.js';
import { childrenOf, type Expr, type FnName } from './expr.js';
import { COMPILE_HELPERS, FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { gradient } from './gradient.js';
import { inverseSquare, powScalar } from './scalar.js';
import { literal } from './words.js';

/**
 * A kernel from {@link compileRows}: for parameter values `params` (in the order of `params` given to
 * `compileRows`) and data `columns` (in the order of `columns` given), writes the expression's value at every row
 * into `valuesOut` (its length is the number of rows) and, when `jacobianOut` is given, the partial derivative
 * with respect to parameter j at row i into `jacobianOut[i * p + j]` (row-major) or `jacobianOut[j * m + i]`
 * (column-major), m rows and p parameters. It allocates nothing.
 *
 * @example
 * ```ts
 * const k: RowKernel = compileRows(parse('a * x + b'), ['a', 'b'], ['x']);
 * const r = new Float64Array(2), J = new Float64Array(4);
 * k([2, 1], [[1, 2]], r, J); // r = [3, 5], J = [1, 1, 2, 1]
 * ```
 */
export type RowKernel = (
  params: ArrayLike<number>,
  columns: readonly ArrayLike<number>[],
  valuesOut: Float64Array,
  jacobianOut?: Float64Array | null,
) => void;

/**
 * Options of {@link compileRows}.
 *
 * @example
 * ```ts
 * const options: CompileRowsOptions = { layout: 'column-major' };
 * ```
 */
export interface CompileRowsOptions extends DiffOptions {
  /** Where the derivative by parameter j at row i goes: `i * p + j` (`'row-major'`, the default) or `j * m + i`
   * (`'column-major'`, as LINPACK and MINPACK store a Jacobian). */
  layout?: 'row-major' | 'column-major';
}

/**
 * One kernel computing an expression and its partial derivatives with respect to some of its variables (the
 * parameters) at every row of a table of data (the other variables, one array per column): the Jacobian of the
 * residuals of a model fit, for example. The derivatives are `gradient`'s expressions; the expression and its
 * derivatives are emitted as one block of generated JavaScript in which each shared subexpression is computed
 * once per row, and every subexpression that depends on the parameters alone is computed once per call, before
 * the loop over the rows. Each value is computed by the same floating-point operations in the same order as
 * {@link evaluate} would compute the expression and its `gradient` entries, so the numbers are identical to
 * theirs, bit for bit.
 *
 * A variable in neither list is an {@link UnknownVariableError}; a name in both, an {@link ArgumentError}.
 *
 * @example
 * ```ts
 * const k = compileRows(parse('b1 * (1 - exp(-b2 * x)) - y'), ['b1', 'b2'], ['x', 'y']);
 * const r = new Float64Array(3), J = new Float64Array(6);
 * k([2, 0.5], [[0, 1, 2], [0, 0.5, 1]], r, J); // r[0] = 0, J[1] = 0 (d/db2 at x = 0)
 * ```
 */
export function compileRows(
  e: Expr,
  params: readonly string[],
  columns: readonly string[],
  options: CompileRowsOptions = {},
): RowKernel {
  const where = 'compileRows';
  const root = checkExpr(e, where);
  const pNames = checkVariables(params, where);
  const cNames = checkVariables(columns, where);
  if (typeof options !== 'object' || options === null) {
    throw new SymbolicError(`${where}: options must be an object, got ${describe(options)}`);
  }
  const layout = options.layout ?? 'row-major';
  if (layout !== 'row-major' && layout !== 'column-major') {
    throw new ArgumentError(
      'layout',
      `${where}: layout must be 'row-major' or 'column-major', got ${describe(layout)}`,
    );
  }
  const pIndex = new Map(pNames.map((n, i) => [n, i]));
  const cIndex = new Map(cNames.map((n, i) => [n, i]));
  for (const n of cNames) {
    if (pIndex.has(n)) {
      throw new ArgumentError('columns', `${where}: '${n}' is both a parameter and a column`);
    }
  }
  const grad = gradient(root, pNames, options);
  const derivs = pNames.map((n) => grad.get(n) as Expr);
  const p = pNames.length;

  // All nodes of the expression and its derivatives, children first, each once.
  const order: Expr[] = [];
  const seen = new Set<Expr>();
  const walk = (start: Expr): void => {
    if (seen.has(start)) return;
    const stack: Expr[] = [start];
    const next: number[] = [0];
    seen.add(start);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const kids = childrenOf(stack[top]);
      const i = next[top];
      if (i < kids.length) {
        next[top] = i + 1;
        const child = kids[i];
        if (!seen.has(child)) {
          seen.add(child);
          stack.push(child);
          next.push(0);
        }
      } else {
        order.push(stack.pop() as Expr);
        next.pop();
      }
    }
  };
  walk(root);
  const valueCount = order.length;
  for (const d of derivs) walk(d);

  // Whether a node's value changes from row to row, and the JavaScript naming it.
  const perRow = new Set<Expr>();
  const names = new Map<Expr, string>();
  for (const node of order) {
    if (node.kind === 'sym') {
      if (cIndex.has(node.name)) perRow.add(node);
      else if (!pIndex.has(node.name)) {
        throw new UnknownVariableError(
          node.name,
          `${where}: the expression uses '${node.name}', which is neither a parameter [${pNames.join(', ')}] ` +
            `nor a column [${cNames.join(', ')}]`,
        );
      }
    } else if (childrenOf(node).some((k) => perRow.has(k))) perRow.add(node);
  }

  let counter = 0;
  const emit = (node: Expr, lines: string[]): void => {
    if (names.has(node)) return;
    if (node.kind === 'num') {
      names.set(node, literal(node.value));
      return;
    }
    const local = 't' + counter++;
    names.set(node, local);
    const arg = (k: Expr): string => names.get(k) as string;
    let value: string;
    switch (node.kind) {
      case 'sym':
        value = pIndex.has(node.name) ? `params[${pIndex.get(node.name)}]` : `c${cIndex.get(node.name)}[i]`;
        break;
      case 'add':
        value = node.terms.map(arg).join(' + ');
        break;
      case 'mul':
        value = node.factors.map(arg).join(' * ');
        break;
      case 'pow':
        // powScalar's cases written out where the exponent is a number: the same operations, no test of it.
        value =
          node.exponent.kind !== 'num'
            ? `pow(${arg(node.base)}, ${arg(node.exponent)})`
            : node.exponent.value === -1
              ? `1 / ${arg(node.base)}`
              : node.exponent.value === -2
                ? `inverseSquare(${arg(node.base)})`
                : `Math.pow(${arg(node.base)}, ${arg(node.exponent)})`;
        break;
      case 'call':
        value = FUNCTIONS[node.fn as FnName].js(arg(node.arg));
        break;
      case 'call2':
        value = FUNCTIONS2[node.fn].js(arg(node.args[0]), arg(node.args[1]));
        break;
    }
    lines.push(`const ${local} = ${value};`);
  };

  // Parameter-only values, computed once per call.
  const head: string[] = [];
  for (const node of order) if (!perRow.has(node)) emit(node, head);
  const headNames = new Map(names);
  const bodyOf = (nodes: readonly Expr[]): string[] => {
    names.clear();
    for (const [k, v] of headNames) names.set(k, v);
    const lines: string[] = [];
    for (const node of nodes) if (perRow.has(node)) emit(node, lines);
    return lines;
  };
  const valueBody = bodyOf(order.slice(0, valueCount));
  valueBody.push(`valuesOut[i] = ${names.get(root)};`);
  const fullBody = bodyOf(order);
  fullBody.push(`valuesOut[i] = ${names.get(root)};`);
  derivs.forEach((d, j) => {
    const at = layout === 'row-major' ? `i * ${p} + ${j}` : `${j} * m + i`;
    fullBody.push(`jacobianOut[${at}] = ${names.get(d)};`);
  });

  const columnLocals = cNames.map((_, k) => `const c${k} = columns[${k}];`).join('\n');
  const source = `"use strict";
return function (params, columns, valuesOut, jacobianOut) {
check(params, columns, valuesOut, jacobianOut);
const m = valuesOut.length;
${columnLocals}
${head.join('\n')}
if (jacobianOut === undefined || jacobianOut === null) {
for (let i = 0; i < m; i++) {
${valueBody.join('\n')}
}
return;
}
for (let i = 0; i < m; i++) {
${fullBody.join('\n')}
}
};`;
  const check = (ps: unknown, cs: unknown, out: unknown, jac: unknown): void => {
    const bad = (argument: string, message: string): never => {
      throw new ArgumentError(argument, `${where} kernel: ${message}`);
    };
    if (typeof ps !== 'object' || ps === null || (ps as ArrayLike<number>).length !== p) {
      bad('params', `params must hold ${p} numbers (${pNames.join(', ')}), got ${describe(ps)}`);
    }
    if (!(out instanceof Float64Array))
      bad('valuesOut', `valuesOut must be a Float64Array, got ${describe(out)}`);
    const m = (out as Float64Array).length;
    if (!Array.isArray(cs) || cs.length !== cNames.length) {
      bad(
        'columns',
        `columns must be an array of ${cNames.length} columns (${cNames.join(', ')}), got ${describe(cs)}`,
      );
    }
    (cs as ArrayLike<number>[]).forEach((c, k) => {
      if (typeof c !== 'object' || c === null || c.length < m) {
        bad('columns', `column ${cNames[k]} must hold at least ${m} numbers, got ${describe(c)}`);
      }
    });
    if (jac !== undefined && jac !== null && (!(jac instanceof Float64Array) || jac.length < m * p)) {
      bad(
        'jacobianOut',
        `jacobianOut must be a Float64Array of at least ${m * p} numbers, got ${describe(jac)}`,
      );
    }
  };
  const helpers = ['pow', 'inverseSquare', ...Object.keys(COMPILE_HELPERS)];
  const F: Record<string, unknown> = { pow: powScalar, inverseSquare, ...COMPILE_HELPERS };
  try {
    return new Function('check', ...helpers, source)(check, ...helpers.map((h) => F[h])) as RowKernel;
  } catch (err) {
    throw new SymbolicError(`${where}: the generated function was rejected: ${(err as Error).message}`);
  }
}
