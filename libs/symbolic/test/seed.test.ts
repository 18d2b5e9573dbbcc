import { describe, expect, test } from 'vitest';
import {
  compileGradient,
  diff,
  evaluate,
  expandTanh,
  format,
  gradient,
  parse,
  size,
  variables,
} from '@crossgrad/symbolic';
import { loadSeedNeuron } from './support.js';

const seed = loadSeedNeuron();
const inputs = ['b', 'w1', 'w2', 'x1', 'x2'];

describe("the seed lecture's neuron (public.json)", () => {
  const neuron = parse(seed.expression);
  const expanded = expandTanh(neuron);

  test('reads the expression and evaluates to o = 0.7071', () => {
    expect(variables(neuron)).toEqual(inputs);
    expect(evaluate(neuron, seed.point)).toBeCloseTo(seed.value, 15);
    expect(evaluate(expanded, seed.point)).toBeCloseTo(seed.value, 15);
  });

  for (const [label, e] of [
    ['tanh', neuron],
    ['expandTanh', expanded],
  ] as const) {
    test(`${label}: d o / d v by diff, by gradient and by compileGradient equal public.json`, () => {
      const g = gradient(e);
      const compiled = compileGradient(e, inputs)(...inputs.map((v) => seed.point[v]));
      expect(compiled.value).toBeCloseTo(seed.value, 15);
      inputs.forEach((v, i) => {
        const expected = seed.gradient[v];
        expect(evaluate(diff(e, v), seed.point)).toBeCloseTo(expected, 14);
        expect(evaluate(g.get(v)!, seed.point)).toBeCloseTo(expected, 14);
        expect(compiled.gradient[i]).toBeCloseTo(expected, 14);
      });
    });
  }

  test('expandTanh shares one exp(2n) between numerator and denominator', () => {
    const e = expandTanh(parse('tanh(n)'));
    expect(format(e)).toBe('(exp(2 * n) - 1) / (exp(2 * n) + 1)');
    // DAG: n, 2, 2n, exp(2n), -1, exp(2n) - 1, 1, exp(2n) + 1, (exp(2n) + 1)^-1 and the product. Tree: the product,
    // exp(2n) - 1 (6 nodes) and (exp(2n) + 1)^-1 (8 nodes).
    expect(size(e)).toEqual({ dag: 10, tree: 15 });
  });

  test('d/dn of the expanded neuron is readable and equals 1 - o^2 = 0.5', () => {
    const n = 0.8813735870195432; // x1*w1 + x2*w2 + b at the seed point
    const d = diff(expandTanh(parse('tanh(n)')), 'n');
    expect(format(d)).toBe(
      '2 * exp(2 * n) / (exp(2 * n) + 1) - 2 * exp(2 * n) * (exp(2 * n) - 1) / (exp(2 * n) + 1)^2',
    );
    expect(format(d, { cse: true })).toBe(
      't1 = exp(2 * n)\nt2 = t1 + 1\n2 * t1 / t2 - 2 * t1 * (t1 - 1) / t2^2',
    );
    expect(evaluate(d, { n })).toBeCloseTo(seed.gradient.n, 15);
    expect(evaluate(d, { n })).toBeCloseTo(1 - seed.value ** 2, 15);
  });
});
