import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli, runInProcess } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'crossgrad-fit-errors-'));
const files: Record<string, string> = {
  'good.csv': 'x,y\n1,2\n2,4.1\n3,5.9\n',
  'abc.csv': 'x,y\n1,2\n2,4.1\n3,5.9\n4,8\n5,10.1\n6,abc\n',
  'nan.csv': 'x,y\n1,2\nNaN,4.1\n',
  'huge.csv': 'x,y\n1,2\n2,1e999\n',
  'short.csv': 'x,y\n1,2\n2\n',
  'one-row.csv': 'x,y\n1,2\n',
  'no-y.csv': 't,v\n1,2\n2,4\n',
  'two-predictors.csv': 'x,z,y\n1,0,1\n2,1,3\n3,0,3\n4,1,5\n',
};
const path = Object.fromEntries(
  Object.entries(files).map(([name, text]) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return [name, file];
  }),
);
const p = (name: string) => path[name] ?? name;

const fit = (data: string, start: string, ...more: string[]) => [
  'fit',
  '--model',
  'a*x + b',
  '--data',
  data,
  '--start',
  start,
  ...more,
];

/** Every bad input: exit 2 and one line on stderr naming the problem (file, row and column where there is one). */
const badInputs: readonly { name: string; args: readonly string[]; message: string }[] = [
  {
    name: 'a value that is not a number',
    args: fit(p('abc.csv'), 'a=1,b=0'),
    message: `${p('abc.csv')} row 7, column y: 'abc' is not a number`,
  },
  {
    name: 'non-finite data',
    args: fit(p('nan.csv'), 'a=1,b=0'),
    message: `${p('nan.csv')} row 3, column x: 'NaN' is not a finite number`,
  },
  {
    name: 'a value too large for a double',
    args: fit(p('huge.csv'), 'a=1,b=0'),
    message: `${p('huge.csv')} row 3, column y: '1e999' is too large for a double`,
  },
  {
    name: 'a row with a value missing',
    args: fit(p('short.csv'), 'a=1,b=0'),
    message: `${p('short.csv')} row 3 has 1 value, the header names 2 columns`,
  },
  {
    name: 'a missing file',
    args: fit(join(dir, 'none.csv'), 'a=1,b=0'),
    message: `cannot read --data ${join(dir, 'none.csv')}: no such file`,
  },
  {
    name: 'a directory as --data',
    args: fit(dir, 'a=1,b=0'),
    message: `cannot read --data ${dir}: it is a directory`,
  },
  {
    name: 'fewer rows than parameters',
    args: fit(p('one-row.csv'), 'a=1,b=0'),
    message: `${p('one-row.csv')} has 1 data row for 2 parameters (a, b): a fit needs at least as many rows as parameters`,
  },
  {
    name: 'a missing start value',
    args: fit(p('good.csv'), 'a=1'),
    message: `missing start value for b in --start (b is not a column of ${p('good.csv')}: x, y)`,
  },
  {
    name: 'an unknown variable in --start',
    args: fit(p('good.csv'), 'a=1,b=0,q=2'),
    message: 'unknown parameter q in --start (the model uses a, b, x)',
  },
  {
    name: 'a column given as a parameter',
    args: fit(p('good.csv'), 'a=1,b=0,x=2'),
    message: `x is both a column of ${p('good.csv')} and a parameter in --start`,
  },
  {
    name: 'no column y and no --response',
    args: ['fit', '--model', 'a*t', '--data', p('no-y.csv'), '--start', 'a=1'],
    message: `${p('no-y.csv')} has no column y: name the response with --response (the columns are t, v)`,
  },
  {
    name: 'an unknown column in --response',
    args: fit(p('good.csv'), 'a=1,b=0', '--response', 'log(w)'),
    message: `--response uses w, which is not a column of ${p('good.csv')} (x, y)`,
  },
  {
    name: 'a residual that is not finite at the start',
    args: ['fit', '--model', 'log(a*x)', '--data', p('good.csv'), '--start', 'a=-1'],
    message: `the residual log(a*x) - y is NaN at the start on row 2 of ${p('good.csv')}: choose other start values in --start`,
  },
  {
    name: 'a syntax error in --model',
    args: ['fit', '--model', 'a*(x', '--data', p('good.csv'), '--start', 'a=1'],
    message: 'parenthesis ) expected (column 5) in "a*(x"',
  },
  {
    name: '--svg with two predictors',
    args: [
      'fit',
      '--model',
      'a*x + b*z',
      '--data',
      p('two-predictors.csv'),
      '--start',
      'a=1,b=1',
      '--svg',
      join(dir, 'two.svg'),
    ],
    message: '--svg draws the model over one data column, but a*x + b*z uses 2 (x, z) besides the response',
  },
  {
    name: 'an unwritable --svg path, before any work',
    args: fit(join(dir, 'none.csv'), 'a=1,b=0', '--svg', '/nonexistent-crossgrad-dir/fit.svg'),
    message: 'cannot write --svg /nonexistent-crossgrad-dir/fit.svg: no directory /nonexistent-crossgrad-dir',
  },
  {
    name: 'a missing start value in minimize',
    args: ['minimize', '--expr', 'x^2 + y^2', '--start', 'x=1'],
    message: 'missing value for y in --start (the expression uses x, y)',
  },
  {
    name: 'an unknown variable in minimize',
    args: ['minimize', '--expr', 'x^2', '--start', 'x=1,q=2'],
    message: 'unknown variable q in --start (the expression uses x)',
  },
  {
    name: 'an objective that is not finite at the start',
    args: ['minimize', '--expr', 'log(x)', '--start', 'x=-1'],
    message: 'minimize: the objective or its gradient is not finite at the start point',
  },
];

describe('fit and minimize: bad input', () => {
  it.each(badInputs)('$name: exit 2 and one line', async ({ args, message }) => {
    const result = await runInProcess(args);
    expect(result.stderr).toBe(`crossgrad: ${message}\n`);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('the same from a process: exit status 2, one line on stderr, nothing on stdout, no stack trace', async () => {
    for (const { args, message } of [badInputs[0], badInputs[6], badInputs[16]]) {
      const result = await runCli(args ?? []);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`crossgrad: ${message}\n`);
      expect(result.stdout).toBe('');
    }
  }, 60_000);
});
