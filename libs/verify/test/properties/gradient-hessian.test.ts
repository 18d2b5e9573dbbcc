import { expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { diff, evaluate, gradient, hessian } from '@crossgrad/symbolic';
import { close, closeAsDerivatives, exprs, judgedReport, points, VARIABLES } from '../support/oracles.js';
import { entry } from '../support/checks.js';
import { runs } from '../support/runs.js';

test.prop([exprs(), points])('4a. gradient equals diff, variable by variable', (e, p) => {
  const report = judgedReport(e, p, { variables: VARIABLES });
  const g = gradient(e, VARIABLES);
  for (const row of report.rows) {
    const viaGradient = evaluate(entry(g, row.variable), p);
    const viaDiff = evaluate(diff(e, row.variable), p);
    expect(
      closeAsDerivatives(viaGradient, viaDiff, row),
      `∂/∂${row.variable}: ${viaGradient} vs ${viaDiff}`,
    ).toBe(true);
  }
});

test.prop([exprs(3), points], { numRuns: runs(100) })(
  '4b. hessian is symmetric and matches the complex step and finite differences of the gradient',
  (e, p) => {
    const g = gradient(e, VARIABLES);
    const h = hessian(e, VARIABLES);
    // Row a of the Hessian is the gradient of ∂f/∂a: every oracle differentiates that expression.
    const rows = VARIABLES.map((a) => judgedReport(entry(g, a), p, { variables: VARIABLES }));
    VARIABLES.forEach((a, i) => {
      rows[i].rows.forEach((row, j) => {
        const b = VARIABLES[j];
        const hab = evaluate(entry(entry(h, a), b), p);
        const hba = evaluate(entry(entry(h, b), a), p);
        const transposed = rows[j].rows[i];
        expect(
          closeAsDerivatives(hab, hba, row, transposed),
          `H[${a}][${b}] = ${hab}, H[${b}][${a}] = ${hba}`,
        ).toBe(true);
        expect(
          closeAsDerivatives(hab, row.complexStep, row),
          `H[${a}][${b}] = ${hab} vs ${row.complexStep}`,
        ).toBe(true);
        const fdError = row.finiteDifferenceError;
        if (row.finiteDifference !== undefined) {
          // The estimate comes with every finite difference (NaN here fails the comparison below).
          const within = 4 * (fdError ?? NaN);
          expect(
            close(hab, row.finiteDifference, row.magnitude, within + 4 * row.rounding),
            `H[${a}][${b}] = ${hab} vs finite differences ${row.finiteDifference} ± ${row.finiteDifferenceError}`,
          ).toBe(true);
        }
      });
    });
  },
);
