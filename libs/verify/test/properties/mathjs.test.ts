import { expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { EXPR_OPS } from '@crossgrad/verify';
import { FUNCTIONS, FUNCTIONS2 } from '../../src/functions.js';
import { exprs, failures, judgedReport, points } from '../support/oracles.js';

// The functions mathjs can differentiate, by the function tables: every op but sigmoid, softplus, relu, atan2, min
// and max.
const mathjsSubset = exprs(
  4,
  EXPR_OPS.filter((op) =>
    Object.hasOwn(FUNCTIONS, op)
      ? FUNCTIONS[op as keyof typeof FUNCTIONS].mathjs
      : !Object.hasOwn(FUNCTIONS2, op) || FUNCTIONS2[op as keyof typeof FUNCTIONS2].mathjs,
  ),
);

test.prop([mathjsSubset, points])(
  '6. mathjs derivative agrees with the complex step on its subset',
  (e, p) => {
    const report = judgedReport(e, p, { mathjs: true });
    expect(report.mathjs).toEqual({ applicable: true });
    for (const row of report.rows) expect(row.mathjs).toBeTypeOf('number');
    expect(failures(report, (o) => o === 'mathjs')).toBe('');
  },
);
