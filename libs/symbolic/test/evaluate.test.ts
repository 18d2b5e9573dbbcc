import { describe, expect, test } from 'vitest';
import {
  ArgumentError,
  type Call,
  compile,
  compileGradient,
  compileRows,
  cos,
  diff,
  diffRules,
  evaluate,
  expandTanh,
  type Expr,
  format,
  gradient,
  mul,
  parse,
  SymbolicError,
  sym,
  UnknownVariableError,
  variables,
} from '@crossgrad/symbolic';
import { inverseSquare, inverseSquareSource } from '../src/scalar.js';
import { random, randomExpr, TAME_NUMBERS } from './support.js';

describe('evaluate', () => {
  test('IEEE arithmetic: x/0, NaN outside a domain, NaN in gives NaN out', () => {
    expect(evaluate(parse('1/x'), { x: 0 })).toBe(Infinity);
    expect(evaluate(parse('-1/x'), { x: 0 })).toBe(-Infinity);
    expect(evaluate(parse('log(x)'), { x: -1 })).toBeNaN();
    expect(evaluate(parse('sqrt(x)'), { x: -1 })).toBeNaN();
    expect(evaluate(parse('0 * x'), { x: Infinity })).toBeNaN();
    expect(evaluate(parse('relu(x) + abs(x)'), { x: NaN })).toBeNaN();
    expect(evaluate(parse('sigmoid(x)'), { x: -1000 })).toBe(0);
    expect(evaluate(parse('relu(x)'), { x: -2 })).toBe(0);
    expect(evaluate(parse('step(x) + 2 sign(x)'), { x: 0 })).toBe(0);
    expect(evaluate(parse('step(x) + 2 sign(x)'), { x: -3 })).toBe(-2);
    expect(evaluate(parse('pi * e'), {})).toBe(Math.PI * Math.E);
  });

  test("x^-1 is 1/x exactly, x^-2 is 1/x² correctly rounded (V8's Math.pow is an ulp off here), in every path", () => {
    // The double nearest 1/a² (checked by exact arithmetic in autograd's tests and against autograd in verify's).
    const cases: [number, number][] = [
      [-1.7288170196519247e-8, 3345815133754005.5],
      [3, 0.1111111111111111],
      [0, Infinity],
      [-0, Infinity],
      [Infinity, 0],
      [1e-200, Infinity],
    ];
    const square = parse('x^-2');
    const rows = compileRows(parse('(p * x)^-2'), ['p'], ['x']);
    for (const [a, want] of cases) {
      const out = new Float64Array(1);
      rows(Float64Array.of(1), [Float64Array.of(a)], out);
      expect([evaluate(square, { x: a }), compile(square, ['x'])(a), out[0]], `${a}`).toEqual([
        want,
        want,
        want,
      ]);
    }
    expect(Math.pow(-1.7288170196519247e-8, -2)).not.toBe(3345815133754005.5);
    expect(evaluate(parse('x^-1'), { x: 3 })).toBe(1 / 3);
    expect(evaluate(parse('x^-2'), { x: NaN })).toBeNaN();
  });

  test('the generated loops write x^-2 in (inverseSquareSource): the bits of inverseSquare everywhere', () => {
    const written = new Function('a', `let y;${inverseSquareSource('y', 'a')}return y;`) as (
      a: number,
    ) => number;
    const args = [
      0,
      -0,
      3,
      -1.7288170196519247e-8,
      1e-145,
      1e-146,
      1e145,
      1e146,
      5e-324,
      1e308,
      Infinity,
      -Infinity,
      NaN,
    ];
    const next = random(20_261_207);
    for (let k = 0; k < 20_000; k++)
      args.push((next() < 0.5 ? -1 : 1) * (1 + next()) * 2 ** Math.floor(next() * 600 - 300));
    const differ = args.filter((a) => !Object.is(written(a), inverseSquare(a)));
    expect(differ).toEqual([]);
  });

  test('a missing variable is an UnknownVariableError naming it', () => {
    const run = () => evaluate(parse('x + y'), { x: 1 });
    expect(run).toThrow(UnknownVariableError);
    expect(run).toThrow("no value for the variable 'y' (the scope has x)");
    try {
      run();
    } catch (err) {
      expect((err as UnknownVariableError).variable).toBe('y');
      expect((err as UnknownVariableError).name).toBe('UnknownVariableError');
      expect(String(err)).toBe("UnknownVariableError: no value for the variable 'y' (the scope has x)");
    }
    expect(() => evaluate(parse('x'), {})).toThrow("no value for the variable 'x' (the scope is empty)");
    // Only own properties count: 'constructor' is on every object's prototype.
    expect(() => evaluate(sym('constructor'), {})).toThrow(UnknownVariableError);
  });

  test('a value that is not a number, or a scope that is not an object, is a SymbolicError', () => {
    expect(() => evaluate(parse('x'), { x: '2' as unknown as number })).toThrow(
      new SymbolicError(`the value of 'x' must be a number, got the string "2"`),
    );
    expect(() => evaluate(parse('x'), null as unknown as Record<string, number>)).toThrow(SymbolicError);
  });
});

