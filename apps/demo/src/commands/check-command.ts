import { toDot } from '@crossgrad/autograd';

import type { CheckOptions } from '../cli/args.js';
import type { Io } from '../cli/io.js';
import { UsageError } from '../cli/usage-error.js';
import { exprReport } from '../check/expr-report.js';
import { seedReport } from '../check/seed-report.js';
import { exitStatus } from '../check/verdict.js';
import { reportJson } from '../format/report-json.js';
import { formatReportTex } from '../format/report-tex.js';
import { formatReportText } from '../format/report-text.js';
import { formatReportSteps } from '../format/steps.js';
import { styleFor } from '../format/style.js';
import { checkWritable, writeOutput } from '../render/output-file.js';

/**
 * The default command: the seed's neuron, or `--expr` at `--at`, printed as a table, JSON or LaTeX, with the
 * `Value` graph written as DOT or SVG on request.
 *
 * @returns the exit status of the report's verdict: 0 agree, 1 disagree, 3 no derivative to check (undefined,
 * not-differentiable, skipped).
 * @example
 * ```ts
 * const status = await runCheck(parseCommandLine([]) as CheckOptions, io);
 * ```
 */
export async function runCheck(options: CheckOptions, io: Io): Promise<number> {
  if (options.steps && (options.json || options.tex)) {
    throw new UsageError(`--steps cannot be combined with ${options.json ? '--json' : '--tex'}`);
  }
  // Fail on a bad path before any work, not after printing a table.
  if (options.dot !== undefined) checkWritable('--dot', options.dot);
  if (options.svg !== undefined) checkWritable('--svg', options.svg);

  const report = options.expr === undefined ? seedReport() : exprReport(options.expr, options.at);
  const style = styleFor(io.stdout, io.env);
  if (options.json) {
    io.stdout.write(`${JSON.stringify(reportJson(report), null, 2)}\n`);
  } else if (options.tex) {
    io.stdout.write(formatReportTex(report));
  } else {
    io.stdout.write(formatReportText(report, style));
    if (options.steps) io.stdout.write(`\n${formatReportSteps(report, style)}`);
  }

  if (options.dot !== undefined || options.svg !== undefined) {
    const dot = toDot(report.graph(), { rankdir: 'LR' });
    if (options.dot !== undefined) {
      writeOutput('--dot', options.dot, dot);
      io.stderr.write(`wrote ${options.dot}\n`);
    }
    if (options.svg !== undefined) {
      const { renderSvg } = await import('../render/svg.js');
      writeOutput('--svg', options.svg, await renderSvg(dot));
      io.stderr.write(`wrote ${options.svg}\n`);
    }
  }
  return exitStatus(report.verdict);
}
