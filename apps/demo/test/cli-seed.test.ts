import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Value } from '@crossgrad/autograd';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildSeedNeuron } from '../src/check/seed-neuron.js';
import type { ReportJson } from '../src/format/report-json.js';
import { runCli, tableRows, type CliResult } from './run-cli.js';
import { checkWellFormed } from './xml.js';

interface SeedCase {
  readonly value: number;
  readonly point: Record<string, number>;
  readonly gradient: Record<string, number>;
}

const publicCases = JSON.parse(
  readFileSync(new URL('../../../cases/public.json', import.meta.url), 'utf8'),
) as { seedNeuron: SeedCase };
const seed = publicCases.seedNeuron;

/** Every run of the seed, started together: each child process costs about half a second. */
const out = mkdtempSync(join(tmpdir(), 'crossgrad-seed-'));
let table: CliResult;
let json: CliResult;
let steps: CliResult;
let tex: CliResult;
beforeAll(async () => {
  [table, json, steps, tex] = await Promise.all([
    runCli([]),
    // The files come from the --json run: one child process fewer, and the JSON must stay pure beside them.
    runCli(['--json', '--dot', join(out, 'neuron.dot'), '--svg', join(out, 'neuron.svg')]),
    runCli(['--steps']),
    runCli(['--tex']),
  ]);
}, 30_000);

describe('the default run', () => {
  it('prints the expression, its expansion, the point and o = 0.7071, and exits 0', () => {
    expect(table.stderr).toBe('');
    expect(table.status).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toBe('o = tanh(x1*w1 + x2*w2 + b)');
    expect(lines[1]).toBe(
      '  expanded  o = (exp(2 * n) - 1) / (exp(2 * n) + 1) with n = b + w1 * x1 + w2 * x2',
    );
    expect(lines[2]).toBe('  at        x1 = 2, x2 = 0, w1 = -3, w2 = 1, b = 6.881373587019543');
    expect(lines[3]).toBe('  value     o = 0.7071');
  });

  it("has one row per variable with the seed's numbers, all three agreeing", () => {
    const rows = tableRows(table.stdout);
    expect([...rows.keys()]).toEqual(['n', 'x1', 'w1', 'x2', 'w2', 'b']);
    const expected: Record<string, string> = { n: '0.5', x1: '-1.5', w1: '1', x2: '0.5', w2: '0', b: '0.5' };
    for (const [variable, grad] of Object.entries(expected)) {
      const row = rows.get(variable);
      expect(row?.symbolic, variable).toBe(grad);
      expect(row?.autograd, variable).toBe(grad);
      expect(Number(row?.finiteDifference), variable).toBeCloseTo(Number(grad), 8);
      expect(row?.verdict, variable).toBe('agree');
    }
  });

  it('writes the leaf rows through n (chain rule), and do/dn with exp(2 * n) named once', () => {
    const rows = tableRows(table.stdout);
    expect([...rows.values()].map((r) => r.formula)).toEqual([
      '2 * t1 / t2 - 2 * t1 * (t1 - 1) / t2^2',
      'w1 * do/dn',
      'x1 * do/dn',
      'w2 * do/dn',
      'x2 * do/dn',
      'do/dn',
    ]);
    expect(table.stdout).toContain('\n  where t1 = exp(2 * n), t2 = t1 + 1\n');
    expect(table.stdout).toContain('do/dv = dn/dv * do/dn (chain rule)');
  });

  it('is plain ASCII when piped: no escape codes, no marks', () => {
    // eslint-disable-next-line no-control-regex
    expect(table.stdout).not.toMatch(/[^\x09\x0a\x20-\x7e]/);
    expect(
      table.stdout.endsWith(
        '\n  verdict: agree (symbolic, autograd and finite differences agree on all 6 derivatives)\n',
      ),
    ).toBe(true);
  });
});

