import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { demoRoot, runCli, runInProcess } from './run-cli.js';
import { checkWellFormed } from './xml.js';

/** NIST StRD Misra1a: certified values and standard deviations (11 significant digits), and its two starts. */
const MISRA1A = {
  model: 'b1*(1-exp(-b2*x))',
  data: 'examples/misra1a.csv',
  params: { b1: 2.3894212918e2, b2: 5.5015643181e-4 },
  sd: { b1: 2.7070075241, b2: 7.2668688436e-6 },
  rss: 1.2455138894e-1,
  residualSd: 1.018787633e-1,
  starts: ['b1=500,b2=1e-4', 'b1=250,b2=5e-4'],
};

/** In process the working directory is the test runner's: the same fit with the data's absolute path. */
const inProcess = (args: string[]) =>
  runInProcess(args.map((arg) => (arg === MISRA1A.data ? join(demoRoot, MISRA1A.data) : arg)));

/** |a - b| / |b|: a certified value to 6 significant digits or better is within 5e-7 of it. */
const relative = (a: unknown, b: number) => Math.abs(Number(a) - b) / Math.abs(b);

/** A stack frame line as Node prints them (`    at run (file.js:1:2)`); the output's own `at the start` is not one. */
const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m;

const dir = mkdtempSync(join(tmpdir(), 'crossgrad-fit-'));
function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The arguments of a Misra1a fit; the data's path is relative to the demo's folder, where child processes run. */
const fitArgs = (start: string, ...more: string[]) => [
  'fit',
  '--model',
  MISRA1A.model,
  '--data',
  MISRA1A.data,
  '--start',
  start,
  ...more,
];

