import { describe, expect, test } from 'vitest';
import { softplus as softplusValue, tan as tanValue, Value } from '@crossgrad/autograd';
import { diff, evaluate, FN_NAMES, format, parse, softplus, sym, tan } from '@crossgrad/symbolic';
import { compareGradients, complexStep, fromValue, toValue } from '@crossgrad/verify';
import { complex } from '../src/complex.js';
import { FUNCTIONS } from '../src/functions.js';
import { realCall } from '../src/real-eval.js';
import { COMPLEX_STEP } from '../src/slopes.js';

const sigmoid = (u: number): number => 1 / (1 + Math.exp(-u));

describe('the function table', () => {
  test('one entry per function symbolic knows, and no other', () => {
    expect(Object.keys(FUNCTIONS).sort()).toEqual([...FN_NAMES].sort());
  });

  test("each entry's complex extension has the real function as its real part and a finite slope", () => {
    for (const fn of FN_NAMES) {
      const { real, complex: extension } = FUNCTIONS[fn];
      for (const u of [0.3, 1.2, 2.5]) {
        const z = extension(complex(u, COMPLEX_STEP));
        expect(Math.abs(z.re - real(u)), `${fn}(${u})`).toBeLessThanOrEqual(1e-15 * Math.abs(real(u)));
        expect(Number.isFinite(z.im / COMPLEX_STEP), `${fn}'(${u})`).toBe(true);
      }
    }
  });

  test("each entry's autograd node computes the real function; its op maps back to the same builder", () => {
    for (const fn of FN_NAMES) {
      const entry = FUNCTIONS[fn];
      const x = new Value(0.7, 'x');
      const node = entry.value(x);
      expect(node.data, fn).toBeCloseTo(entry.real(0.7), 15);
      if (entry.op === undefined) {
        // step and sign: a constant, derivative 0; logz: autograd's log (a constant 0 at 0).
        expect(node.op, fn).toBe(fn === 'logz' ? 'log' : '');
        continue;
      }
      expect(node.op, fn).toBe(entry.op);
      expect(fromValue(node), fn).toBe(entry.expr(sym('x')));
    }
  });

  test('poles: only log has one a double reaches (at 0), and a value there is undefined, not a disagreement', () => {
    expect(FN_NAMES.filter((fn) => FUNCTIONS[fn].pole(0))).toEqual(['log']);
    expect(FN_NAMES.filter((fn) => FUNCTIONS[fn].pole(Math.PI / 2))).toEqual([]);
    expect(realCall('log', 0)).toBe(-Infinity);
    const report = compareGradients(parse('log(x) * y'), { x: 0, y: 2 });
    expect(report.verdict).toBe('undefined');
  });

  test('tan: value, slope 1 + tan² by every oracle, both bridges', () => {
    const e = parse('tan(x)');
    expect(e).toBe(tan(sym('x')));
    expect(realCall('tan', 1)).toBe(Math.tan(1));
    const report = compareGradients(e, { x: 1 });
    expect(report.verdict).toBe('agree');
    expect(report.mathjs).toEqual({ applicable: true });
    const row = report.rows[0];
    const exact = 1 + Math.tan(1) ** 2;
    expect(row.complexStep).toBeCloseTo(exact, 14);
    expect(row.autograd).toBeCloseTo(exact, 14);
    expect(row.mathjs).toBeCloseTo(exact, 14);
    const { output, inputs } = toValue(e, { x: 1 });
    expect(output.op).toBe('tan');
    output.backward();
    expect(inputs.x.grad).toBeCloseTo(exact, 14);
    expect(fromValue(tanValue(new Value(1, 'x')))).toBe(e);
  });

  test('softplus: stable value, slope sigmoid by every oracle, both bridges; mathjs says it does not apply', () => {
    const e = parse('softplus(x)');
    expect(e).toBe(softplus(sym('x')));
    expect(realCall('softplus', 0)).toBe(Math.LN2);
    // Stable far out: no overflow at 800, no cancellation at -40.
    expect(realCall('softplus', 800)).toBe(800);
    expect(realCall('softplus', -40)).toBe(Math.log1p(Math.exp(-40)));
    const report = compareGradients(e, { x: -1.5 });
    expect(report.verdict).toBe('agree');
    expect(report.mathjs).toEqual({ applicable: false, reason: 'mathjs has no derivative for softplus' });
    expect(report.rows[0].mathjs).toBeUndefined();
    expect(report.rows[0].complexStep).toBeCloseTo(sigmoid(-1.5), 15);
    expect(complexStep(parse('softplus(x) * tan(y)'), { x: 40, y: 0.5 }).gradient.x).toBeCloseTo(
      Math.tan(0.5),
      14,
    );
    const { output, inputs } = toValue(e, { x: -1.5 });
    expect(output.op).toBe('softplus');
    output.backward();
    expect(inputs.x.grad).toBeCloseTo(sigmoid(-1.5), 15);
    expect(fromValue(softplusValue(new Value(-1.5, 'x')))).toBe(e);
  });

  test('softplus far out where its value underflows: the verdict says so instead of disagreeing', () => {
    // softplus(-800) is e^-800 exactly, 0 in doubles: a chain rule through it means nothing.
    const report = compareGradients(parse('log(softplus(x))'), { x: -800 });
    expect(report.verdict).not.toBe('agree');
    expect(report.verdict).not.toBe('disagree');
  });

  test('a composite of both: symbolic derivative, autograd and complex step agree', () => {
    const e = parse('softplus(tan(x) * y) + tan(softplus(y))');
    const p = { x: 0.4, y: -0.8 };
    const report = compareGradients(e, p);
    expect(report.verdict).toBe('agree');
    const dx = evaluate(diff(e, 'x'), p);
    expect(dx).toBeCloseTo(sigmoid(Math.tan(0.4) * -0.8) * (1 + Math.tan(0.4) ** 2) * -0.8, 14);
    expect(format(e)).toContain('softplus(');
  });
});
