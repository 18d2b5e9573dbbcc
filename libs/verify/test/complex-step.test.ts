import { describe, expect, test } from 'vitest';
import { diff, parse, sym, tanh } from '@crossgrad/symbolic';
import { complexStep, MissingVariableError } from '@crossgrad/verify';

const EPS = Number.EPSILON;

describe('complexStep', () => {
  test('known gradients, exact to a few ulps', () => {
    const g = complexStep(parse('x^2 * sin(y)'), { x: 3, y: 0.5 }).gradient;
    expect(Object.keys(g)).toEqual(['x', 'y']);
    expect(Math.abs((g.x ?? NaN) - 6 * Math.sin(0.5))).toBeLessThanOrEqual(2 * EPS * 6);
    expect(Math.abs((g.y ?? NaN) - 9 * Math.cos(0.5))).toBeLessThanOrEqual(2 * EPS * 9);
  });

  test('nested exp, where finite differences lose digits, to 4 ulps', () => {
    const x = 1.5;
    const exact = Math.exp(Math.exp(Math.exp(x))) * Math.exp(Math.exp(x)) * Math.exp(x);
    const g = complexStep(parse('exp(exp(exp(x)))'), { x }).gradient;
    expect(Math.abs((g.x ?? NaN) - exact) / exact).toBeLessThanOrEqual(4 * EPS);
  });

  test('tanh far out: the tiny slope 4e-26 survives (1 - tanh² would round it to 0)', () => {
    const g = complexStep(tanh(sym('x')), { x: 30 }).gradient;
    const exact = 1 / Math.cosh(30) ** 2;
    expect(g.x).toBeGreaterThan(0);
    expect(Math.abs((g.x ?? NaN) - exact) / exact).toBeLessThanOrEqual(1e-14);
  });

  test('a zero derivative is exactly 0: no h² residue (x³ at 0 would give -1e-40)', () => {
    expect(complexStep(parse('x^3'), { x: 0 }).gradient).toEqual({ x: 0 });
    expect(complexStep(parse('x*x*x + y'), { x: 0, y: 1 }).gradient).toEqual({ x: 0, y: 1 });
  });

  test('a variable exponent: d/dy 2^y = 2^y ln 2', () => {
    const g = complexStep(parse('x^y'), { x: 2, y: 3 }).gradient;
    expect(g.x).toBeCloseTo(12, 13);
    expect(Math.abs((g.y ?? NaN) - 8 * Math.LN2)).toBeLessThanOrEqual(4 * EPS * 8);
  });

  test('relu and abs follow the sign of the argument; at the kink there is no derivative', () => {
    expect(complexStep(parse('relu(x)'), { x: 2 }).gradient).toEqual({ x: 1 });
    expect(complexStep(parse('relu(x)'), { x: -2 }).gradient).toEqual({ x: 0 });
    expect(complexStep(parse('relu(x)'), { x: 0 }).unresolved).toEqual({
      x: 'relu(x) is at its kink (argument 0)',
    });
    expect(complexStep(parse('abs(x)'), { x: -2 }).gradient).toEqual({ x: -1 });
  });

  test("step and sign in symbolic's derivatives are constants", () => {
    const d = diff(parse('x * relu(x)'), 'x'); // step(x)·x + relu(x)
    expect(complexStep(d, { x: 1.5 }).gradient).toEqual({ x: 2 });
    expect(complexStep(diff(parse('x * abs(x)'), 'x'), { x: -1.5 }).gradient).toEqual({ x: -2 });
  });

  test('where no step works the result says why instead of giving a number', () => {
    expect(complexStep(parse('log(x)'), { x: -1 })).toMatchObject({
      gradient: {},
      unresolved: { x: 'log(x) is not a real number here (NaN)' },
    });
    expect(complexStep(parse('sqrt(x) + y'), { x: 0, y: 2 })).toMatchObject({
      gradient: { y: 1 },
      unresolved: { x: 'sqrt(x) has an infinite slope here' },
    });
    expect(complexStep(parse('1/x'), { x: 0 }).unresolved).toEqual({ x: '1 / x has a pole here (Infinity)' });
    expect(complexStep(parse('abs(x)'), { x: 0 }).unresolved).toEqual({
      x: 'abs(x) is at its kink (argument 0)',
    });
  });

  test('the step is scaled to the point: tiny arguments give the true derivative (each wrong with h = 1e-20)', () => {
    const cases: [string, Record<string, number>, Record<string, number>][] = [
      ['sqrt(x)', { x: 1e-20 }, { x: 5e9 }],
      ['sqrt(x)', { x: 1e-300 }, { x: 5e149 }],
      ['1/x', { x: 1e-25 }, { x: -1e50 }],
      ['log(x)', { x: 1e-30 }, { x: 1e30 }],
      ['sqrt(x^2 + y^2)', { x: 3e-100, y: 4e-100 }, { x: 0.6, y: 0.8 }],
    ];
    for (const [text, point, exact] of cases) {
      const r = complexStep(parse(text), point);
      expect(r.unresolved, text).toEqual({});
      for (const [v, want] of Object.entries(exact)) {
        expect(Math.abs((r.gradient[v] ?? NaN) - want), `${text} ∂/∂${v}`).toBeLessThanOrEqual(
          4 * EPS * Math.abs(want),
        );
      }
    }
    expect(complexStep(parse('sqrt(x)'), { x: 1e-20 }).step).toEqual({ x: 1e-40 });
    // Below the normal range the step stops at the smallest normal double.
    expect(complexStep(parse('sqrt(x)'), { x: 1e-300 }).step).toEqual({ x: 2.2250738585072014e-308 });
  });

  test('at x = 0 the step is 1e-20 of the length scale; a step that moves a value shrinks until none does', () => {
    // (ih)·e^(ih) has the real part -h·sin h: under the square root next to 1e-60, h = 1e-20 would make it NaN.
    const r = complexStep(parse('sqrt(x * exp(x) + 1e-60)'), { x: 0 });
    expect(r.unresolved).toEqual({});
    expect(Math.abs((r.gradient.x ?? NaN) - 5e29)).toBeLessThanOrEqual(4 * EPS * 5e29);
    expect(r.step.x).toBeLessThan(1e-30);
    expect(complexStep(parse('sqrt(x^2 + y^2)'), { x: 0, y: 4e-100 }).gradient).toEqual({ x: 0, y: 1 });
    expect(complexStep(parse('x^3 + x'), { x: 0 })).toEqual({
      gradient: { x: 1 },
      unresolved: {},
      step: { x: 1e-20 },
    });
  });

  test("where h·f' would underflow the step grows: exp(x) at -700 (derivative 1e-304)", () => {
    const r = complexStep(parse('exp(x)'), { x: -700 });
    expect(Math.abs((r.gradient.x ?? NaN) - Math.exp(-700)) / Math.exp(-700)).toBeLessThan(1e-10);
    expect(r.step.x).toBe(1e-8);
    // x² at 2.7e-152 with h = 1e-20·|x| has h·2x = 1e-323, a subnormal with one bit: the derivative of sqrt(x²)
    // came out 0. The larger step keeps it.
    const sq = complexStep(parse('sqrt(x^2)'), { x: 2.7223123787726126e-152 });
    expect(Math.abs((sq.gradient.x ?? NaN) - 1)).toBeLessThan(1e-10);
  });

  test('the step is scaled to the length scale, not to |x|: exp(y) at y = 2.2e-308 changes on a scale of 1', () => {
    // With h = 1e-20·|y| = 2.2e-308, h·x·e^y = 5.6e-325 underflowed to 0 and ∂/∂y came out 0, unflagged.
    const r = complexStep(parse('x * exp(y)'), { x: 2.5e-17, y: 2.2e-308 });
    expect(r.unresolved).toEqual({});
    expect(Math.abs((r.gradient.y ?? NaN) - 2.5e-17)).toBeLessThanOrEqual(4 * EPS * 2.5e-17);
    expect(r.step.y).toBe(1e-20);
    // x has no length scale here (the expression is linear in it): the step is 1e-20·|x|.
    expect(r.gradient.x).toBe(1);
    expect(r.step.x).toBe(2.5e-37);
    // x·sin(y) at y = 1e-300 was unresolved (h·x·cos y a subnormal), cos(x) at 1e-300 too (h·sin x underflowed).
    // ∂/∂x = sin(y) = 1e-300 times a step of at most 1e-8·|x| is below the doubles: unresolved, not 0.
    const s = complexStep(parse('x * sin(y)'), { x: 1e-10, y: 1e-300 });
    expect(s.unresolved).toEqual({ x: 'the derivative times the step underflows' });
    expect(Math.abs((s.gradient.y ?? NaN) - 1e-10)).toBeLessThanOrEqual(4 * EPS * 1e-10);
    const c = complexStep(parse('cos(x)'), { x: 1e-300 });
    expect(c.unresolved).toEqual({});
    expect(Math.abs((c.gradient.x ?? NaN) + 1e-300)).toBeLessThanOrEqual(4 * EPS * 1e-300);
    // Next to a domain edge the length scale is the distance to it, as before: sqrt(1 + x) at x = -1 + 2^-40.
    const q = complexStep(parse('sqrt(1 + x)'), { x: -1 + 2 ** -40 });
    expect(Math.abs((q.gradient.x ?? NaN) - 2 ** 19)).toBeLessThanOrEqual(4 * EPS * 2 ** 19);
    expect(q.step.x).toBeLessThanOrEqual(1e-20 * 2 ** -40);
  });

  test("where h·f' underflows at every step the partial is unresolved, never a 0", () => {
    // x·y at 1e-300: h ≥ 2.2e-308 times ∂/∂x = 1e-300 is below the doubles, at the step for x and at the larger one.
    for (const text of ['x * y', '1 + x * y']) {
      const r = complexStep(parse(text), { x: 1e-300, y: 1e-300 });
      expect(r.gradient, text).toEqual({});
      expect(r.unresolved, text).toEqual({
        x: 'the derivative times the step underflows',
        y: 'the derivative times the step underflows',
      });
    }
  });

  test('a kink exactly at the point is unresolved, whether or not the expression has a derivative there', () => {
    // Whether one exists is decided from the one-sided slopes (compareGradients), not from one step.
    for (const [text, node] of [
      ['abs(log(x + 1))', 'abs(log(x + 1))'],
      ['abs(log(x + 1))^2', 'abs(log(x + 1))'],
      ['x * relu(x)', 'relu(x)'],
    ] as const) {
      const r = complexStep(parse(text), { x: 0 });
      expect(r.gradient, text).toEqual({});
      expect(r.unresolved, text).toEqual({ x: `${node} is at its kink (argument 0)` });
    }
    // Off the kink the sign of the argument picks the branch.
    expect(complexStep(parse('abs(log(x + 1))'), { x: -0.5 }).gradient.x).toBeCloseTo(-2, 14);
  });

  test('a point without a variable is a typed error naming it', () => {
    expect(() => complexStep(parse('x * y'), { x: 1 })).toThrow(MissingVariableError);
    expect(() => complexStep(parse('x * y'), { x: 1 })).toThrow('no value for variable "y" in the point');
  });
});
