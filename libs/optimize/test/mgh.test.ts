import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { minimize, type MinimizeResult } from '../src/index.js';

// The Moré–Garbow–Hillstrom test set (test/mgh/README.md): `minimize` with its default options, from each
// problem's standard start, must reach the minimum value the literature gives, or one of the other local minima it
// lists. A nonzero value is reached within a relative 1e-6, or within one unit in the last digit given where the
// value is given to fewer digits (most are printed to six, and some are truncated: Freudenstein and Roth's 48.9842
// is 48.98425…); a zero minimum within 1e-10.

interface Problem {
  name: string;
  number: number;
  n: number;
  formula: string;
  x0: number[];
  fx0: number;
  fstar: number;
  localMinima?: { f: number; note: string }[];
}

interface BaselineRun {
  name: string;
  n: number;
  nfev: number;
  f: number;
}

const read = <T>(file: string): T =>
  JSON.parse(readFileSync(new URL(`./mgh/${file}`, import.meta.url), 'utf8')) as T;
const problems = read<Problem[]>('problems.json');
const baseline = read<{ scipy: string; medianNfev: number; runs: BaselineRun[] }>('scipy-baseline.json');
/** SciPy's L-BFGS-B run with this package's stopping tolerances (ftol 1e-15, gtol 1e-10), so it goes as far. */
const matched = read<{ scipy: string; medianNfev: number; runs: BaselineRun[] }>(
  'scipy-baseline-matched.json',
);

/** The problems L-BFGS does not solve with the default options, each with the reason. */
const OUT_OF_REACH: Readonly<Record<string, string>> = {};

const key = (p: { name: string }) => p.name;

/** One unit in the last digit of `t` as the shortest round-trip decimal prints it. */
function lastDigit(t: number): number {
  const [mantissa, exponent] = t.toExponential().split('e');
  return 10 ** (Number(exponent) - (mantissa.split('.')[1] ?? '').length);
}

function reaches(value: number, target: number): boolean {
  if (target === 0) return Math.abs(value) <= 1e-10;
  return Math.abs(value - target) <= Math.max(1e-6 * Math.abs(target), lastDigit(target));
}

function targetsOf(p: Problem): number[] {
  return [p.fstar, ...(p.localMinima ?? []).map((m) => m.f)];
}

const results = new Map<string, MinimizeResult>();
function solve(p: Problem): MinimizeResult {
  let r = results.get(key(p));
  if (r === undefined) {
    r = minimize(p.formula, Object.fromEntries(p.x0.map((v, i) => [`x${i + 1}`, v])));
    results.set(key(p), r);
  }
  return r;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

describe('Moré–Garbow–Hillstrom problems, minimize with the default options', () => {
  it('the test set and the recorded baseline hold the same 41 problems', () => {
    expect(problems).toHaveLength(41);
    expect(baseline.runs.map(key)).toEqual(problems.map(key));
    expect(lastDigit(48.9842)).toBeCloseTo(1e-4, 18);
    expect(lastDigit(0.00000937629)).toBeCloseTo(1e-11, 25);
  });

  it.each(problems.map((p) => [p.number, p.name, p] as const))(
    '%i %s reaches the minimum from the standard start',
    (_number, name, p) => {
      const r = solve(p);
      const targets = targetsOf(p);
      const reached = targets.some((t) => reaches(r.value, t));
      console.log(
        `${name}: f = ${r.value.toExponential(6)} (f* ${targets.join(' or ')}), ${r.evaluations} evaluations, ` +
          `${r.iterations} iterations, ${r.termination}`,
      );
      if (name in OUT_OF_REACH) {
        // Listed as out of reach: it must still be, so the list stays true; and the run still went down.
        expect(reached, OUT_OF_REACH[name]).toBe(false);
        expect(r.value).toBeLessThan(p.fx0);
      } else {
        expect(reached, `${r.value} is none of ${targets.join(', ')} (${r.reason})`).toBe(true);
      }
    },
    120_000,
  );

  it('reaches the minimum on every problem where the recorded SciPy L-BFGS-B run does', () => {
    const scipyReached = problems.filter((p, i) => targetsOf(p).some((t) => reaches(baseline.runs[i].f, t)));
    const oursReached = problems.filter((p) => targetsOf(p).some((t) => reaches(solve(p).value, t)));
    console.log(
      `reached: ${oursReached.length} of ${problems.length}; SciPy ${baseline.scipy} L-BFGS-B (recorded): ` +
        `${scipyReached.length}`,
    );
    expect(scipyReached.filter((p) => !oursReached.includes(p))).toEqual([]);
    expect(oursReached.length).toBe(problems.length - Object.keys(OUT_OF_REACH).length);
  }, 300_000);

  it("with the same stopping tolerances, the median number of evaluations is at most SciPy L-BFGS-B's, and it reaches the minimum at least as often", () => {
    expect(matched.runs.map(key)).toEqual(problems.map(key));
    expect(matched.medianNfev).toBe(median(matched.runs.map((r) => r.nfev)));
    const ours = median(problems.map((p) => solve(p).evaluations));
    const scipyReached = problems.filter((p, i) => targetsOf(p).some((t) => reaches(matched.runs[i].f, t)));
    const oursReached = problems.filter((p) => targetsOf(p).some((t) => reaches(solve(p).value, t)));
    console.log(
      `median evaluations: ${ours}, minimum reached on ${oursReached.length} of ${problems.length}; SciPy ` +
        `${matched.scipy} L-BFGS-B with ftol 1e-15, gtol 1e-10 (recorded): median ${matched.medianNfev}, ` +
        `reached on ${scipyReached.length}`,
    );
    expect(ours).toBeLessThanOrEqual(matched.medianNfev);
    expect(oursReached.length).toBeGreaterThanOrEqual(scipyReached.length);
  }, 300_000);

  // Against SciPy's default options, not met: the median is about twice SciPy's. SciPy stops at the first iteration that reduces f by less than
  // 2.2e-9 relative (factr = 1e7) or whose projected gradient is below 1e-5, and so stops short of the minimum on 16
  // of the 41 problems. On the 25 where its run does reach the minimum, this L-BFGS (the same method) first meets
  // this test's tolerance after a median of 27 evaluations, as SciPy does; over all 41, even stopping at the
  // first iterate that meets the tolerance would give a median of 34. `it.fails` keeps the target in view: this
  // test fails as soon as the median meets it.
  it.fails(
    'the median number of evaluations is at most the recorded SciPy L-BFGS-B median (target not met)',
    () => {
      const ours = median(problems.map((p) => solve(p).evaluations));
      console.log(
        `median evaluations: ${ours}; recorded SciPy ${baseline.scipy} L-BFGS-B baseline: ${baseline.medianNfev}`,
      );
      expect(baseline.medianNfev).toBe(median(baseline.runs.map((r) => r.nfev)));
      expect(ours).toBeLessThanOrEqual(baseline.medianNfev);
    },
    300_000,
  );
});
