import { describe, expect, test } from 'vitest';
import {
  compile,
  compileGradient,
  diff,
  diffRules,
  evaluate,
  FN_NAMES,
  format,
  gradient,
  parse,
  sigmoid,
  softplus,
  sym,
  tan,
  toTex,
} from '@crossgrad/symbolic';
import { centralDifference } from './support.js';

const x = sym('x');

describe('the function table: one entry per function', () => {
  test('every function has a named chain rule, and the rule table has nothing else', () => {
    for (const fn of FN_NAMES) {
      expect(diffRules[fn].name).toBe(`${fn} rule`);
      expect(diffRules[fn].formula.startsWith(`${fn}(u)' = `)).toBe(true);
    }
    expect(Object.keys(diffRules).sort()).toEqual(
      [...FN_NAMES, 'sum', 'product', 'power', 'generalPower'].sort(),
    );
  });

  test('every function parses, prints, evaluates, compiles and differentiates alike', () => {
    for (const fn of FN_NAMES) {
      const e = parse(`${fn}(x^2 + 0.5)`);
      expect(format(e)).toBe(`${fn}(x^2 + 0.5)`);
      expect(parse(format(e))).toBe(e);
      for (const at of [-1.3, 0.4, 2]) {
        expect(Object.is(compile(e, ['x'])(at), evaluate(e, { x: at }))).toBe(true);
        const slope = evaluate(diff(e, 'x'), { x: at });
        expect(compileGradient(e, ['x'])(at).gradient[0]).toBeCloseTo(slope, 12);
        expect(evaluate(gradient(e).get('x')!, { x: at })).toBeCloseTo(slope, 12);
        // step and sign are flat here (x^2 + 0.5 > 0); the rest against a central difference.
        expect(slope).toBeCloseTo(
          centralDifference((v) => evaluate(e, { x: v }), at),
          fn === 'tan' ? 4 : 6,
        );
      }
    }
  });
});

describe('tan and softplus', () => {
  test('tan: value, derivative 1 + tan(x)^2, TeX', () => {
    expect(evaluate(tan(x), { x: 0.3 })).toBe(Math.tan(0.3));
    expect(diff(tan(x), 'x')).toBe(parse('1 + tan(x)^2'));
    expect(format(diff(parse('tan(2x)'), 'x'))).toBe('2 * (tan(2 * x)^2 + 1)');
    expect(evaluate(diff(tan(x), 'x'), { x: 0.3 })).toBeCloseTo(1 / Math.cos(0.3) ** 2, 14);
    expect(toTex(tan(x))).toBe('\\tan\\left(x\\right)');
  });

  test('softplus: log(1 + e^x) computed stably, derivative sigmoid(x), TeX', () => {
    const f = (v: number) => evaluate(softplus(x), { x: v });
    expect(f(0)).toBe(Math.LN2);
    expect(f(1)).toBeCloseTo(Math.log(1 + Math.E), 15);
    expect(f(-1)).toBeCloseTo(Math.log(1 + Math.exp(-1)), 15);
    // Where log(1 + exp(x)) overflows or rounds to 0, the stable form does not.
    expect(f(1000)).toBe(1000);
    expect(f(-800)).toBe(0);
    expect(f(-40)).toBeCloseTo(Math.exp(-40), 30);
    expect(f(-40)).toBeGreaterThan(0);
    expect(f(NaN)).toBeNaN();
    expect(f(-Infinity)).toBe(0);
    expect(f(Infinity)).toBe(Infinity);
    expect(diff(softplus(x), 'x')).toBe(sigmoid(x));
    expect(compile(softplus(x), ['x'])(-40)).toBe(f(-40));
    expect(toTex(softplus(x))).toBe('\\operatorname{softplus}\\left(x\\right)');
  });
});

describe('powers are real', () => {
  test('a fractional power of a negative number is NaN; the real cube root is written out', () => {
    expect(evaluate(parse('x^(1/3)'), { x: -8 })).toBeNaN();
    expect(compile(parse('x^(1/3)'), ['x'])(-8)).toBeNaN();
    expect(evaluate(parse('x^(1/3)'), { x: 8 })).toBe(2);
    expect(evaluate(parse('sign(x) * abs(x)^(1/3)'), { x: -8 })).toBe(-2);
    expect(evaluate(parse('x^3'), { x: -2 })).toBe(-8);
  });
});

describe('expressions print themselves', () => {
  test('String(e) and template literals give format(e)', () => {
    const e = parse('x^x');
    expect(String(e)).toBe('x^x');
    expect(`d/dx ${e} = ${diff(e, 'x')}`).toBe('d/dx x^x = x^x * (logz(x) + 1)');
    expect(Object.keys(e)).toEqual(['kind', 'id', 'base', 'exponent']);
  });
});