describe('compile and compileGradient', () => {
  test('compile computes what evaluate computes, bit for bit', () => {
    const next = random(7);
    for (let i = 0; i < 300; i++) {
      const e = randomExpr(next, 4);
      const vars = variables(e);
      const f = compile(e, vars);
      const point = vars.map(() => 4 * next() - 2);
      const scope = Object.fromEntries(vars.map((v, j) => [v, point[j]]));
      expect(Object.is(f(...point), evaluate(e, scope))).toBe(true);
    }
  });

  test('compileGradient agrees with evaluating the symbolic gradient', () => {
    const next = random(11);
    let compared = 0;
    for (let i = 0; i < 1000; i++) {
      const e = randomExpr(next, 4, TAME_NUMBERS);
      const vars = variables(e);
      if (vars.length === 0) continue;
      const point = vars.map(() => 0.25 + 2 * next());
      const scope = Object.fromEntries(vars.map((v, j) => [v, point[j]]));
      const { value, gradient: g } = compileGradient(e, vars)(...point);
      expect(Object.is(value, evaluate(e, scope))).toBe(true);
      const symbolic = gradient(e, vars);
      vars.forEach((v, j) => {
        const expected = evaluate(symbolic.get(v)!, scope);
        // Where the formula is not finite, compileGradient may differ on purpose (PyTorch's pow conventions).
        if (!Number.isFinite(expected)) return;
        expect(Math.abs(g[j] - expected), `${format(e)}: d/d${v}`).toBeLessThanOrEqual(
          1e-11 * (1 + Math.abs(expected)),
        );
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(1000);
  });

  test('the expanded neuron: value and gradient in one call', () => {
    const e = expandTanh(parse('tanh(x1*w1 + x2*w2 + b)'));
    const f = compileGradient(e, ['x1', 'w1', 'x2', 'w2', 'b']);
    const { value, gradient: g } = f(2, -3, 0, 1, 6.8813735870195432);
    expect(value).toBeCloseTo(Math.SQRT1_2, 15);
    [-1.5, 1, 0.5, 0, 0.5].forEach((expected, i) => expect(g[i]).toBeCloseTo(expected, 14));
  });

  test('at the edges of pow, compileGradient gives what diff and gradient give: the rule table decides', () => {
    const e = parse('x^y');
    const f = compileGradient(e, ['x', 'y']);
    const g = gradient(e);
    for (const [px, py] of [
      [0, 0],
      [0, 2],
      [0, -1],
      [2, 3],
      [-2, 0.5],
    ]) {
      const compiled = f(px, py).gradient;
      (['x', 'y'] as const).forEach((v, j) => {
        const byDiff = evaluate(diff(e, v), { x: px, y: py });
        expect(Object.is(evaluate(g.get(v)!, { x: px, y: py }), byDiff), `d/d${v} at (${px}, ${py})`).toBe(
          true,
        );
        expect(Object.is(compiled[j], byDiff), `compiled d/d${v} at (${px}, ${py})`).toBe(true);
      });
    }
    // The formula, evaluated: y·x^(y-1) is 0 · 0^-1 = NaN at x = y = 0; x^y · logz(x) is 0 · 0 = 0 at 0 < y (the
    // limit, as autograd gives; with log it was 0 · -∞ = NaN), and ∞ · 0 = NaN at the pole y < 0.
    expect(f(0, 0).gradient[0]).toBeNaN();
    expect(f(0, 2).gradient[1]).toBe(0);
    expect(f(0, -1).gradient[1]).toBeNaN();
    expect(f(2, 3).gradient[0]).toBeCloseTo(12, 14);
    expect(f(2, 3).gradient[1]).toBeCloseTo(8 * Math.LN2, 14);
    // A numeric exponent needs no special case: d/dx x^2 at 0 is 2·0.
    expect(compileGradient(parse('x^2'), ['x'])(0).gradient).toEqual([0]);
  });

  test('gradient and compileGradient take a rule table as diff does', () => {
    const rules = {
      sin: { ...diffRules.sin, derive: (n: Call, d: readonly Expr[]) => mul(-1, cos(n.arg), d[0]) },
    };
    const e = parse('sin(x * y)');
    expect(gradient(e, ['x'], { rules }).get('x')).toBe(diff(e, 'x', { rules }));
    expect(format(diff(e, 'x', { rules }))).toBe('-y * cos(x * y)');
    const { gradient: g } = compileGradient(e, ['x', 'y'], { rules })(0.5, 2);
    expect(g[0]).toBeCloseTo(-2 * Math.cos(1), 14);
    expect(g[1]).toBeCloseTo(-0.5 * Math.cos(1), 14);
    expect(() => gradient(e, ['x'], { rules: 3 as never })).toThrow(
      new SymbolicError('gradient: rules must be an object of named rules, got number 3'),
    );
  });

  test('relu and abs have derivative 0 at 0; products with a zero factor stay exact (no division)', () => {
    expect(compileGradient(parse('relu(x) + abs(y)'), ['x', 'y'])(0, 0).gradient).toEqual([0, 0]);
    const f = compileGradient(parse('a*b*c*d*f'), ['a', 'b', 'c', 'd', 'f']);
    expect(f(0, 2, 3, 4, 5).gradient).toEqual([120, 0, 0, 0, 0]);
    expect(f(1, 2, 3, 4, 5).gradient).toEqual([120, 60, 40, 30, 24]);
  });

  test('arguments are checked: missing variables at compile time, arity at call time', () => {
    expect(() => compile(parse('x + y'), ['x'])).toThrow(UnknownVariableError);
    expect(() => compile(parse('x + y'), ['x'])).toThrow(
      "compile: the expression uses 'y', which is not in vars [x]",
    );
    expect(() => compile(parse('x + y'), ['x', 'y'])(1)).toThrow(
      new ArgumentError('y', 'compile: the function takes 2 arguments (x, y), got 1: no value for y'),
    );
    expect(() => compileGradient(parse('x'), ['x', 'x'])).toThrow(
      new SymbolicError("compileGradient: the variable 'x' is listed twice"),
    );
    expect(() => compile('x' as unknown as Expr, ['x'])).toThrow(SymbolicError);
    // Extra variables are allowed; their partials are 0.
    expect(compileGradient(parse('x^2'), ['q', 'x'])(5, 3)).toEqual({ value: 9, gradient: [0, 6] });
    expect(compile(parse('3'), [])()).toBe(3);
  });
});
