import { formatSteps } from '@crossgrad/symbolic';

import type { CheckReport, Derivation } from '../check/report.js';
import { truncate } from './numbers.js';
import { oneLine } from './readable.js';
import type { Style } from './style.js';

/** A derivation longer than this is cut: the point is to read it, and a long one would hide the others. */
const MAX_LINES_PER_ROW = 60;

/**
 * Every row's derivation as an indented tree of rule names, printed by symbolic's `formatSteps`:
 * `product rule: d/dx [x * sin(y)] = sin(y)`.
 *
 * @example
 * ```ts
 * process.stdout.write(formatReportSteps(report, style));
 * ```
 */
export function formatReportSteps(report: CheckReport, style: Style): string {
  const lines: string[] = [];
  for (const row of report.rows) {
    const head = `d${report.output}/d${row.variable} = `;
    const room = style.width - head.length;
    const formula = row.display ?? oneLine(row.derivative, room, style.ellipsis);
    lines.push(style.bold(head + truncate(formula, room, style.ellipsis)));
    for (const derivation of row.derivations()) lines.push(...derivationLines(derivation, style));
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * One derivation as symbolic's `formatSteps` prints it (`rule: d/dx [expr] = derivative`, indented by depth, at most
 * MAX_LINES_PER_ROW lines, each formula at most a screen wide), indented under the row's heading, each line cut to
 * the screen, the rule dimmed on a terminal.
 */
function derivationLines(derivation: Derivation, style: Style): string[] {
  const lines: string[] = [];
  const top = '  '.repeat(derivation.heading === undefined ? 1 : 2);
  if (derivation.heading !== undefined) lines.push(`  ${derivation.heading}`);
  const text = formatSteps(derivation.step, derivation.variable, {
    maxLines: MAX_LINES_PER_ROW,
    maxChars: style.width,
  });
  for (const raw of text.split('\n')) {
    // The library cuts with '…'; a piped stream gets the style's ASCII ellipsis.
    const line = top + raw.replaceAll('…', style.ellipsis);
    const cut = truncate(line, style.width, style.ellipsis);
    const rule = RULE.exec(cut);
    lines.push(
      rule === null ? cut : `${rule[1] ?? ''}${style.dim(rule[2] ?? '')}${cut.slice(rule[0].length - 2)}`,
    );
  }
  return lines;
}

/** The indentation and the rule name of a step line: `    chain rule: d/dx [...]`. */
const RULE = /^(\s*)([^:]+): /;
