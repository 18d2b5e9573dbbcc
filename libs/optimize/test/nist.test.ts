import { describe, expect, it } from 'vitest';
import { fit } from '../src/index.js';
import { columnsOf, loadProblems, lre, startOf } from './support/nist.js';

// NIST StRD nonlinear regression: every problem from both of NIST's starts, with the default options (the same
// for all), must reach every certified parameter to at least 6 significant digits and every certified standard
// deviation to at least 4. The higher-difficulty sample holds eight problems known to defeat good solvers.
const suites = [
  ['lower difficulty', loadProblems('lower.json')],
  ['higher difficulty (sample)', loadProblems('higher-sample.json')],
] as const;

describe.each(suites)('NIST StRD, %s', (_, problems) => {
  const cases = problems.flatMap((p) => [0, 1].map((k) => [p.name, k + 1, p, k] as const));
  it.each(cases)('%s from start %i: certified digits', (_name, _start, p, k) => {
    const r = fit(p.expr, columnsOf(p), startOf(p, k), { response: p.response });
    expect(r.converged, r.reason).toBe(true);
    const digits = p.params.map((n, j) => lre(r.params[n], p.certified.values[j]));
    const sdDigits = p.params.map((n, j) => lre(r.standardErrors[n], p.certified.sd[j]));
    console.log(
      `${p.name} start ${k + 1}: LRE params ${Math.min(...digits).toFixed(1)}, sd ${Math.min(...sdDigits).toFixed(1)}, ` +
        `rss ${lre(r.rss, p.certified.rss).toFixed(1)}; ${r.iterations} iterations, ${r.termination}`,
    );
    for (const d of digits) expect(d).toBeGreaterThanOrEqual(6);
    for (const d of sdDigits) expect(d).toBeGreaterThanOrEqual(4);
    expect(lre(r.rss, p.certified.rss)).toBeGreaterThanOrEqual(6);
    expect(r.dof).toBe(p.data.length - p.params.length);
  });
});
