import fc from 'fast-check';
import { format } from '@crossgrad/symbolic';
import {
  type CompareOptions,
  compareGradients,
  exprArbitrary,
  type GradientReport,
  pointArbitrary,
} from '@crossgrad/verify';
import type { FuzzArgs } from './args.js';

const RTOL = 1e-9;
const ATOL = 1e-30;

/** One disagreement, shrunk, with what replays it. */
export interface Disagreement {
  readonly seed: number;
  readonly path: string;
  readonly expression: string;
  readonly point: Readonly<Record<string, number>>;
  readonly reason: string;
}

/** The figures of one fuzz run. */
export interface FuzzSummary {
  readonly checked: number;
  readonly agreed: number;
  /**
   * Cases skipped by domain, by the first reason compareGradients gives: a non-finite (or underflowing) value or
   * slope, symbolic's derivative out of range, a singularity, a relu/abs argument at its kink.
   */
  readonly skipped: {
    readonly nonFinite: number;
    readonly derivativeOutOfRange: number;
    readonly nearSingularity: number;
    readonly nearKink: number;
  };
  readonly disagreements: readonly Disagreement[];
  /**
   * Per oracle pair (`oracle ~ reference`), the largest relative error seen in judged cases where the relative part
   * of the tolerance decides (not the absolute floor, the rounding bound or a finite difference's estimate).
   */
  readonly worstRel: Readonly<Record<string, number>>;
  /** The largest finite-difference error as a fraction of its tolerance (estimate × safety, plus the exact floor). */
  readonly worstFdUsage: number;
  /**
   * The finite differences' own error estimates relative to the derivative's magnitude, over derivatives of
   * magnitude 1e-8 or more: median and 99th percentile.
   */
  readonly fdEstimate: { readonly median: number; readonly p99: number };
  /** Cases in which mathjs took part. */
  readonly mathjsCases: number;
  readonly seconds: number;
}

/**
 * Checks `args.runs` random expressions at random points with {@link compareGradients}. fast-check stops at the
 * first failure and shrinks it; the run then goes on with the next seed until `runs` cases are checked, so every
 * disagreement is reported with the seed and path that replay it. `opts.compare` is passed to compareGradients
 * (tolerances; a rule table for testing the fuzzer itself).
 */
