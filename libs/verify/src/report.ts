import type { GradientReport, GradientRow } from './compare.js';

/**
 * Prints a {@link GradientReport} as an aligned text table: the report's verdict and reason, then one row per
 * variable with every oracle's derivative, the finite difference's error estimate, the largest relative error
 * between exact oracles, and the row's own verdict (the same word the report object holds), followed by the reason
 * of every row whose verdict is not `agree`.
 *
 * @example
 * ```ts
 * console.log(formatReport(compareGradients('x^2 * sin(y)', { x: 3, y: 0.5 })));
 * // f = x^2*sin(y)   at x = 3, y = 0.5   f = 2.1576…
 * // verdict: agree (all oracles agree within tolerance)
 * //
 * // var  symbolic   autograd   complex step  finite diff ± error      mathjs     max rel  verdict
 * // x    2.876…     …                                                                  agree
 * ```
 */
export function formatReport(report: GradientReport): string {
  const at = Object.entries(report.point)
    .map(([k, v]) => `${k} = ${num(v)}`)
    .join(', ');
  const head = [
    `f = ${report.expression}   at ${at === '' ? '(no variables)' : at}   f = ${num(report.value)}`,
    `verdict: ${report.verdict} (${report.reason})`,
  ];
  if (report.flags.nonFinite) head.push('flag: non-finite value or slope');
  if (report.flags.nearKink) head.push('flag: next to a relu/abs kink');
  if (report.flags.nearSingularity) head.push('flag: next to a singularity');
  if (report.flags.derivativeOutOfRange.length > 0) {
    head.push(`flag: symbolic derivative out of range for ${report.flags.derivativeOutOfRange.join(', ')}`);
  }
  if (!report.mathjs.applicable) head.push(`mathjs: ${report.mathjs.reason ?? 'not applicable'}`);
  const header = [
    'var',
    'symbolic',
    'autograd',
    'complex step',
    'finite diff ± error',
    'mathjs',
    'max rel',
    'verdict',
  ];
  const body = report.rows.map((r) => [
    r.variable,
    num(r.symbolic),
    num(r.autograd),
    num(r.complexStep),
    r.finiteDifference === undefined
      ? '-'
      : `${num(r.finiteDifference)} ± ${short(r.finiteDifferenceError ?? NaN)}`,
    r.mathjs === undefined ? '-' : num(r.mathjs),
    short(maxExactRel(r)),
    r.verdict,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd();
  const reasons = report.rows
    .filter((r) => r.verdict !== 'agree')
    .map((r) => `∂/∂${r.variable}: ${r.verdict}: ${r.reason}`);
  return [...head, '', line(header), ...body.map(line), ...(reasons.length > 0 ? ['', ...reasons] : [])].join(
    '\n',
  );
}

/** The worst relative error among the exact oracles in one row. */
function maxExactRel(r: GradientRow): number {
  return r.comparisons
    .filter((c) => c.oracle !== 'finiteDifference')
    .reduce((m, c) => Math.max(m, c.relError), 0);
}

/** Up to 12 significant digits, without trailing zeros. */
function num(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(12)));
}

function short(v: number): string {
  return v === 0 || !Number.isFinite(v) ? String(v) : v.toExponential(1);
}