describe('crossgrad fit', () => {
  it("prints NIST's certified Misra1a values to the digits shown, with the Jacobian checked both times", async () => {
    const result = await runCli(fitArgs(MISRA1A.starts[0] ?? ''));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('fit b1*(1-exp(-b2*x)) to y: 14 rows of examples/misra1a.csv');
    // 9 significant digits, each the certified value rounded: 238.94212918, 5.5015643181e-4, 2.7070075241,
    // 7.2668688436e-6, rss 0.12455138894, s 0.10187876330.
    expect(lines.slice(2, 5)).toEqual([
      '  parameter       estimate  standard error  start',
      '  b1            238.942129      2.70700752    500',
      '  b2         5.50156432e-4   7.26686884e-6   1e-4',
    ]);
    expect(result.stdout).toContain('\n  residual sum of squares      0.124551389\n');
    expect(result.stdout).toContain('\n  residual standard deviation  0.101878763\n');
    expect(result.stdout).toContain('\n  degrees of freedom           12\n');
    expect(result.stdout).toMatch(/\n {2}iterations {19}\d+ \(\d+ evaluations of the residuals\)\n/);
    expect(result.stdout).toMatch(/\n {2}stopped {22}converged: .+\n/);
    expect(result.stdout).toMatch(
      /\n {4}at the start {5}agree: 6 entries on rows 2, 9, 15, largest relative difference \S+\n {4}at the solution {2}agree: 6 entries on rows 2, 9, 15, largest relative difference \S+\n$/,
    );
  }, 60_000);

  it.each(MISRA1A.starts)(
    '--json from NIST start %s: the certified values and standard errors to 8 digits, in the documented shape',
    async (start) => {
      const result = await inProcess(fitArgs(start, '--json'));
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const json = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(Object.keys(json)).toEqual([
        'params',
        'standardErrors',
        'rss',
        'residualStdDev',
        'dof',
        'iterations',
        'evaluations',
        'converged',
        'termination',
        'reason',
        'jacobianVerdict',
        'jacobianChecks',
        'timeMs',
      ]);
      const params = json['params'] as Record<string, number>;
      const errors = json['standardErrors'] as Record<string, number>;
      expect(Object.keys(params)).toEqual(['b1', 'b2']);
      expect(Object.keys(errors)).toEqual(['b1', 'b2']);
      for (const name of ['b1', 'b2'] as const) {
        expect(relative(params[name], MISRA1A.params[name]), name).toBeLessThan(5e-9);
        expect(relative(errors[name], MISRA1A.sd[name]), name).toBeLessThan(5e-9);
      }
      expect(relative(json['rss'], MISRA1A.rss)).toBeLessThan(5e-10);
      expect(relative(json['residualStdDev'], MISRA1A.residualSd)).toBeLessThan(5e-10);
      expect(json['dof']).toBe(12);
      expect(json['converged']).toBe(true);
      expect(json['iterations']).toEqual(expect.any(Number));
      expect(Number(json['iterations'])).toBeGreaterThan(0);
      expect(json['reason']).toEqual(expect.stringMatching(/\S/));
      expect(json['jacobianVerdict']).toBe('agree');
      expect(json['jacobianChecks']).toEqual([
        { at: 'start', verdict: 'agree', reason: expect.stringMatching(/^6 entries on rows 2, 9, 15, /) },
        { at: 'solution', verdict: 'agree', reason: expect.stringMatching(/^6 entries on rows 2, 9, 15, /) },
      ]);
      expect(json['timeMs']).toEqual(expect.any(Number));
      expect(Number(json['timeMs'])).toBeGreaterThan(0);
    },
    60_000,
  );

  it('--response fits a transformed response: log(y) = log(a) + b x on exact data gives a and b', async () => {
    const xs = [0, 1, 2, 3, 4];
    const path = csv('exp.csv', `x,y\n${xs.map((x) => `${x},${2 * Math.exp(0.5 * x)}`).join('\n')}\n`);
    const result = await runInProcess([
      'fit',
      '--model',
      'log(a) + b*x',
      '--response',
      'log(y)',
      '--data',
      path,
      '--start',
      'a=1,b=0',
      '--json',
    ]);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { params: Record<string, number>; rss: number };
    expect(json.params['a']).toBeCloseTo(2, 12);
    expect(json.params['b']).toBeCloseTo(0.5, 12);
    expect(json.rss).toBeLessThan(1e-25);
  });

  it('--svg draws the 14 points, the fitted curve through them and the 14 residuals as well-formed SVG', async () => {
    const svgPath = join(dir, 'misra1a.svg');
    const result = await inProcess(fitArgs(MISRA1A.starts[0] ?? '', '--svg', svgPath));
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(`wrote ${svgPath}\n`);
    const svg = readFileSync(svgPath, 'utf8');
    expect(checkWellFormed(svg).root).toBe('svg');
    const group = (name: string) =>
      new RegExp(`<g class="${name}"[^>]*>([\\s\\S]*?)</g>`).exec(svg)?.[1] ?? '';
    expect(group('data').match(/<circle /g)).toHaveLength(14);
    expect(group('residuals').match(/<circle /g)).toHaveLength(14);
    expect(group('residuals').match(/<line /g)).toHaveLength(14);
    const curve = /<polyline class="curve" points="([^"]*)"/.exec(svg)?.[1]?.split(' ') ?? [];
    expect(curve).toHaveLength(201);
    expect(svg).toContain(`<title>b1*(1-exp(-b2*x)) fitted to y (${join(demoRoot, MISRA1A.data)})</title>`);
  });

  it('a fit that runs out of iterations prints its result with the reason and exits 4, no stack trace', async () => {
    const result = await runCli(fitArgs(MISRA1A.starts[0] ?? '', '--max-iterations', '2'));
    expect(result.status).toBe(4);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/\n {2}stopped {22}did not converge: .*2 iterations.*\n/);
    expect(result.stdout).toContain('  b1 ');
    // Its Jacobian is checked where it stopped, which is no solution.
    expect(result.stdout).toMatch(/\n {4}at the start {7}agree: .*\n {4}at the last point {2}agree: /);
    expect(result.stdout).not.toMatch(STACK_FRAME);
    const json = JSON.parse(
      (await inProcess(fitArgs(MISRA1A.starts[0] ?? '', '--max-iterations', '2', '--json'))).stdout,
    ) as Record<string, unknown>;
    expect(json['converged']).toBe(false);
    expect(json['termination']).toBe('max-iterations');
    expect(json['iterations']).toBe(2);
  }, 60_000);

  it('a Jacobian entry at a kink is skipped with the reason, and the fit still reports', async () => {
    const path = csv('kink.csv', 'x,y\n1,1.5\n2,0.1\n3,1.4\n');
    const result = await runInProcess([
      'fit',
      '--model',
      'a*abs(x - c)',
      '--data',
      path,
      '--start',
      'a=1,c=2',
    ]);
    expect(result.status).toBe(0);
    // At the start c = 2 puts row 3 (x = 2) exactly at the kink of abs: d/dc has no value there. The solution,
    // c = 2.046, is clear of every row.
    expect(result.stdout).toContain(
      '    at the start     skipped: 5 of 6 entries on rows 2, 3, 4 agree; row 3, d/dc: abs(x - c) is at its kink (argument 0): left -1, right 1\n',
    );
    expect(result.stdout).toMatch(/\n {4}at the solution {2}agree: 6 entries on rows 2, 3, 4, /);
    expect(result.stdout).toContain('\n  c          2.04597701 ');
    const json = JSON.parse(
      (await runInProcess(['fit', '--model', 'a*abs(x - c)', '--data', path, '--start', 'a=1,c=2', '--json']))
        .stdout,
    ) as { jacobianVerdict: string };
    expect(json.jacobianVerdict).toBe('skipped');
  });
});
