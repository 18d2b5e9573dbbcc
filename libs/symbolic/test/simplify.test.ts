import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  compileGradient,
  diff,
  evaluate,
  expandTanh,
  type Expr,
  format,
  gradient,
  parse,
  size,
  tanh,
  variables,
} from '@crossgrad/symbolic';
import { exprArbitrary, propertySeed } from './support.js';

// Derivatives come out simplified, because the builders collect like terms and factors as they go.

describe('derivatives written as a person would', () => {
  test('d/dx x^x = x^x · (logz(x) + 1), with no x / x', () => {
    const d = diff(parse('x^x'), 'x');
    expect(format(d)).toBe('x^x * (logz(x) + 1)');
    const g = gradient(parse('x^x')).get('x')!;
    for (const x of [0.5, 1, 2.5]) expect(evaluate(g, { x })).toBeCloseTo(x ** x * (Math.log(x) + 1), 12);
  });

  test('d/dx (sin²x + cos²x) = 0', () => {
    expect(diff(parse('sin(x)^2 + cos(x)^2'), 'x')).toBe(parse('0'));
    expect(gradient(parse('sin(x)^2 + cos(x)^2')).get('x')).toBe(parse('0'));
  });

  test('d/dx of x^3·sin(x)/x cancels the x', () => {
    expect(format(diff(parse('x^3 * sin(x) / x'), 'x'))).toBe('2 * x * sin(x) + x^2 * cos(x)');
  });

  test('sqrt((w - w) · sigmoid(-2.09)) · (w + 1): w - w is 0, so gradient is finite and equal to diff', () => {
    const e = parse('sqrt((w - w) * sigmoid(-2.09)) * (w + 1) + w^2');
    const point = { w: 0.7 };
    const byDiff = evaluate(diff(e, 'w'), point);
    const byGradient = evaluate(gradient(e).get('w')!, point);
    expect(byDiff).toBe(1.4);
    expect(byGradient).toBe(byDiff);
    expect(compileGradient(e, ['w'])(0.7).gradient[0]).toBe(byDiff);
  });
});

describe('diff and gradient agree wherever both are finite', () => {
  test('over random expressions and points', () => {
    const seed = propertySeed('diff and gradient agree', 11_2026);
    let compared = 0;
    fc.assert(
      fc.property(exprArbitrary(), fc.double({ min: 0.25, max: 2.25, noNaN: true }), (e, at) => {
        const vars = variables(e);
        const point = Object.fromEntries(vars.map((v, i) => [v, at + 0.37 * i]));
        const g = gradient(e);
        for (const v of vars) {
          const a = evaluate(diff(e, v), point);
          const b = evaluate(g.get(v)!, point);
          if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
          compared++;
          if (!(Math.abs(a - b) <= 1e-9 * (1 + Math.abs(a)))) {
            throw new Error(`d/d${v} ${format(e)} at ${JSON.stringify(point)}: diff ${a}, gradient ${b}`);
          }
        }
      }),
      { seed, numRuns: 1500 },
    );
    expect(compared).toBeGreaterThan(1000);
  }, 120_000);
});

describe('the DAGs stay linear', () => {
  test('expanded tanh nested 12 deep: a derivative of 119 nodes, growing by 9 per level', () => {
    let f: Expr = parse('x*w + b');
    const dags: number[] = [];
    for (let k = 1; k <= 12; k++) {
      f = expandTanh(tanh(f));
      dags.push(size(diff(f, 'x')).dag);
    }
    const growth = dags.slice(1).map((d, i) => d - dags[i]);
    expect(new Set(growth.slice(1))).toEqual(new Set([9]));
    expect(dags[11]).toBe(119);
  });
});
