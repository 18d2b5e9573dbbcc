import { describe, expect, test } from 'vitest';
import {
  compileGradient,
  diff,
  evaluate,
  expandTanh,
  type Expr,
  format,
  gradient,
  hessian,
  parse,
  size,
  SymbolicError,
  tanh,
  variables,
} from '@crossgrad/symbolic';
import { random } from './support.js';

const EXPRESSIONS = [
  'tanh(x1*w1 + x2*w2 + b)',
  'x^y + sin(x*y) * exp(-z)',
  'log(1 + x^2) / sqrt(y^2 + 1) - relu(x - z) + abs(y)',
  'sigmoid(x*y*z) * (x + y)^3',
  'x*x*y + x*y*y',
];

describe('gradient: every partial at once, by reverse accumulation', () => {
  test.each(EXPRESSIONS)('agrees with diff per variable: %s', (src) => {
    const e = parse(src);
    const g = gradient(e);
    expect([...g.keys()]).toEqual(variables(e));
    const next = random(src.length);
    for (let trial = 0; trial < 5; trial++) {
      const point = Object.fromEntries(variables(e).map((v) => [v, 0.2 + 1.5 * next()]));
      for (const v of variables(e)) {
        expect(evaluate(g.get(v)!, point)).toBeCloseTo(evaluate(diff(e, v), point), 12);
      }
    }
  });

  test('small cases come out in the same form as diff', () => {
    const g = gradient(parse('x*y + sin(x)'));
    expect(format(g.get('x')!)).toBe('y + cos(x)');
    expect(format(g.get('y')!)).toBe('x');
    expect(gradient(parse('x^3')).get('x')).toBe(diff(parse('x^3'), 'x'));
  });

  test('a chosen list of variables, including one the expression lacks', () => {
    const g = gradient(parse('x*y'), ['y', 'q']);
    expect([...g.keys()]).toEqual(['y', 'q']);
    expect(g.get('y')).toBe(parse('x'));
    expect(g.get('q')).toBe(parse('0'));
  });

  test('a named variable that simplification removed gets 0 from gradient and compileGradient', () => {
    const e = parse('(x/x)^2 + w');
    expect(format(e)).toBe('w + 1');
    const g = gradient(e, ['x']);
    expect([...g.keys()]).toEqual(['x']);
    expect(g.get('x')).toBe(parse('0'));
    expect(compileGradient(e, ['x', 'w'])(0.8, 1)).toEqual({ value: 2, gradient: [0, 1] });
    expect(compileGradient(e, ['w', 'z', 'x'])(1, 5, 0.8)).toEqual({ value: 2, gradient: [1, 0, 0] });
  });

  test('shared work: the whole gradient of the expanded neuron is about one derivative in size', () => {
    const e = expandTanh(parse('tanh(x1*w1 + x2*w2 + b)'));
    const all = gradient(e);
    const union = parse([...all.values()].map((d) => `(${format(d)})`).join(' + '));
    const one = diff(e, 'x1');
    // The five partials share the adjoint of n; together they are a few nodes more than one of them.
    expect(size(union).dag).toBeLessThan(size(one).dag + 20);
  });

  test('bad arguments', () => {
    expect(() => gradient(parse('x'), 'x' as unknown as string[])).toThrow(
      new SymbolicError('gradient: expected an array of variable names, got the string "x"'),
    );
    expect(() => gradient(parse('x'), ['x', 'x'])).toThrow(
      new SymbolicError("gradient: the variable 'x' is listed twice"),
    );
  });
});

describe('hessian: the gradient differentiated', () => {
  test('by structure on a polynomial', () => {
    const h = hessian(parse('x^2 * y + y^3'));
    expect(format(h.get('x')!.get('x')!)).toBe('2 * y');
    expect(format(h.get('x')!.get('y')!)).toBe('2 * x');
    expect(format(h.get('y')!.get('x')!)).toBe('2 * x');
    expect(format(h.get('y')!.get('y')!)).toBe('6 * y');
  });

  test('symmetric and equal to differentiating twice, by value', () => {
    const e = parse('tanh(x*y) + exp(x) * log(y)');
    const h = hessian(e);
    const point = { x: 0.3, y: 1.7 };
    const mixed = evaluate(diff(diff(e, 'x'), 'y'), point);
    expect(evaluate(h.get('x')!.get('y')!, point)).toBeCloseTo(mixed, 13);
    expect(evaluate(h.get('y')!.get('x')!, point)).toBeCloseTo(mixed, 13);
    expect(evaluate(h.get('x')!.get('x')!, point)).toBeCloseTo(evaluate(diff(diff(e, 'x'), 'x'), point), 13);
  });

  test('of tanh, at the seed point: d²/dn² tanh(n) = -2 tanh(n) (1 - tanh(n)^2)', () => {
    const n = 0.8813735870195432;
    const o = Math.tanh(n);
    for (const e of [tanh(parse('n')), expandTanh(tanh(parse('n')))] as Expr[]) {
      expect(evaluate(hessian(e).get('n')!.get('n')!, { n })).toBeCloseTo(-2 * o * (1 - o * o), 14);
    }
  });
});
