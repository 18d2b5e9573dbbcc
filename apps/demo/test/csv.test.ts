import { describe, expect, it } from 'vitest';

import { UsageError } from '../src/cli/usage-error.js';
import { readCsv } from '../src/data/csv.js';

describe('readCsv', () => {
  it('reads a header and rows of decimal numbers into columns', () => {
    expect(readCsv('x,y\n77.6,10.07\n114.9,14.73\n', 'misra.csv')).toEqual({
      columns: ['x', 'y'],
      data: { x: [77.6, 114.9], y: [10.07, 14.73] },
      rows: 2,
    });
  });

  it('takes quoted header names, CRLF, a byte order mark, blanks around values and blank lines at the end', () => {
    const table = readCsv('\uFEFF"conc", "rate_2"\r\n 1.5e-3 , -2\r\n+.5,3.\r\n\r\n\r\n', 'd.csv');
    expect(table.columns).toEqual(['conc', 'rate_2']);
    expect(table.data).toEqual({ conc: [0.0015, 0.5], rate_2: [-2, 3] });
    expect(table.rows).toBe(2);
  });

  it('reads the last row without a final newline', () => {
    expect(readCsv('x\n1\n2', 'd.csv').data).toEqual({ x: [1, 2] });
  });

  it.each([
    ['x,y\n1,2\n2,abc\n', "d.csv row 3, column y: 'abc' is not a number"],
    ['x,y\n1,2\n0x10,3\n', "d.csv row 3, column x: '0x10' is hexadecimal: write it in decimal, 16"],
    ['x,y\n1,2\n2,NaN\n', "d.csv row 3, column y: 'NaN' is not a finite number"],
    ['x,y\n-Infinity,2\n', "d.csv row 2, column x: '-Infinity' is not a finite number"],
    ['x,y\n1,1e999\n', "d.csv row 2, column y: '1e999' is too large for a double"],
    ['x,y\n1,\n', 'd.csv row 2, column y: the value is missing'],
    ['x,y\n1,2\n\n3,4\n', 'd.csv row 3 is blank'],
    ['x,y\n1,2,3\n', 'd.csv row 2 has 3 values, the header names 2 columns'],
    ['x,y\r\n1\r\n', 'd.csv row 2 has 1 value, the header names 2 columns'],
    ['x,x\n1,2\n', 'd.csv row 1: column x is named twice'],
    ['x,\n1,2\n', 'd.csv row 1: column 2 has no name'],
    [
      'x,1y\n1,2\n',
      "d.csv row 1: column 2 '1y' is not a variable name (letters, digits, _; not starting with a digit)",
    ],
    ['', 'd.csv is empty: the first row must name the columns'],
    ['\n\n', 'd.csv is empty: the first row must name the columns'],
    ['x,y\n', 'd.csv has no data rows, only the header'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => readCsv(text, 'd.csv')).toThrow(new UsageError(message));
  });
});
