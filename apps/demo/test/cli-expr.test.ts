import { diffRules, explainDiff, formatSteps, parse } from '@crossgrad/symbolic';
import { compareGradients } from '@crossgrad/verify';
import { describe, expect, it } from 'vitest';

import { parsePoint } from '../src/cli/point.js';
import type { JsonNumber, ReportJson } from '../src/format/report-json.js';
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
    expr: 'tan(x) * softplus(y)',
    at: 'x=0.5,y=-1',
    value: Math.tan(0.5) * Math.log1p(Math.exp(-1)),
    gradient: {
      x: (1 + Math.tan(0.5) ** 2) * Math.log1p(Math.exp(-1)),
      y: Math.tan(0.5) / (1 + Math.exp(1)),
    },
  },
  {
    expr: 'e^x + pi*x - cos(x)',
    at: 'x=1',
    value: Math.E + Math.PI - Math.cos(1),
    gradient: { x: Math.E + Math.PI + Math.sin(1) },
  },
];

/**
 * Points where there is nothing to agree on: the value is not a real number (undefined), or the derivative does not
 * exist there (a kink, an infinite slope). None may say agree; each exits 3 with one line saying why.
 */
const noDerivative: readonly { expr: string; at: string; verdict: string; value: JsonNumber }[] = [
  { expr: 'log(x)', at: 'x=-1', verdict: 'undefined', value: 'NaN' },
  { expr: '1/x', at: 'x=0', verdict: 'undefined', value: 'Infinity' },
  { expr: 'x/0', at: 'x=1', verdict: 'undefined', value: 'Infinity' },
  { expr: 'x*1e308*10', at: 'x=1', verdict: 'undefined', value: 'Infinity' },
  { expr: '1e309*x', at: 'x=1', verdict: 'undefined', value: 'Infinity' },
  { expr: 'x*Infinity', at: 'x=-1', verdict: 'undefined', value: '-Infinity' },
  { expr: 'sqrt(x)', at: 'x=0', verdict: 'not-differentiable', value: 0 },
  { expr: 'abs(x)', at: 'x=0', verdict: 'not-differentiable', value: 0 },
  { expr: 'relu(x)', at: 'x=0', verdict: 'not-differentiable', value: 0 },
  { expr: 'relu(x) + x', at: 'x=0', verdict: 'not-differentiable', value: 0 },
];