export function runFuzz(
  args: FuzzArgs,
  opts: { readonly progress?: (checked: number) => void; readonly compare?: CompareOptions } = {},
): FuzzSummary {
  const { progress } = opts;
  const exprs = exprArbitrary({ variables: args.variables, maxDepth: args.maxDepth });
  const points = pointArbitrary(args.variables);
  const stats = {
    checked: 0,
    agreed: 0,
    skipped: { nonFinite: 0, nearKink: 0, nearSingularity: 0, derivativeOutOfRange: 0 },
    mathjsCases: 0,
    worstFdUsage: 0,
    worstRel: {} as Record<string, number>,
  };
  const fdEstimates: number[] = [];
  const disagreements: Disagreement[] = [];
  const record = (r: GradientReport): void => {
    stats.checked++;
    if (progress !== undefined && stats.checked % 1000 === 0) progress(stats.checked);
    // Not judged (undefined, not differentiable or skipped): counted by the flag that explains it.
    if (r.verdict !== 'agree' && r.verdict !== 'disagree') {
      if (r.flags.nonFinite) stats.skipped.nonFinite++;
      else if (r.flags.derivativeOutOfRange.length > 0) stats.skipped.derivativeOutOfRange++;
      else if (r.flags.nearSingularity) stats.skipped.nearSingularity++;
      else stats.skipped.nearKink++;
      return;
    }
    if (r.verdict === 'agree') stats.agreed++;
    if (r.mathjs.applicable) stats.mathjsCases++;
    for (const row of r.rows) {
      if (row.finiteDifferenceError !== undefined && row.magnitude >= 1e-8) {
        fdEstimates.push(row.finiteDifferenceError / row.magnitude);
      }
      for (const c of row.comparisons) {
        const key = `${c.oracle} ~ ${c.reference}`;
        // Only where the relative part of the tolerance decides: below that, the absolute floor, the rounding bound
        // or the finite difference's own estimate does, and a relative error says nothing.
        const relative = RTOL * c.scale >= c.tolerance / 2;
        if (relative && !(c.relError <= (stats.worstRel[key] ?? 0))) stats.worstRel[key] = c.relError;
        if (c.oracle === 'finiteDifference' && c.tolerance > 0) {
          stats.worstFdUsage = Math.max(stats.worstFdUsage, c.absError / c.tolerance);
        }
      }
    }
  };
  const start = performance.now();
  let seed = args.seed;
  while (stats.checked < args.runs) {
    // After the first failure fast-check only shrinks; those calls are not new cases.
    let shrinking = false;
    const before = stats.checked;
    const property = fc.property(exprs, points, (e, p) => {
      let report: GradientReport;
      try {
        report = compareGradients(e, p, { mathjs: args.mathjs, rtol: RTOL, atol: ATOL, ...opts.compare });
      } catch (err) {
        if (!shrinking) stats.checked++;
        shrinking = true;
        throw err;
      }
      if (!shrinking) record(report);
      if (report.verdict === 'disagree') {
        shrinking = true;
        throw new Error(report.reason);
      }
    });
    const details = fc.check(property, { numRuns: args.runs - before, seed });
    if (details.failed && details.counterexample !== null) {
      const [e, p] = details.counterexample;
      const error = details.errorInstance;
      disagreements.push({
        seed,
        path: details.counterexamplePath ?? '',
        expression: format(e),
        point: p,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    seed = (seed + 1) | 0;
  }
  fdEstimates.sort((a, b) => a - b);
  const quantile = (q: number): number => fdEstimates[Math.floor(q * (fdEstimates.length - 1))] ?? NaN;
  return {
    ...stats,
    fdEstimate: { median: quantile(0.5), p99: quantile(0.99) },
    disagreements,
    seconds: (performance.now() - start) / 1000,
  };
}

/** The summary as the fuzz target prints it. */
export function formatSummary(s: FuzzSummary, args: FuzzArgs): string {
  const pad = (label: string): string => label.padEnd(28);
  const lines = [
    `fuzz: ${args.runs} cases, seed ${args.seed}, max depth ${args.maxDepth}, variables ${args.variables.join(',')}` +
      (args.mathjs ? '' : ', mathjs skipped'),
    `${pad('checked')}${s.checked}`,
    `${pad('agreed')}${s.agreed}`,
    `${pad('skipped: non-finite')}${s.skipped.nonFinite}`,
    `${pad('skipped: next to a kink')}${s.skipped.nearKink}`,
    `${pad('skipped: at a singularity')}${s.skipped.nearSingularity}`,
    `${pad('skipped: derivative range')}${s.skipped.derivativeOutOfRange}`,
    `${pad('disagreements')}${s.disagreements.length}`,
  ];
  for (const d of s.disagreements) {
    const at = Object.entries(d.point)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    lines.push(`  seed ${d.seed} path "${d.path}": ${d.expression} at ${at}: ${d.reason}`);
  }
  lines.push(`${pad('mathjs took part in')}${s.mathjsCases}`);
  lines.push('worst relative error (judged cases, where the relative tolerance decides):');
  for (const key of Object.keys(s.worstRel).sort())
    lines.push(`  ${key.padEnd(40)}${s.worstRel[key].toExponential(2)}`);
  lines.push(`${pad('worst fd error / tolerance')}${s.worstFdUsage.toFixed(3)}`);
  lines.push(
    `${pad('fd estimate / magnitude')}median ${s.fdEstimate.median.toExponential(1)}, 99th percentile ${s.fdEstimate.p99.toExponential(1)}`,
  );
  lines.push(`${pad('cases per second')}${Math.round(s.checked / s.seconds)}`);
  return lines.join('\n');
}
