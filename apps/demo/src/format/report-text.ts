import type { Expr } from '@crossgrad/symbolic';

import type { CheckReport } from '../check/report.js';
import { formatNumber, formatValue, truncate } from './numbers.js';
import { fullText, oneLine, printsShared } from './readable.js';
import type { Style } from './style.js';
import { renderTable, type Column } from './table.js';

const COLUMNS: readonly Column[] = [
  { heading: 'v', align: 'left' },
  { heading: 'd/dv (symbolic)', align: 'left' },
  { heading: 'symbolic', align: 'right' },
  { heading: 'autograd', align: 'right' },
  { heading: 'finite diff', align: 'right' },
  { heading: 'verdict', align: 'left' },
];

/**
 * The report as text: the expression, its expansion, the point and the value, then one aligned row per variable.
 * Formulas too wide for the screen are shortened (`--json` and `--steps` show them whole).
 *
 * @example
 * ```ts
 * process.stdout.write(formatReportText(report, styleFor(process.stdout, process.env)));
 * ```
 */
export function formatReportText(report: CheckReport, style: Style): string {
  const { output } = report;
  const lines = [style.bold(truncate(`${output} = ${report.expression}`, style.width, style.ellipsis))];
  if (wasExpanded(report)) {
    lines.push(
      `  expanded  ${output} = ${expandedText(report, (e) => oneLine(e, style.width, style.ellipsis))}`,
    );
  }
  lines.push(
    `  at        ${formatPoint(report.point)}`,
    `  value     ${output} = ${formatValue(report.value)}`,
    '',
  );
  if (report.rows.length === 0) {
    lines.push('  (no variables: nothing to differentiate)', closingLine(report, style));
    return lines.join('\n') + '\n';
  }
  const numbers = report.rows.map((row) => {
    // A disagreement shows more digits, so the difference is visible in the table.
    const digits = row.verdict === 'disagree' ? 12 : 6;
    const cells = [row.symbolic, row.autograd, row.finiteDifference];
    return cells.map((x) => (x === undefined ? '-' : formatNumber(x, digits)));
  });
  const heading = COLUMNS.map((c, i) => (i === 1 ? { ...c, heading: `d${output}/dv (symbolic)` } : c));
  const marks = report.rows.map((row) => style.mark(row.verdict));
  const fixed = fixedWidth(
    heading,
    report.rows.map((r) => r.variable),
    numbers,
    marks,
  );
  const formulaWidth = Math.max(16, style.width - 2 - fixed);
  let shortened = false;
  let shared = false;
  const rows = report.rows.map((row, i) => {
    const formula =
      row.display === undefined
        ? oneLine(row.derivative, formulaWidth, style.ellipsis)
        : truncate(row.display, formulaWidth, style.ellipsis);
    const cut = formula.endsWith(style.ellipsis) || formula.endsWith('too large to print)');
    shortened ||= cut;
    shared ||= cut && row.display === undefined && printsShared(row.derivative);
    const mark = { text: marks[i] ?? '', paint: style.verdict(row.verdict) };
    return [row.variable, formula, ...(numbers[i] ?? []), mark];
  });
  for (const line of renderTable(heading, rows)) lines.push(`  ${line}`);
  lines.push('');
  for (const line of report.legend) lines.push(`  ${line}`);
  // --steps cuts its formulas to the screen too; only --json prints them whole.
  const how = shared ? ', a very large one as shared subexpressions t1 = ...' : '';
  if (shortened) lines.push(style.dim(`  (formulas shortened to fit: --json prints them whole${how})`));
  lines.push(closingLine(report, style));
  return lines.join('\n') + '\n';
}

/**
 * The report's verdict and its reason on one line, as verify's `formatReport` writes it: `verdict: agree (...)`.
 * On a terminal it starts with the verdict's mark and takes its colour.
 */
function closingLine(report: CheckReport, style: Style): string {
  const text = `verdict: ${report.verdict} (${report.reason})`;
  const marked = style.tty ? `${style.symbol(report.verdict)} ${text}` : text;
  return `  ${style.verdict(report.verdict)(marked)}`;
}

/**
 * Whether the expanded form says anything the expression does not: a tanh written out, or names defined. Expressions
 * are hash-consed, so an expansion that changed nothing is the very same object.
 *
 * @example
 * ```ts
 * wasExpanded(exprReport('x^2', { x: 1 })); // false
 * wasExpanded(exprReport('tanh(x)', { x: 1 })); // true
 * ```
 */
export function wasExpanded(report: CheckReport): boolean {
  return report.expanded !== report.expressionExpr || report.definitions.length > 0;
}

/**
 * The expanded expression followed by the definitions it uses: `(exp(2 * n) - 1) / (exp(2 * n) + 1) with n = ...`.
 *
 * @example
 * ```ts
 * expandedText(report); // '(exp(2 * n) - 1) / (exp(2 * n) + 1) with n = b + w1 * x1 + w2 * x2'
 * ```
 */
export function expandedText(report: CheckReport, print: (e: Expr) => string = fullText): string {
  const definitions = report.definitions.map((d) => `${d.name} = ${print(d.expr)}`);
  const where = definitions.length > 0 ? ` with ${definitions.join(', ')}` : '';
  return print(report.expanded) + where;
}

/** Point values print in full: the seed's b = 6.8813735870195432 is chosen to make o exactly 1/sqrt(2). */
function formatPoint(point: Readonly<Record<string, number>>): string {
  const entries = Object.entries(point);
  if (entries.length === 0) return '(no variables)';
  return entries.map(([name, value]) => `${name} = ${String(value)}`).join(', ');
}

function fixedWidth(
  columns: readonly Column[],
  names: readonly string[],
  numbers: readonly string[][],
  marks: readonly string[],
): number {
  const width = (i: number, cells: readonly string[]) =>
    Math.max((columns[i]?.heading ?? '').length, ...cells.map((c) => c.length));
  const gaps = 2 * (columns.length - 1);
  const numeric = [0, 1, 2].map((j) =>
    width(
      j + 2,
      numbers.map((row) => row[j] ?? ''),
    ),
  );
  return gaps + width(0, names) + numeric.reduce((a, b) => a + b, 0) + width(5, marks);
}
