import { describe, expect, it } from 'vitest';

import type { ReportJson } from '../src/format/report-json.js';
import { runCli, runInProcess, tableRows } from './run-cli.js';

/** Expressions with derivatives known in closed form, each at one point. */
const cases: readonly { expr: string; at: string; value: number; gradient: Record<string, number> }[] = [
  { expr: 'x^2 * y', at: 'x=3,y=2', value: 18, gradient: { x: 12, y: 9 } },
  { expr: 'x^x', at: 'x=2', value: 4, gradient: { x: 4 * (Math.log(2) + 1) } },
  { expr: 'sin(x) * exp(y) / z', at: 'x=0,y=1,z=2', value: 0, gradient: { x: Math.E / 2, y: 0, z: 0 } },
  {
    expr: 'sqrt(a) + relu(b) + abs(c) + sigmoid(d) + tanh(g)',
    at: 'a=4,b=-1,c=-2,d=0,g=0',
    value: 2 + 0 + 2 + 0.5 + 0,
    gradient: { a: 0.25, b: 0, c: -1, d: 0.25, g: 1 },
  },
  {
    expr: 'e^x + pi*x - cos(x)',
    at: 'x=1',
    value: Math.E + Math.PI - Math.cos(1),
    gradient: { x: Math.E + Math.PI + Math.sin(1) },
  },
];

describe('--expr --at', () => {
  it.each(cases)(
    '$expr at $at: every oracle gives the known gradient (in process)',
    async ({ expr, at, value, gradient }) => {
      const result = await runInProcess(['--expr', expr, '--at', at, '--json']);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const report = JSON.parse(result.stdout) as ReportJson;
      expect(report.expression).toBe(expr);
      expect(report.value).toBeCloseTo(value, 12);
      expect(report.gradient.map((g) => g.variable)).toEqual(Object.keys(gradient).sort());
      for (const entry of report.gradient) {
        const want = gradient[entry.variable] ?? NaN;
        expect(entry.symbolic, entry.variable).toBeCloseTo(want, 12);
        expect(entry.autograd, entry.variable).toBeCloseTo(want, 12);
        expect(entry.finiteDifference, entry.variable).toBeCloseTo(want, 8);
        expect(entry.agree, entry.variable).toBe(true);
      }
      expect(report.agree).toBe(true);
    },
  );

  it.concurrent('prints the table for any expression, with f in place of o', async () => {
    const result = await runCli(['--expr', 'x^2 * y', '--at', 'y=2,x=3']);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').slice(0, 4)).toEqual([
      'f = x^2 * y',
      '  at        x = 3, y = 2',
      '  value     f = 18',
      '',
    ]);
    const rows = tableRows(result.stdout);
    expect(rows.get('x')).toMatchObject({
      symbolic: '12',
      autograd: '12',
      finiteDifference: '12',
      agree: 'yes',
    });
    expect(rows.get('y')).toMatchObject({
      symbolic: '9',
      autograd: '9',
      finiteDifference: '9',
      agree: 'yes',
    });
  });

  it.concurrent(
    'does not judge finite differences at a kink, but still compares the exact oracles',
    async () => {
      const result = await runCli(['--expr', 'relu(x) + x', '--at', 'x=0', '--json']);
      expect(result.status).toBe(0);
      const report = JSON.parse(result.stdout) as ReportJson;
      expect(report.gradient[0]).toMatchObject({
        variable: 'x',
        symbolic: 1,
        autograd: 1,
        finiteDifference: null,
        agree: true,
      });
    },
  );

  it.concurrent(
    'outside the domain, says finite differences are not judged and why, and still exits 0',
    async () => {
      const result = await runCli(['--expr', 'log(x)', '--at', 'x=-1']);
      expect(result.status).toBe(0);
      expect(tableRows(result.stdout).get('x')).toEqual({
        formula: '1 / x',
        symbolic: '-1',
        autograd: '-1',
        finiteDifference: '-',
        agree: 'yes',
      });
      expect(result.stdout).toContain(
        '  symbolic and autograd agree on the derivative; finite differences are not judged here\n' +
          '  verify: a value or local slope is not finite (or underflows) at this point\n',
      );
    },
  );

  it('prints the expanded line only when a tanh was written out (in process)', async () => {
    const plain = await runInProcess(['--expr', 'x^x * sin(y)', '--at', 'x=1.5,y=2']);
    expect(plain.status).toBe(0);
    expect(plain.stdout).not.toContain('expanded');
    const tanh = await runInProcess(['--expr', 'tanh(x) * y', '--at', 'x=0.5,y=2']);
    expect(tanh.status).toBe(0);
    expect(tanh.stdout.split('\n').slice(0, 2)).toEqual([
      'f = tanh(x) * y',
      '  expanded  f = y * (exp(2 * x) - 1) / (exp(2 * x) + 1)',
    ]);
  });

  it.each([[['--expr', '-x^2', '--at', 'x=3']], [['--expr=-x^2', '--at', 'x=3']]])(
    'reads an expression that starts with a minus: %j (in process)',
    async (args) => {
      const result = await runInProcess([...args, '--json']);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const report = JSON.parse(result.stdout) as ReportJson;
      expect(report.expression).toBe('-x^2');
      expect(report.value).toBe(-9);
      expect(report.gradient[0]).toMatchObject({ variable: 'x', symbolic: -6, autograd: -6 });
    },
  );

  it.concurrent('--steps names the rules of the expression', async () => {
    const result = await runCli(['--expr', 'x * sin(x^2)', '--at', 'x=1', '--steps']);
    expect(result.status).toBe(0);
    for (const rule of ['product rule', 'chain rule', 'power rule', 'variable'])
      expect(result.stdout).toContain(rule);
  });
});
