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
    expect(pairs).toEqual(['symbolic~autograd', 'symbolic~complexStep', 'autograd~complexStep']);
  }
});