describe('verdicts where there is nothing to agree on (in process)', () => {
  it.each(noDerivative)(
    '$expr at $at: $verdict, exit 3, in the table, the closing line and --json',
    async (c) => {
      const table = await runInProcess(['--expr', c.expr, '--at', c.at]);
      expect(table.stderr).toBe('');
      expect(table.status).toBe(3);
      expect(tableRows(table.stdout).get('x')?.verdict).toBe(c.verdict);
      const closing = table.stdout.trimEnd().split('\n').at(-1) ?? '';
      expect(closing).toMatch(new RegExp(`^ {2}verdict: ${c.verdict} \\(.+\\)$`));
      expect(table.stdout).not.toMatch(/\bagree\b/);

      const json = await runInProcess(['--expr', c.expr, '--at', c.at, '--json']);
      expect(json.status).toBe(3);
      const report = JSON.parse(json.stdout) as ReportJson;
      expect(report.value).toEqual(c.value);
      expect(report.verdict).toBe(c.verdict);
      expect(report.reason).toMatch(/^[^\n]+$/);
      expect(`  verdict: ${report.verdict} (${report.reason})`).toBe(closing);
      expect(report.gradient).toHaveLength(1);
      const [row] = report.gradient;
      expect(row?.verdict).toBe(c.verdict);
      expect(row?.reason).toMatch(/^[^\n]+$/);
      expect(row?.finiteDifference).toBeNull();
      expect(json.stdout).not.toContain('"agree"');
      // The same verdicts and reasons as verify's own report on the expression.
      const verify = compareGradients(c.expr, parsePoint(c.at), { mathjs: false, rules: diffRules });
      expect([report.verdict, report.reason]).toEqual([verify.verdict, verify.reason]);
      expect(report.gradient.map((g) => [g.verdict, g.reason])).toEqual(
        verify.rows.map((r) => [r.verdict, r.reason]),
      );
    },
  );

  it('writes non-finite numbers as strings: 1/x at 0 has value Infinity and slope -Infinity', async () => {
    const result = await runInProcess(['--expr', '1/x', '--at', 'x=0', '--json']);
    const report = JSON.parse(result.stdout) as ReportJson;
    expect(report.value).toBe('Infinity');
    expect(report.gradient[0]).toMatchObject({ symbolic: '-Infinity', autograd: '-Infinity' });
    // null is kept for what was not computed: here only the finite difference, not run at a pole.
    expect(result.stdout.match(/null/g)).toHaveLength(1);
    expect(report.gradient[0]?.finiteDifference).toBeNull();
  });

  it('says skipped, exit 3, for an expression without variables', async () => {
    const result = await runInProcess(['--expr', '2 + 3', '--json']);
    expect(result.status).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({
      value: 5,
      gradient: [],
      verdict: 'skipped',
      reason: 'no variables: nothing to differentiate',
    });
  });

  it('a derivative too large to print names the form --json prints it in, and --json does print it', async () => {
    const tower = Array.from({ length: 3000 }, () => 'x').join('^');
    const table = await runInProcess(['--expr', tower, '--at', 'x=1.1']);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('distinct: too large to print)');
    expect(table.stdout).toContain(
      '(formulas shortened to fit: --json prints them whole, a very large one as shared subexpressions t1 = ...)',
    );
    expect(table.stdout).not.toContain('--steps');
    const json = await runInProcess(['--expr', tower, '--at', 'x=1.1', '--json']);
    const derivative = (JSON.parse(json.stdout) as ReportJson).gradient[0]?.derivative ?? '';
    expect(derivative.startsWith('t1 = x^x^x\nt2 = x^t1\n')).toBe(true);
    expect(derivative).not.toContain('too large');
  }, 120_000);

  it('a variable that simplification removed stays known: a row with derivative 0 and a note saying why', async () => {
    const result = await runInProcess(['--expr', '(x/x)^2 + w', '--at', 'x=0.8,w=1']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const rows = tableRows(result.stdout);
    expect([...rows.keys()]).toEqual(['w', 'x']);
    expect(rows.get('x')).toMatchObject({ formula: '0', symbolic: '0', autograd: '0', verdict: 'agree' });
    expect(rows.get('w')).toMatchObject({ symbolic: '1', autograd: '1', verdict: 'agree' });
    expect(result.stdout).toContain(
      '  note: x cancels out of the expression (it simplifies to w + 1), so its derivative is 0',
    );
    const json = JSON.parse(
      (await runInProcess(['--expr', '(x/x)^2 + w', '--at', 'x=0.8,w=1', '--json'])).stdout,
    ) as ReportJson;
    expect(json.gradient.map((g) => [g.variable, g.derivative, g.symbolic, g.autograd])).toEqual([
      ['w', '1', 1, 1],
      ['x', '0', 0, 0],
    ]);
    const gone = await runInProcess(['--expr', 'x/(y-y)', '--at', 'x=1,y=3']);
    expect(gone.stderr).toBe('');
    expect([...tableRows(gone.stdout).keys()]).toEqual(['x', 'y']);
    expect(gone.stdout).toContain('  note: y cancels out of the expression');
    // A name the expression never had is still unknown.
    const typo = await runInProcess(['--expr', 'x/x + w', '--at', 'x=1,w=2,q=3']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('crossgrad: unknown variable q in --at (the expression uses w, x)\n');
  });

  it('a Greek variable is asked for and accepted; π is the constant pi; hex is refused in the expression too', async () => {
    const theta = await runInProcess(['--expr', 'sin(θ)', '--at', 'θ=1']);
    expect(theta.stderr).toBe('');
    expect(theta.status).toBe(0);
    expect(tableRows(theta.stdout).get('θ')).toMatchObject({ formula: 'cos(θ)', verdict: 'agree' });
    const missing = await runInProcess(['--expr', 'sin(θ)', '--at', 'x=1']);
    expect(missing.stderr).toBe('crossgrad: missing value for θ in --at (the expression uses θ)\n');
    const pi = await runInProcess(['--expr', 'π*x', '--at', 'x=2', '--json']);
    const report = JSON.parse(pi.stdout) as ReportJson;
    expect(report.value).toBe(2 * Math.PI);
    expect(report.gradient.map((g) => [g.variable, g.derivative, g.symbolic])).toEqual([
      ['x', 'pi', Math.PI],
    ]);
    const hex = await runInProcess(['--expr', '0x10*x', '--at', 'x=1']);
    expect(hex.status).toBe(2);
    expect(hex.stderr).toMatch(/^crossgrad: '0x10' is hexadecimal: write it in decimal, 16 \(column 1\)/);
  });

  it('ends TeX with the verdict as a comment', async () => {
    const result = await runInProcess(['--expr', 'abs(x)', '--at', 'x=0', '--tex']);
    expect(result.status).toBe(3);
    expect(result.stdout.trimEnd().split('\n').slice(-2)[0]).toBe('\\end{align*}');
    expect(result.stdout).toMatch(/\n% verdict: not-differentiable \(.+\)\n$/);
  });
});

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
        expect(entry.verdict, entry.variable).toBe('agree');
        expect(entry.reason, entry.variable).toBe('');
      }
      expect(report.verdict).toBe('agree');
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
      verdict: 'agree',
    });
    expect(rows.get('y')).toMatchObject({
      symbolic: '9',
      autograd: '9',
      finiteDifference: '9',
      verdict: 'agree',
    });
    expect(
      result.stdout.endsWith(
        '\n  verdict: agree (symbolic, autograd and finite differences agree on all 2 derivatives)\n',
      ),
    ).toBe(true);
  });

  it.concurrent(
    'exits 3 with the reason where the value is not a real number: log(x) at x = -1',
    async () => {
      const result = await runCli(['--expr', 'log(x)', '--at', 'x=-1']);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(3);
      expect(tableRows(result.stdout).get('x')).toEqual({
        formula: '1 / x',
        symbolic: '-1',
        autograd: '-1',
        finiteDifference: '-',
        verdict: 'undefined',
      });
      expect(result.stdout).toMatch(/\n {2}verdict: undefined \([^\n]+\)\n$/);
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

  it("--steps prints each derivation with symbolic's formatSteps, under the derivative (in process)", async () => {
    const result = await runInProcess(['--expr', 'x * sin(x^2)', '--at', 'x=1', '--steps']);
    expect(result.status).toBe(0);
    const steps = result.stdout
      .slice(result.stdout.indexOf('\ndf/dx = ') + 1)
      .trimEnd()
      .split('\n');
    expect(steps[0]).toBe('df/dx = 2 * x^2 * cos(x^2) + sin(x^2)');
    const library = formatSteps(explainDiff(parse('x * sin(x^2)'), 'x'), 'x').split('\n');
    expect(steps.slice(1)).toEqual(library.map((line) => `  ${line}`));
    for (const rule of ['product rule', 'chain rule', 'power rule', 'variable'])
      expect(result.stdout).toContain(rule);
  });
});