describe('--json', () => {
  it('has exactly the fields of the issue, and the values of public.json', () => {
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as ReportJson;
    expect(Object.keys(report)).toEqual([
      'expression',
      'expanded',
      'point',
      'value',
      'gradient',
      'verdict',
      'reason',
    ]);
    expect(report.expression).toBe('tanh(x1*w1 + x2*w2 + b)');
    expect(report.expanded).toMatch(/ with n = /);
    expect(report.point).toEqual(seed.point);
    expect(report.value).toBeCloseTo(seed.value, 9);
    expect(report.verdict).toBe('agree');
    expect(report.reason).toBe('symbolic, autograd and finite differences agree on all 6 derivatives');
    expect(report.gradient.map((g) => g.variable)).toEqual(['n', 'x1', 'w1', 'x2', 'w2', 'b']);
    for (const entry of report.gradient) {
      expect(Object.keys(entry)).toEqual([
        'variable',
        'derivative',
        'symbolic',
        'autograd',
        'finiteDifference',
        'verdict',
        'reason',
      ]);
      const want = seed.gradient[entry.variable];
      expect(want, entry.variable).toBeDefined();
      expect(Math.abs(Number(entry.symbolic) - (want ?? NaN)), entry.variable).toBeLessThan(1e-9);
      expect(Math.abs(Number(entry.autograd) - (want ?? NaN)), entry.variable).toBeLessThan(1e-9);
      expect(Math.abs(Number(entry.finiteDifference ?? NaN) - (want ?? NaN)), entry.variable).toBeLessThan(
        1e-9,
      );
      expect(entry.verdict).toBe('agree');
      expect(entry.reason).toBe('');
    }
  });

  it("gives each derivative whole: the table's short forms spelled out", () => {
    const report = JSON.parse(json.stdout) as ReportJson;
    const derivative = new Map(report.gradient.map((g) => [g.variable, g.derivative]));
    // Spell out the table's temporaries (t2 = t1 + 1 holds t1, so the later one first), sums in parentheses.
    const where = /where (.*)\n/.exec(table.stdout)?.[1] ?? '';
    const temporaries = where.split(', ').map((d) => d.split(' = ') as [string, string]);
    let dodn = tableRows(table.stdout).get('n')?.formula ?? '';
    for (const [name, value] of temporaries.reverse()) {
      dodn = dodn.replaceAll(new RegExp(`${name}(?!\\d)`, 'g'), value.includes(' + ') ? `(${value})` : value);
    }
    expect(derivative.get('n')).toBe(dodn);
    expect(derivative.get('b')).toBe(dodn);
    expect(derivative.get('x1')).toBe(`w1 * (${dodn})`);
    expect(derivative.get('w2')).toBe(`x2 * (${dodn})`);
  });
});

describe('--steps', () => {
  it('prints an indented derivation per row, naming the rules', () => {
    expect(steps.status).toBe(0);
    const text = steps.stdout;
    for (const rule of [
      'chain rule',
      'exp rule',
      'product rule',
      'sum rule',
      'power rule',
      'variable',
      'constant',
    ]) {
      expect(text, rule).toContain(rule);
    }
    for (const v of ['n', 'x1', 'w1', 'x2', 'w2', 'b']) expect(text).toMatch(new RegExp(`^do/d${v} = `, 'm'));
    expect(text).toMatch(/^ {4,}\S+ rule: d\/dx1 \[/m);
  });
});

describe('--tex', () => {
  it('prints an align* block with one partial derivative per variable', () => {
    expect(tex.status).toBe(0);
    const lines = tex.stdout.trimEnd().split('\n');
    expect(lines[1]).toBe('\\begin{align*}');
    expect(lines.at(-2)).toBe('\\end{align*}');
    expect(lines.at(-1)).toBe(
      '% verdict: agree (symbolic, autograd and finite differences agree on all 6 derivatives)',
    );
    expect(tex.stdout.match(/\\frac\{\\partial o\}\{\\partial [^}]+\}/g)).toHaveLength(6);
    expect(tex.stdout).toMatch(/= -1\.5 \\\\$/m);
    expect(tex.stdout).toContain('= 0.7071');
  });
});

describe('--dot and --svg', () => {
  /** The seed graph's values and ops, counted from the graph itself. */
  function countNodes(root: Value): { values: number; ops: number } {
    const seen = new Set<Value>();
    const stack = [root];
    for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
      if (seen.has(v)) continue;
      seen.add(v);
      stack.push(...v.children);
    }
    return { values: seen.size, ops: [...seen].filter((v) => v.op !== '').length };
  }

  it('writes the graph after backward as DOT, one record per value and one node per op', () => {
    expect(json.status).toBe(0);
    expect(json.stderr).toBe(`wrote ${join(out, 'neuron.dot')}\nwrote ${join(out, 'neuron.svg')}\n`);
    const dot = readFileSync(join(out, 'neuron.dot'), 'utf8');
    const { values, ops } = countNodes(buildSeedNeuron().o);
    expect(dot.match(/shape=record/g)).toHaveLength(values);
    expect(dot.match(/^ {2}n\d+op \[/gm)).toHaveLength(ops);
    expect(dot).toContain('{ x1 | data 2.0000 | grad -1.5000 }');
    expect(dot).toContain('{ n | data 0.8814 | grad 0.5000 }');
    expect(dot).toContain('{ o | data 0.7071 | grad 1.0000 }');
  });

  it('renders the same graph as well-formed SVG with one node group per value and op', () => {
    const svg = readFileSync(join(out, 'neuron.svg'), 'utf8');
    expect(checkWellFormed(svg).root).toBe('svg');
    const { values, ops } = countNodes(buildSeedNeuron().o);
    expect(svg.match(/<g id="[^"]*" class="node">/g)).toHaveLength(values + ops);
    expect(svg).toContain('grad &#45;1.5000'); // Graphviz writes '-' as an entity
  });
});
