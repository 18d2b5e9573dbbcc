import { sym, toTex } from '@crossgrad/symbolic';

import type { CheckReport } from '../check/report.js';
import { formatNumber, formatValue } from './numbers.js';
import { texText } from './readable.js';

/**
 * The report as a LaTeX `align*` block: the expression, its definitions, then each derivative with its value; the
 * verdict follows as a comment line.
 *
 * @example
 * ```ts
 * process.stdout.write(formatReportTex(report));
 * // \begin{align*}
 * //   o &= \tanh\left(x_1 w_1 + x_2 w_2 + b\right) = 0.7071 \\ ...
 * ```
 */
export function formatReportTex(report: CheckReport): string {
  const out = toTex(sym(report.output));
  const lines = [
    `% crossgrad: ${report.output} = ${report.expression} at ${pointText(report.point)}`,
    '\\begin{align*}',
    `  ${out} &= ${texText(report.expressionExpr)} = ${formatValue(report.value)} \\\\`,
  ];
  for (const definition of report.definitions) {
    lines.push(`  ${toTex(sym(definition.name))} &= ${texText(definition.expr)} \\\\`);
  }
  report.rows.forEach((row, i) => {
    const partial = `\\frac{\\partial ${out}}{\\partial ${toTex(sym(row.variable))}}`;
    const end = i === report.rows.length - 1 ? '' : ' \\\\';
    lines.push(`  ${partial} &= ${texText(row.derivative)} = ${formatNumber(row.symbolic)}${end}`);
  });
  lines.push('\\end{align*}', `% verdict: ${report.verdict} (${report.reason})`);
  return lines.join('\n') + '\n';
}

function pointText(point: Readonly<Record<string, number>>): string {
  return Object.entries(point)
    .map(([name, value]) => `${name} = ${String(value)}`)
    .join(', ');
}
