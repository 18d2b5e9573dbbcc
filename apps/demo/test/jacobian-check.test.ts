import { readFileSync } from 'node:fs';

import { rowJacobian, type RowKernel } from '@crossgrad/optimize';
import { parse } from '@crossgrad/symbolic';
import { describe, expect, it } from 'vitest';

import { readCsv } from '../src/data/csv.js';
import { checkJacobian, sampleRows, type JacobianProblem } from '../src/fit/jacobian-check.js';

const table = readCsv(
  readFileSync(new URL('../examples/misra1a.csv', import.meta.url), 'utf8'),
  'misra1a.csv',
);
const problem: JacobianProblem = {
  residual: parse('b1*(1-exp(-b2*x)) - y'),
  names: ['b1', 'b2'],
  columnNames: ['x', 'y'],
  columns: [table.data['x'] ?? [], table.data['y'] ?? []],
};
const solution = { b1: 238.94212918, b2: 5.5015643181e-4 };

/** The fit's own kernel with one entry of the Jacobian changed: d/d(params[j]) at data row i times `factor`. */
function tampered(i: number, j: number, factor: number): RowKernel {
  const kernel = rowJacobian(problem.residual, problem.names, problem.columnNames);
  return (params, columns, values, J) => {
    kernel(params, columns, values, J);
    if (J) J[i * problem.names.length + j] = (J[i * problem.names.length + j] ?? 0) * factor;
  };
}

describe('checkJacobian', () => {
  it('samples the first, middle and last rows', () => {
    expect(sampleRows(14)).toEqual([0, 7, 13]);
    expect(sampleRows(2)).toEqual([0, 1]);
    expect(sampleRows(1)).toEqual([0]);
    expect(sampleRows(0)).toEqual([]);
  });

  it("agrees on the fit's own Jacobian of Misra1a, at the start and at the solution", () => {
    for (const [at, params] of [
      ['start', { b1: 500, b2: 1e-4 }],
      ['solution', solution],
    ] as const) {
      const check = checkJacobian(problem, at, params);
      expect(check.verdict, check.reason).toBe('agree');
      expect(check.rows).toEqual([2, 9, 15]);
      expect(check.entries).toBe(6);
      expect(check.largestDifference).toBeLessThan(1e-14);
    }
  });

  it('disagrees when one entry is off by one part in a million, and names its row and parameter', () => {
    const check = checkJacobian(problem, 'solution', solution, tampered(7, 1, 1 + 1e-6));
    expect(check.verdict).toBe('disagree');
    expect(check.reason).toMatch(
      /^row 9, d\/db2: the fit's Jacobian has \S+, the complex step \S+ \(relative difference 1\.0e-6\)$/,
    );
  });

  it('does not look at rows it does not sample: a wrong entry elsewhere goes unseen (the check is a sample)', () => {
    expect(checkJacobian(problem, 'solution', solution, tampered(3, 0, 2)).verdict).toBe('agree');
  });
});
