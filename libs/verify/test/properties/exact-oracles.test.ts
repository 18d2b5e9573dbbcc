import { expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { exactOraclesAgree, exprs, judgedReport, points } from '../support/oracles.js';

test.prop([exprs(), points])('1. symbolic = autograd = complex step, to 1e-9 relative', (e, p) => {
  exactOraclesAgree(e, p);
});

test.prop([exprs(), points])('1b. every exact comparison was made, for every variable', (e, p) => {
  const report = judgedReport(e, p);
  for (const row of report.rows) {
    const pairs = row.comparisons
      .filter((c) => c.oracle !== 'finiteDifference')
      .map((c) => `${c.oracle}~${c.reference}`);
    // At a kink with a derivative, each exact oracle is also compared with the one-sided slope.
    const judged = row.verdict === 'agree' || row.verdict === 'disagree';
    const kink =
      row.oneSided === undefined || !judged
        ? []
        : ['symbolic~oneSided', 'autograd~oneSided', 'complexStep~oneSided'];
    expect(pairs).toEqual(['symbolic~autograd', 'symbolic~complexStep', 'autograd~complexStep', ...kink]);
  }
});
