import {
  diff,
  diffRules,
  expandTanh,
  explainDiff,
  parse,
  variables,
  writtenVariables,
  type Expr,
} from '@crossgrad/symbolic';
import { compareGradients, toValue } from '@crossgrad/verify';

import { checkPointCovers } from '../cli/point.js';
import { oneLine } from '../format/readable.js';
import type { CheckReport, GradientRow } from './report.js';
import { agreementSummary, type Judgement } from './verdict.js';

/**
 * The variables a point must give for an expression: those of the parsed expression and every one written in its
 * source, also one the builders simplified away (`y` in `x/(y - y)`). The CLI's `--at` and the page's point boxes
 * both ask for these.
 *
 * @example
 * ```ts
 * pointVariables('x/(y - y)', parse('x/(y - y)')); // ['x', 'y']
 * ```
 */
export function pointVariables(source: string, expr: Expr): string[] {
  return [...new Set([...variables(expr), ...writtenVariables(source)])].sort();
}

/**
 * `--expr` at `--at`: parse the expression and let verify's `compareGradients` differentiate it every way (symbolic
 * `diff`, autograd on the expression built as a `Value` graph, complex step, finite differences) and judge them:
 * each row and the report carry verify's verdict and reason unchanged. mathjs stays out: it would add a second copy of mathjs to the start-up for a fifth opinion.
 *
 * A variable written in the expression stays a variable when the builders simplify it away (`x` in `(x/x)^2 + w`,
 * which is `w + 1`): the point gives it a value, its row has derivative 0, and a note under the table says why.
 *
 * @throws ParseError / UnknownFunctionError from the parser; UsageError when the point misses or adds variables.
 * @example
 * ```ts
 * exprReport('x^2 * y', { x: 3, y: 2 }).rows.map((r) => r.symbolic); // [12, 9]
 * ```
 */
export function exprReport(source: string, at: Readonly<Record<string, number>> | undefined): CheckReport {
  const expr = parse(source);
  const kept = variables(expr);
  const names = pointVariables(source, expr);
  checkPointCovers(at ?? {}, names);
  const point = Object.fromEntries(names.map((name) => [name, at?.[name] ?? Number.NaN]));
  // The default rule table, given explicitly, makes verify's symbolic oracle `diff` per variable: the very
  // derivative this table prints.
  const check = compareGradients(expr, point, { mathjs: false, rules: diffRules, variables: names });
  const rows = check.rows.map((row): GradientRow => ({
    variable: row.variable,
    derivative: diff(expr, row.variable),
    symbolic: row.symbolic,
    autograd: row.autograd,
    finiteDifference: row.finiteDifference,
    verdict: row.verdict,
    reason: row.reason,
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
    ...reportJudgement(check, rows),
    legend: names
      .filter((name) => !kept.includes(name))
      .map(
        (name) =>
          `note: ${name} cancels out of the expression (it simplifies to ${oneLine(expr, 60, '...')}), so its derivative is 0`,
      ),
    graph: () => {
      const { output } = toValue(expr, point);
      if (output.label === '') output.label = 'f';
      output.backward();
      return output;
    },
  };
}

/**
 * verify's judgement of the whole expression, with two refinements of the CLI's own: agreement says what agreed,
 * and an expression without variables has no derivative to check (skipped).
 */
function reportJudgement(check: Judgement, rows: readonly GradientRow[]): Judgement {
  if (check.verdict !== 'agree') return { verdict: check.verdict, reason: check.reason };
  if (rows.length === 0) return { verdict: 'skipped', reason: 'no variables: nothing to differentiate' };
  return { verdict: 'agree', reason: agreementSummary(rows) };
}
