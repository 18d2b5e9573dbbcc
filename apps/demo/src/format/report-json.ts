import type { CheckReport } from '../check/report.js';
import { fullText } from './readable.js';
import { expandedText } from './report-text.js';

/** One variable in `--json`. */
export interface GradientJson {
  readonly variable: string;
  readonly derivative: string;
  readonly symbolic: number;
  readonly autograd: number;
  /** null where finite differences were not run (non-finite value, next to a kink). */
  readonly finiteDifference: number | null;
  readonly agree: boolean;
}

/** The shape of `--json` (non-finite numbers become `null`, as JSON has no NaN). */
export interface ReportJson {
  readonly expression: string;
  readonly expanded: string;
  readonly point: Readonly<Record<string, number>>;
  readonly value: number;
  readonly gradient: readonly GradientJson[];
  readonly agree: boolean;
}

/**
 * The report as the `--json` object: the same content as the table, formulas whole.
 *
 * @example
 * ```ts
 * JSON.stringify(reportJson(report)); // {"expression":"tanh(x1*w1 + x2*w2 + b)", ...}
 * ```
 */
export function reportJson(report: CheckReport): ReportJson {
  return {
    expression: report.expression,
    expanded: expandedText(report),
    point: report.point,
    value: report.value,
    gradient: report.rows.map((row) => ({
      variable: row.variable,
      derivative: fullText(row.derivative),
      symbolic: row.symbolic,
      autograd: row.autograd,
      finiteDifference: row.finiteDifference ?? null,
      agree: row.agree,
    })),
    agree: report.agree,
  };
}
