import { diff, diffRules, expandTanh, explainDiff, parse, variables } from '@crossgrad/symbolic';
import { compareGradients, toValue } from '@crossgrad/verify';

import { checkPointCovers } from '../cli/point.js';
import { rowAgrees } from './agreement.js';
import type { CheckReport, GradientRow } from './report.js';

/**
 * `--expr` at `--at`: parse the expression and let verify's `compareGradients` differentiate it every way (symbolic
 * `diff`, autograd on the expression built as a `Value` graph, complex step, finite differences) and judge
 * agreement. mathjs stays out: it would add a second copy of mathjs to the start-up for a fifth opinion.
 *
 * @throws ParseError / UnknownFunctionError from the parser; UsageError when the point misses or adds variables.
 * @example
 * ```ts
 * exprReport('x^2 * y', { x: 3, y: 2 }).rows.map((r) => r.symbolic); // [12, 9]
 * ```
 */
export function exprReport(source: string, at: Readonly<Record<string, number>> | undefined): CheckReport {
  const expr = parse(source);
  const names = variables(expr);
  checkPointCovers(at ?? {}, names);
  const point = Object.fromEntries(names.map((name) => [name, at?.[name] ?? Number.NaN]));
  // The default rule table, given explicitly, makes verify's symbolic oracle `diff` per variable: the very
  // derivative this table prints.
  const check = compareGradients(expr, point, { mathjs: false, rules: diffRules });
  const rows = check.rows.map((row): GradientRow => ({
    variable: row.variable,
    derivative: diff(expr, row.variable),
    symbolic: row.symbolic,
    autograd: row.autograd,
    finiteDifference: row.finiteDifference,
    agree: rowAgrees(row, check.verdict),
    derivations: () => [{ variable: row.variable, step: explainDiff(expr, row.variable) }],
  }));
  return {
    output: 'f',
    expression: source.trim(),
    expressionExpr: expr,
    expanded: expandTanh(expr),
    definitions: [],
    point,
    value: check.value,
    rows,
    agree: rows.every((row) => row.agree),
    legend: [],
    note: check.verdict === 'agree' ? undefined : check.reason,
    graph: () => {
      const { output } = toValue(expr, point);
      if (output.label === '') output.label = 'f';
      output.backward();
      return output;
    },
  };
}
