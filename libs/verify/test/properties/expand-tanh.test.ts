import { expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { expandTanh } from '@crossgrad/symbolic';
import {
  close,
  closeAsDerivatives,
  exprs,
  failures,
  judgedReport,
  points,
  VARIABLES,
} from '../support/oracles.js';

// Expressions rich in tanh, where the rewrite has something to do.
const tanhHeavy = exprs(4, ['add', 'sub', 'mul', 'div', 'pow', 'exp', 'sin', 'tanh']);

test.prop([tanhHeavy, points])('3. expandTanh keeps the value and every partial derivative', (e, p) => {
  const before = judgedReport(e, p, { variables: VARIABLES, mathjs: false });
  const after = judgedReport(expandTanh(e), p, { variables: VARIABLES, mathjs: false });
  // Every oracle agrees on the expanded form too, and it has no tanh left.
  expect(failures(after, () => true)).toBe('');
  expect(after.expression).not.toMatch(/tanh/);
  const rounding = 4 * (before.valueRounding + after.valueRounding);
  expect(close(before.value, after.value, 0, rounding), `${before.value} vs ${after.value}`).toBe(true);
  before.rows.forEach((row, i) => {
    const other = after.rows[i];
    expect(closeAsDerivatives(row.complexStep, other.complexStep, row, other), `∂/∂${row.variable}`).toBe(
      true,
    );
  });
});
