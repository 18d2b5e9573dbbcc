import type { DiffStep, Expr } from '@crossgrad/symbolic';

import type { CheckReport, Derivation } from '../check/report.js';
import { truncate } from './numbers.js';
import { oneLine } from './readable.js';
import type { Style } from './style.js';

/** A derivation longer than this is cut: the point is to read it, and a long one would hide the others. */
const MAX_LINES_PER_ROW = 60;

/**
 * Every row's derivation as an indented tree of rule names: `product rule  d/dx [x*sin(y)] = sin(y)`.
 *
 * @example
 * ```ts
 * process.stdout.write(formatSteps(report, style));
 * ```
 */
export function formatSteps(report: CheckReport, style: Style): string {
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
 * Walks the step tree with an explicit stack (a derivation is as deep as the expression is nested) and stops at
 * MAX_LINES_PER_ROW: a tree over a shared DAG can be far larger than the DAG itself.
 */
function derivationLines(derivation: Derivation, style: Style): string[] {
  const lines: string[] = [];
  const top = derivation.heading === undefined ? 1 : 2;
  if (derivation.heading !== undefined) lines.push(`  ${derivation.heading}`);
  const stack: Entry[] = [{ step: derivation.step, depth: top, outer: false }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    if (lines.length >= MAX_LINES_PER_ROW) {
      lines.push(`${'  '.repeat(top)}${style.ellipsis} (more steps not shown)`);
      break;
    }
    const { step, depth, outer } = entry;
    lines.push(stepLine(step, outer ? undefined : derivation.variable, depth, style));
    for (let i = step.children.length - 1; i >= 0; i--) {
      const child = step.children[i];
      // A chain rule's first child is the outer function's rule, applied to its argument u, not to the variable.
      if (child !== undefined)
        stack.push({ step: child, depth: depth + 1, outer: step.rule === 'chain rule' && i === 0 });
    }
  }
  return lines;
}

interface Entry {
  readonly step: DiffStep;
  readonly depth: number;
  readonly outer: boolean;
}

/** `rule  d/dx [expr] = derivative`; an outer function's step reads `exp rule  d/du exp(u) = exp(2 * n) at u = 2 * n`. */
function stepLine(step: DiffStep, variable: string | undefined, depth: number, style: Style): string {
  const indent = '  '.repeat(depth);
  const { expr } = step;
  // Each formula gets the whole line at most: the line is cut to fit anyway.
  const text = (e: Expr) => oneLine(e, style.width, style.ellipsis);
  const rest =
    variable === undefined && expr.kind === 'call'
      ? `  d/du ${expr.fn}(u) = ${text(step.derivative)} at u = ${text(expr.arg)}`
      : `  d/d${variable ?? 'u'} [${text(expr)}] = ${text(step.derivative)}`;
  const room = Math.max(10, style.width - indent.length - step.rule.length);
  return `${indent}${style.dim(step.rule)}${truncate(rest, room, style.ellipsis)}`;
}
