import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Value } from '@crossgrad/autograd';
import {
  compareGradients,
  formatReport,
  fromValue,
  type GradientReport,
  pointFromValue,
} from '@crossgrad/verify';

/** `value`, or a test failure naming what is missing. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

const cases = JSON.parse(readFileSync(new URL('../../../cases/public.json', import.meta.url), 'utf8')) as {
  seedNeuron: { point: Record<string, number>; value: number; gradient: Record<string, number> };
  micrograd_sanity_check: { y: number; 'x.grad': number };
  micrograd_more_ops: { g: number; 'a.grad': number; 'b.grad': number };
};

/** Every oracle's ∂/∂variable equals `expected` (to 1e-12 relative), and the report agrees. */
function expectAll(report: GradientReport, expected: Readonly<Record<string, number>>): void {
  expect(report.verdict, formatReport(report)).toBe('agree');
  for (const [variable, want] of Object.entries(expected)) {
    const row = must(
      report.rows.find((r) => r.variable === variable),
      `row ${variable}`,
    );
    for (const got of [
      row.symbolic,
      row.autograd,
      row.complexStep,
      must(row.finiteDifference, 'finite difference'),
    ]) {
      expect(Math.abs(got - want), `∂/∂${variable}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
    }
  }
}

describe("the seed lecture's neuron", () => {
  const { point, value, gradient } = cases.seedNeuron;
  const { n: dn, ...leaves } = gradient;

  test('tanh(x1*w1 + x2*w2 + b): o = 0.7071 and the five leaf gradients, from every oracle', () => {
    const report = compareGradients('tanh(x1*w1 + x2*w2 + b)', point);
    expect(report.value).toBeCloseTo(value, 15);
    expectAll(report, leaves);
    expect(report.mathjs).toEqual({ applicable: true });
    for (const row of report.rows)
      expect(row.mathjs).toBeCloseTo(must(leaves[row.variable], row.variable), 12);
  });

  test('tanh written out as (e^(2n) - 1)/(e^(2n) + 1) gives the same value and gradients', () => {
    const n = '(x1*w1 + x2*w2 + b)';
    const report = compareGradients(`(e^(2*${n}) - 1) / (e^(2*${n}) + 1)`, point);
    expect(report.value).toBeCloseTo(value, 15);
    expectAll(report, leaves);
  });

  test('built as Values and bridged with fromValue, n as the variable: do/dn = 0.5', () => {
    const x1 = new Value(must(point.x1, 'x1'), 'x1');
    const x2 = new Value(must(point.x2, 'x2'), 'x2');
    const w1 = new Value(must(point.w1, 'w1'), 'w1');
    const w2 = new Value(must(point.w2, 'w2'), 'w2');
    const b = new Value(must(point.b, 'b'), 'b');
    const n = x1.mul(w1).add(x2.mul(w2)).add(b);
    n.label = 'n';
    const o = n.tanh();
    const expr = fromValue(o, { variables: ['n'] });
    const at = pointFromValue(o, { variables: ['n'] });
    expect(Object.keys(at)).toEqual(['n']);
    expectAll(compareGradients(expr, at), { n: must(dn, 'n') });
    // Bridged with its leaves as variables instead, the graph's own backward agrees with the table.
    o.backward();
    const all = compareGradients(fromValue(o), pointFromValue(o));
    expectAll(all, leaves);
    expect(x1.grad).toBeCloseTo(must(leaves.x1, 'x1'), 12);
  });
});

describe("micrograd's tests (test_engine.py), through every oracle", () => {
  test('sanity check: y = -20, dy/dx = 46', () => {
    const x = new Value(-4, 'x');
    const z = x.mul(2).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    y.backward();
    expect(y.data).toBe(cases.micrograd_sanity_check.y);
    expect(x.grad).toBe(cases.micrograd_sanity_check['x.grad']);
    const report = compareGradients(fromValue(y), pointFromValue(y));
    expect(report.value).toBe(cases.micrograd_sanity_check.y);
    expectAll(report, { x: cases.micrograd_sanity_check['x.grad'] });
  });

  test('sanity check as one expression string', () => {
    const z = '(2*x + 2 + x)';
    const q = `(relu(${z}) + ${z}*x)`;
    const report = compareGradients(`relu(${z}*${z}) + ${q} + ${q}*x`, { x: -4 });
    expect(report.value).toBe(cases.micrograd_sanity_check.y);
    expectAll(report, { x: cases.micrograd_sanity_check['x.grad'] });
  });

  test('more ops: g = 24.704, dg/da = 138.834, dg/db = 645.577', () => {
    const a = new Value(-4, 'a');
    const b = new Value(2, 'b');
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(new Value(1).add(c).add(a.neg()));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(new Value(3).mul(d).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2);
    g = g.add(f.rdiv(10));
    g.backward();
    const { g: gValue, 'a.grad': da, 'b.grad': db } = cases.micrograd_more_ops;
    expect(g.data).toBeCloseTo(gValue, 12);
    expect(a.grad).toBeCloseTo(da, 10);
    expect(b.grad).toBeCloseTo(db, 10);
    const report = compareGradients(fromValue(g), pointFromValue(g));
    expect(report.value).toBeCloseTo(gValue, 12);
    expectAll(report, { a: da, b: db });
  });
});
