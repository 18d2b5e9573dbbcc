import { expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { exprs, failures, judgedReport, points } from '../support/oracles.js';

test.prop([exprs(), points])(
  '2. symbolic, autograd and complex step each equal finite differences within 4× their error estimate',
  (e, p) => {
    const report = judgedReport(e, p);
    for (const row of report.rows) {
      // Finite differences are there, unless the expression varies faster than the doubles near the point show,
      // or a kink sits exactly at the point with the same slope on both sides (abs(max(0, z)) at z < 0), where the
      // one-sided slopes stand in for them.
      if (row.finiteDifference === undefined) {
        expect([
          'the expression changes faster than the doubles near the point resolve',
          'not run: a kink at the point (the one-sided slopes stand in)',
        ]).toContain(row.finiteDifferenceSkipped);
        continue;
      }
      expect(row.finiteDifferenceError).toBeGreaterThanOrEqual(0);
      expect(row.comparisons.filter((c) => c.oracle === 'finiteDifference').map((c) => c.reference)).toEqual([
        'complexStep',
        'symbolic',
        'autograd',
      ]);
    }
    expect(failures(report, (o) => o === 'finiteDifference')).toBe('');
  },
);
