import type { Verdict } from '@crossgrad/verify';

import type { CheckReport } from '../check/report.js';
import { fullText } from './readable.js';
import { expandedText } from './report-text.js';

/**
 * A number in `--json`: JSON has no NaN or infinities, so those are written as the strings JavaScript prints.
 *
 * @example
 * ```ts
 * const values: JsonNumber[] = [0.5, 'NaN', 'Infinity', '-Infinity'];
 * ```
 */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/**
 * One variable in `--json`.
 *
 * @example
 * ```ts
 * // { "variable": "x", "derivative": "-1 / x^2", "symbolic": "-Infinity", "autograd": "-Infinity",
 * //   "finiteDifference": null, "verdict": "undefined", "reason": "1 / x has a pole here (Infinity)" }
 * ```
 */
export interface GradientJson {
  readonly variable: string;
  readonly derivative: string;
  readonly symbolic: JsonNumber;
  readonly autograd: JsonNumber;
  /** null where finite differences were not run (the point is not judged, or the variable is not resolved). */
  readonly finiteDifference: JsonNumber | null;
  readonly verdict: Verdict;
  /** One line saying why, empty for `agree`. */
  readonly reason: string;
}

/**
 * The shape of `--json`. `null` means only "not computed"; a computed NaN is `"NaN"`.
 *
 * @example
 * ```ts
 * const report = JSON.parse(stdout) as ReportJson;
 * report.verdict; // 'agree'
 * ```
 */
export interface ReportJson {
  readonly expression: string;
  readonly expanded: string;
  readonly point: Readonly<Record<string, number>>;
  readonly value: JsonNumber;
  readonly gradient: readonly GradientJson[];
  readonly verdict: Verdict;
  readonly reason: string;
}

/**
 * A number as `--json` writes it: finite numbers as they are, NaN and the infinities as the strings `"NaN"`,
 * `"Infinity"`, `"-Infinity"` (what `JSON.stringify` would turn into `null`, and `Number()` reads back).
 *
 * @example
 * ```ts
 * jsonNumber(0.5); // 0.5
 * jsonNumber(-Infinity); // '-Infinity'
 * ```
 */
export function jsonNumber(x: number): JsonNumber {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/**
 * The report as the `--json` object: the same content as the table, formulas whole, every row's verdict and
 * reason and the report's.
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
    value: jsonNumber(report.value),
    gradient: report.rows.map((row) => ({
      variable: row.variable,
      derivative: fullText(row.derivative),
      symbolic: jsonNumber(row.symbolic),
      autograd: jsonNumber(row.autograd),
      finiteDifference: row.finiteDifference === undefined ? null : jsonNumber(row.finiteDifference),
      verdict: row.verdict,
      reason: row.reason,
    })),
    verdict: report.verdict,
    reason: report.reason,
  };
}
