import { describe, expect, test } from 'vitest';
import { diff, parse, sym, tanh } from '@crossgrad/symbolic';
import { complexStep, MissingVariableError } from '@crossgrad/verify';

const EPS = Number.EPSILON;

describe('complexStep', () => {
  test('known gradients, exact to a few ulps', () => {
    const g = complexStep(parse('x^2 * sin(y)'), { x: 3, y: 0.5 });
    expect(Object.keys(g)).toEqual(['x', 'y']);
    expect(Math.abs(g.x! - 6 * Math.sin(0.5))).toBeLessThanOrEqual(2 * EPS * 6);
    expect(Math.abs(g.y! - 9 * Math.cos(0.5))).toBeLessThanOrEqual(2 * EPS * 9);
  });

  test('nested exp, where finite differences lose digits, to 4 ulps', () => {
    const x = 1.5;
    const exact = Math.exp(Math.exp(Math.exp(x))) * Math.exp(Math.exp(x)) * Math.exp(x);
    const g = complexStep(parse('exp(exp(exp(x)))'), { x });
    expect(Math.abs(g.x! - exact) / exact).toBeLessThanOrEqual(4 * EPS);
  });

  test('tanh far out: the tiny slope 4e-26 survives (1 - tanh² would round it to 0)', () => {
    const g = complexStep(tanh(sym('x')), { x: 30 });
    const exact = 1 / Math.cosh(30) ** 2;
    expect(g.x).toBeGreaterThan(0);
    expect(Math.abs(g.x! - exact) / exact).toBeLessThanOrEqual(1e-14);
  });

  test('a zero derivative is exactly 0: no h² residue (x³ at 0 would give -1e-40)', () => {
    expect(complexStep(parse('x^3'), { x: 0 })).toEqual({ x: 0 });
    expect(complexStep(parse('x*x*x + y'), { x: 0, y: 1 })).toEqual({ x: 0, y: 1 });
  });

  test('a variable exponent: d/dy 2^y = 2^y ln 2', () => {
    const g = complexStep(parse('x^y'), { x: 2, y: 3 });
    expect(g.x).toBeCloseTo(12, 13);
    expect(Math.abs(g.y! - 8 * Math.LN2)).toBeLessThanOrEqual(4 * EPS * 8);
  });

  test('relu and abs follow the sign of the argument, 0 at the kink, as micrograd and PyTorch', () => {
    expect(complexStep(parse('relu(x)'), { x: 2 })).toEqual({ x: 1 });
    expect(complexStep(parse('relu(x)'), { x: -2 })).toEqual({ x: 0 });
    expect(complexStep(parse('relu(x)'), { x: 0 })).toEqual({ x: 0 });
    expect(complexStep(parse('abs(x)'), { x: -2 })).toEqual({ x: -1 });
    expect(complexStep(parse('abs(x)'), { x: 0 })).toEqual({ x: 0 });
  });

  test("step and sign in symbolic's derivatives are constants", () => {
    const d = diff(parse('x * relu(x)'), 'x'); // step(x)·x + relu(x)
    expect(complexStep(d, { x: 1.5 })).toEqual({ x: 2 });
    expect(complexStep(diff(parse('x * abs(x)'), 'x'), { x: -1.5 })).toEqual({ x: -2 });
  });

  test('outside the domain the slope is NaN; at a pole it is infinite', () => {
    expect(complexStep(parse('log(x)'), { x: -1 }).x).toBeNaN();
    expect(complexStep(parse('sqrt(x)'), { x: 0 }).x).toBe(Infinity);
    expect(complexStep(parse('1/x'), { x: 0 }).x).toBe(-Infinity);
  });

  test('a point without a variable is a typed error naming it', () => {
    expect(() => complexStep(parse('x * y'), { x: 1 })).toThrow(MissingVariableError);
    expect(() => complexStep(parse('x * y'), { x: 1 })).toThrow('no value for variable "y" in the point');
  });
});
