import { describe, expect, it } from 'vitest';

import { runCli, runInProcess } from './run-cli.js';

const ROSENBROCK = ['minimize', '--expr', '100*(x2-x1^2)^2 + (1-x1)^2', '--start', 'x1=-1.2,x2=1'];

describe('crossgrad minimize', () => {
  it("--json: Rosenbrock's function from (-1.2, 1) reaches its minimum (1, 1), in the documented shape", async () => {
    const result = await runInProcess([...ROSENBROCK, '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      'point',
      'value',
      'gradientNorm',
      'iterations',
      'evaluations',
      'converged',
      'termination',
      'reason',
    ]);
    const point = json['point'] as Record<string, number>;
    expect(Object.keys(point)).toEqual(['x1', 'x2']);
    expect(point['x1']).toBeCloseTo(1, 8);
    expect(point['x2']).toBeCloseTo(1, 8);
    expect(Number(json['value'])).toBeLessThan(1e-18);
    expect(Number(json['gradientNorm'])).toBeLessThanOrEqual(1e-10);
    expect(json['converged']).toBe(true);
    expect(json['termination']).toBe('gtol');
    expect(Number(json['evaluations'])).toBeGreaterThanOrEqual(Number(json['iterations']));
  });

  it('prints a table of the start and the point found, and why it stopped', async () => {
    const result = await runCli(ROSENBROCK);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'minimize 100*(x2-x1^2)^2 + (1-x1)^2',
      '',
      '  variable  start  found',
      '  x1         -1.2      1',
      '  x2            1      1',
    ]);
    expect(lines[6]).toMatch(/^ {2}value {10}\d\.\d+e-\d\d$/);
    expect(lines[7]).toMatch(/^ {2}gradient norm {2}\S+ \(largest entry in absolute value\)$/);
    expect(lines[8]).toMatch(/^ {2}iterations {5}\d+$/);
    expect(lines[9]).toMatch(/^ {2}evaluations {4}\d+ \(of the function and its gradient together\)$/);
    expect(lines[10]).toBe(
      "  stopped        converged: the gradient's largest component is below gtol = 1e-10",
    );
  }, 60_000);

  it('a minimisation that runs out of iterations prints its result with the reason and exits 4', async () => {
    const result = await runInProcess([...ROSENBROCK, '--max-iterations', '3', '--json']);
    expect(result.status).toBe(4);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json['converged']).toBe(false);
    expect(json['termination']).toBe('max-iterations');
    expect(json['iterations']).toBe(3);
    const text = await runInProcess([...ROSENBROCK, '--max-iterations', '3']);
    expect(text.status).toBe(4);
    expect(text.stdout).toContain('\n  stopped        did not converge: ');
  });
});
