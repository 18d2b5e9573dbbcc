import { describe, expect, test } from 'vitest';
import {
  compile,
  compileGradient,
  diff,
  diffRules,
  evaluate,
  FN2_NAMES,
  FN_NAMES,
  hessian,
  max,
  min,
  relu,
  format,
  gradient,
  parse,
  sigmoid,
  softplus,
  sym,
  tan,
  toTex,
  add,
  type Expr,
} from '@crossgrad/symbolic';
import { centralDifference } from './support.js';

const x = sym('x');

describe('the function table: one entry per function', () => {
  test('every function has a named chain rule, and the rule table has nothing else', () => {
    for (const fn of FN_NAMES) {
      expect(diffRules[fn].name).toBe(`${fn} rule`);
      expect(diffRules[fn].formula.startsWith(`${fn}(u)' = `)).toBe(true);
    }
    for (const fn of FN2_NAMES) {
      expect(diffRules[fn].name).toBe(`${fn} rule`);
      expect(diffRules[fn].formula.startsWith(`${fn}(u, v)' = `)).toBe(true);
    }
    expect(Object.keys(diffRules).sort()).toEqual(
      [...FN_NAMES, ...FN2_NAMES, 'sum', 'product', 'power', 'generalPower'].sort(),
    );
  });

  // An argument inside each function's domain at x = -1.3, 0.4 and 2.
  const argumentOf = (fn: string): string =>
    fn === 'asin' || fn === 'acos' || fn === 'atanh' ? 'x / 4' : fn === 'acosh' ? 'x^2 + 1.5' : 'x^2 + 0.5';

  test('every function parses, prints, evaluates, compiles and differentiates alike', () => {
    for (const fn of FN_NAMES) {
      const e = parse(`${fn}(${argumentOf(fn)})`);
      expect(format(e)).toBe(`${fn}(${format(parse(argumentOf(fn)))})`);
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

  test('every two-argument function parses, prints, evaluates, compiles and differentiates alike', () => {
    for (const fn of FN2_NAMES) {
      const e = parse(`${fn}(x^2 + 0.5, 2 - x * y)`);
      expect(format(e)).toBe(`${fn}(x^2 + 0.5, 2 - x * y)`);
      expect(parse(format(e))).toBe(e);
      for (const [u, v] of [
        [-1.3, 0.7],
        [0.4, -2],
        [2, 1.5],
      ]) {
        const at = { x: u, y: v };
        expect(Object.is(compile(e, ['x', 'y'])(u, v), evaluate(e, at))).toBe(true);
        const slopes = ['x', 'y'].map((name) => evaluate(diff(e, name), at));
        const compiled = compileGradient(e, ['x', 'y'])(u, v).gradient;
        const grad = gradient(e);
        slopes.forEach((slope, i) => {
          expect(compiled[i]).toBeCloseTo(slope, 12);
          expect(evaluate(grad.get(i === 0 ? 'x' : 'y')!, at)).toBeCloseTo(slope, 12);
        });
        expect(slopes[0]).toBeCloseTo(
          centralDifference((w) => evaluate(e, { x: w, y: v }), u),
          6,
        );
        expect(slopes[1]).toBeCloseTo(
          centralDifference((w) => evaluate(e, { x: u, y: w }), v),
          6,
        );
      }
    }
  });
});

describe('inverse, hyperbolic and two-argument functions', () => {
  test('derivatives in print, and TeX', () => {
    // 1 - x² and x² - 1 as products: exact to rounding next to the ends of the domains.
    expect(format(diff(parse('asin(x)'), 'x'))).toBe('1 / sqrt((x + 1) * (1 - x))');
    expect(format(diff(parse('acos(x)'), 'x'))).toBe('-1 / sqrt((x + 1) * (1 - x))');
    expect(format(diff(parse('atan(x)'), 'x'))).toBe('1 / (x^2 + 1)');
    expect(format(diff(parse('sinh(x)'), 'x'))).toBe('cosh(x)');
    expect(format(diff(parse('cosh(x)'), 'x'))).toBe('sinh(x)');
    expect(format(diff(parse('asinh(x)'), 'x'))).toBe('1 / sqrt(x^2 + 1)');
    expect(format(diff(parse('acosh(x)'), 'x'))).toBe('1 / sqrt(x - 1) / sqrt(x + 1)');
    expect(format(diff(parse('atanh(x)'), 'x'))).toBe('1 / ((x + 1) * (1 - x))');
    // Next to the end of the domain the product keeps the digits 1 - x² would lose.
    const near = 1 - 2 ** -30;
    expect(evaluate(diff(parse('asin(x)'), 'x'), { x: near })).toBe(1 / Math.sqrt((1 - near) * (1 + near)));
    expect(evaluate(diff(parse('acosh(x)'), 'x'), { x: 1 + 2 ** -30 })).toBeCloseTo(
      1 / Math.sqrt(2 ** -30 * (2 + 2 ** -30)),
      6,
    );
    expect(format(diff(parse('atan2(y, x)'), 'x'))).toBe('-y / (x^2 + y^2)');
    expect(format(diff(parse('atan2(y, x)'), 'y'))).toBe('x / (x^2 + y^2)');
    expect(format(diff(parse('max(x, y)'), 'y'))).toBe('1 - step(x - y)');
    expect(format(diff(parse('min(x, y)'), 'x'))).toBe('step(y - x)');
    expect(toTex(parse('asin(x) + atanh(y)'))).toBe(
      '\\arcsin\\left(x\\right) + \\operatorname{artanh}\\left(y\\right)',
    );
    expect(toTex(parse('atan2(y, x)'))).toBe('\\operatorname{atan2}\\left(y, x\\right)');
    expect(toTex(parse('max(x, 0)'))).toBe('\\max\\left(x, 0\\right)');
  });

  test('min and max at a tie: the second argument gets the derivative, so max(x, 0) is relu(x) at 0 too', () => {
    const f = compileGradient(max(x, sym('y')), ['x', 'y']);
    expect(f(1, 1).gradient).toEqual([0, 1]);
    expect(f(2, 1).gradient).toEqual([1, 0]);
    expect(compileGradient(min(x, sym('y')), ['x', 'y'])(1, 1).gradient).toEqual([0, 1]);
    for (const at of [-1, 0, 1]) {
      expect(evaluate(diff(max(x, 0), 'x'), { x: at })).toBe(evaluate(diff(relu(x), 'x'), { x: at }));
    }
    // The builder keeps the order it was given, and max(x, x) is x.
    expect(format(max(0, x))).toBe('max(0, x)');
    expect(max(x, x)).toBe(x);
    expect(min(2, 3)).toBe(parse('2'));
  });

  test('edges: IEEE values where the slope is infinite or there is no derivative', () => {
    const at = (src: string, v: number) => evaluate(diff(parse(src), 'x'), { x: v });
    expect(at('asin(x)', 1)).toBe(Infinity);
    expect(at('acos(x)', -1)).toBe(-Infinity);
    expect(at('acosh(x)', 1)).toBe(Infinity);
    expect(at('atanh(x)', 1)).toBe(Infinity);
    expect(at('asin(x)', 2)).toBeNaN();
    const g = compileGradient(parse('atan2(y, x)'), ['x', 'y'])(0, 0);
    expect(g.value).toBe(0);
    expect(g.gradient).toEqual([NaN, NaN]);
  });

  test('the hessian of atan2 is symmetric and matches its known form', () => {
    const h = hessian(parse('atan2(y, x)'), ['x', 'y']);
    const at = { x: 0.6, y: -1.1 };
    const r2 = 0.6 ** 2 + 1.1 ** 2;
    // d²/dx dy atan2(y, x) = (y² - x²) / (x² + y²)².
    expect(evaluate(h.get('x')!.get('y')!, at)).toBeCloseTo((1.1 ** 2 - 0.6 ** 2) / r2 ** 2, 14);
    expect(evaluate(h.get('y')!.get('x')!, at)).toBeCloseTo(evaluate(h.get('x')!.get('y')!, at), 14);
  });

  test('past the tape threshold (a large DAG), each partial is that of its piece compiled alone, bit for bit', () => {
    const piece = (i: number): Expr => {
      const [u, v] = [sym(`x${i}`), sym(`y${i}`)];
      return parse(
        `atan2(${v}, ${u}) * max(${u}, ${v}^2) + min(${u}, ${v}) * acosh(${u}^2 + 1.5) + asin(${v} / 3)`,
      );
    };
    const n = 600;
    const list = Array.from({ length: n }, (_, i) => piece(i));
    const vars = list.flatMap((_, i) => [`x${i}`, `y${i}`]);
    const e = add(...list);
    const f = compileGradient(e, vars);
    const point = vars.map((_, k) => Math.sin(k + 1) * 1.4);
    point[0] = point[1] = 0.5; // a tie in piece 0
    const { value, gradient: g } = f(...point);
    expect(Object.is(value, evaluate(e, Object.fromEntries(vars.map((v, k) => [v, point[k]]))))).toBe(true);
    for (let i = 0; i < n; i += 23) {
      const alone = compileGradient(list[i]!, [vars[2 * i]!, vars[2 * i + 1]!]);
      const r = alone(point[2 * i]!, point[2 * i + 1]!);
      expect(Object.is(g[2 * i], r.gradient[0]), `d/d${vars[2 * i]}`).toBe(true);
      expect(Object.is(g[2 * i + 1], r.gradient[1]), `d/d${vars[2 * i + 1]}`).toBe(true);
    }
  }, 120_000);
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
