import { describe, expect, test } from 'vitest';
import {
  add,
  cos,
  diff,
  div,
  exp,
  expandTanh,
  type Expr,
  format,
  formatNumber,
  mul,
  neg,
  num,
  parse,
  pow,
  sin,
  size,
  sub,
  sym,
  SymbolicError,
  tanh,
  toTex,
} from '@crossgrad/symbolic';
import { AWKWARD_NUMBERS, random, randomExpr } from './support.js';

const [x, y] = [sym('x'), sym('y')];

describe('format: readable infix that parses back to the same node', () => {
  test.each([
    ['x - y', 'x - y'],
    ['1 - x', '1 - x'],
    ['-x - y', '-x - y'],
    ['x * (-1) * y + 2 / x', '2 / x - x * y'],
    ['x / y / z', 'x / y / z'],
    ['x / (y * z)', 'x / (y * z)'],
    ['x / 3', 'x / 3'],
    ['-x / 2', '-x / 2'],
    ['0.5 / x', '0.5 / x'],
    ['1 / x^3', '1 / x^3'],
    ['(x + 1)^-2', '1 / (x + 1)^2'],
    ['x^-2.5', 'x^-2.5'],
    ['2 * (x + 1)', '2 * (x + 1)'],
    ['-(x + 1)', '-(x + 1)'],
    ['x - (y + z)', 'x - (y + z)'],
    ['(-2)^x', '(-2)^x'],
    ['(-x)^2', '(-x)^2'],
    ['(x^2)^0.5', '(x^2)^0.5'],
    ['x^(y + 1)', 'x^(y + 1)'],
    ['x^y^z', 'x^(y^z)'],
    ['x^(-y)', 'x^(-y)'],
    ['(2x)^3', '(2 * x)^3'],
    ['e^(2*n)', 'exp(2 * n)'],
    ['e * x + pi', 'e * x + pi'],
    ['sin(x)^2 + cos(x)^2', 'cos(x)^2 + sin(x)^2'],
    ['log(x, 10)', 'log(x) / log(10)'],
    ['sigmoid(x) * (1 - sigmoid(x))', 'sigmoid(x) * (1 - sigmoid(x))'],
  ])('%s → %s', (src, printed) => {
    const e = parse(src);
    expect(format(e)).toBe(printed);
    expect(parse(printed)).toBe(e);
  });

  test('numbers print in the shortest form that reads back to the same double', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatNumber(1e21)).toBe('1e+21');
    expect(formatNumber(-0)).toBe('-0');
    expect(formatNumber(Math.E)).toBe('e');
    expect(formatNumber(-Math.PI)).toBe('-pi');
    expect(formatNumber(-Infinity)).toBe('-Infinity');
    for (const v of AWKWARD_NUMBERS) {
      expect(parse(formatNumber(v))).toBe(num(v));
      expect(parse(format(mul(v, x)))).toBe(mul(v, x));
      expect(parse(format(add(x, v)))).toBe(add(x, v));
      expect(parse(format(pow(x, v)))).toBe(pow(x, v));
      expect(parse(format(pow(v, x)))).toBe(pow(v, x));
    }
  });

  test.each([1, 2, 3])('parse(format(e)) === e for 1,500 random expressions (seed %i)', (seed) => {
    const next = random(seed);
    for (let i = 0; i < 1500; i++) {
      const e = randomExpr(next, 4);
      const printed = format(e);
      expect(parse(printed), printed).toBe(e);
    }
  });

  test('round trip of derivatives', () => {
    const f = parse('tanh(x1*w1 + x2*w2 + b) * sqrt(x1^2 + 1) / (1 + exp(-x2))');
    for (const v of ['x1', 'x2', 'w1', 'b']) {
      const d = diff(f, v);
      expect(parse(format(d))).toBe(d);
    }
  });

  test('a bad argument is a SymbolicError', () => {
    expect(() => format('x' as unknown as Expr)).toThrow(
      new SymbolicError('format: expected an Expr, got the string "x"'),
    );
  });
});

describe('format with { cse: true }', () => {
  test('prints each shared subexpression once, as numbered temporaries', () => {
    const e = expandTanh(parse('tanh(n)'));
    expect(format(e, { cse: true })).toBe('t1 = exp(2 * n)\n(t1 - 1) / (t1 + 1)');
    // Small shared pieces (x^2, -x) stay inline; nothing shared means no temporaries.
    expect(format(parse('x^2 + sin(x^2)'), { cse: true })).toBe('x^2 + sin(x^2)');
  });

  test('temporaries avoid the names of variables', () => {
    const e = expandTanh(tanh(add(sym('t1'), sym('t2'))));
    expect(format(e, { cse: true })).toBe('_t1 = exp(2 * (t1 + t2))\n(_t1 - 1) / (_t1 + 1)');
  });

  test('a DAG standing for a tree of 2^200 nodes prints with cse, and fails clearly without', () => {
    let e: Expr = x;
    for (let i = 0; i < 200; i++) e = add(sin(e), cos(e));
    // tree(e_i) = 2·tree(e_(i-1)) + 3, so 2^202 - 3 (a float here: the count is exact only below 2^53).
    const { dag, tree } = size(e);
    expect(dag).toBe(601);
    expect(tree / 2 ** 202).toBeCloseTo(1, 12);
    const lines = format(e, { cse: true }).split('\n');
    expect(lines.length).toBe(200);
    expect(lines[0]).toBe('t1 = cos(x) + sin(x)');
    expect(lines[1]).toBe('t2 = cos(t1) + sin(t1)');
    expect(lines[199]).toBe('cos(t199) + sin(t199)');
    expect(() => format(e)).toThrow(SymbolicError);
    expect(() => format(e)).toThrow(/longest string JavaScript allows .*format\(e, \{ cse: true \}\)/);
  });
});

describe('toTex', () => {
  test.each([
    [
      '(exp(2*n) - 1) / (exp(2*n) + 1)',
      '\\frac{\\exp\\left(2 \\cdot n\\right) - 1}{\\exp\\left(2 \\cdot n\\right) + 1}',
    ],
    ['x1^2 * w1', 'w_{1} \\cdot x_{1}^{2}'],
    ['-2 * alpha / sqrt(x)', '-\\frac{2 \\cdot \\alpha}{\\sqrt{x}}'],
    ['x / 3 - abs(y)', '\\frac{x}{3} - \\left|y\\right|'],
    ['sigmoid(x) + relu(y) + pi', '\\operatorname{relu}\\left(y\\right) + \\sigma\\left(x\\right) + \\pi'],
    ['(x + 1)^-2', '\\frac{1}{\\left(x + 1\\right)^{2}}'],
    ['rate * 1e-7', '1 \\cdot 10^{-7} \\cdot \\mathrm{rate}'],
  ])('%s', (src, tex) => {
    expect(toTex(parse(src))).toBe(tex);
  });

  test('builds on the same canonical reading as format', () => {
    expect(toTex(sub(x, div(neg(y), 2)))).toBe('x + \\frac{y}{2}');
    expect(toTex(exp(x))).toBe('\\exp\\left(x\\right)');
  });
});
