import { format, size, toTex, type Expr } from '@crossgrad/symbolic';

import { truncate } from './numbers.js';

/**
 * Past this many nodes (counting shared subexpressions at every use) a formula is not printed on one line: its text
 * would be too long to read and slow to build (the expanded tanh nested twelve deep prints half a megabyte).
 */
const LINE_LIMIT = 20_000;

/** Past this many tree nodes, `--json` and `--tex` print shared subexpressions once (or not at all, for TeX). */
const FULL_LIMIT = 200_000;

/**
 * A formula on one line of at most `width` characters, or a note of its size when it is too large to print.
 *
 * @example
 * ```ts
 * oneLine(parse('x^2 + sin(x)'), 8, '...'); // 'x^2 +...'
 * ```
 */
export function oneLine(e: Expr, width: number, ellipsis: string): string {
  const { tree, dag } = size(e);
  if (tree > LINE_LIMIT)
    return `(${tree.toPrecision(3)} nodes as a tree, ${dag} distinct: too large to print)`;
  return truncate(format(e), width, ellipsis);
}

/**
 * A formula whole, for `--json`: symbolic's `format`, or past FULL_LIMIT tree nodes its shared-subexpression form
 * (`t1 = ...` lines, then the expression).
 *
 * @example
 * ```ts
 * fullText(parse('x^2')); // 'x^2'
 * ```
 */
export function fullText(e: Expr): string {
  return printsShared(e) ? format(e, { cse: true }) : format(e);
}

/**
 * Whether {@link fullText} prints `e` as shared subexpressions (`t1 = ...` lines) rather than as one formula.
 *
 * @example
 * ```ts
 * printsShared(parse('x^2')); // false
 * ```
 */
export function printsShared(e: Expr): boolean {
  return size(e).tree > FULL_LIMIT;
}

/**
 * A formula as LaTeX, or a `\text{}` note of its size past FULL_LIMIT tree nodes.
 *
 * @example
 * ```ts
 * texText(parse('x^2')); // 'x^{2}'
 * ```
 */
export function texText(e: Expr): string {
  const { tree, dag } = size(e);
  if (tree > FULL_LIMIT)
    return `\\text{(${tree.toPrecision(3)} nodes as a tree, ${dag} distinct: too large to print)}`;
  return toTex(e);
}
