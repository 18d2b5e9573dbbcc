import { describe, expect, test } from 'vitest';
import {
  add,
  cos,
  diff,
  type DiffStep,
  div,
  explainDiff,
  exp,
  expandTanh,
  type Expr,
  format,
  formatNumber,
  formatSteps,
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
    ['x^y^z', 'x^y^z'],
    ['(x^y)^z', '(x^y)^z'],
    ['x^(y^z)^w', 'x^(y^z)^w'],
    ['2^-x^2', '2^(-x^2)'],
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

  test.each([
    ['x^x^…^x', () => x, () => 'x'],
    ['1.1^1.1^…^x', (i: number) => (i === 0 ? x : num(1.1)), (i: number) => (i === 0 ? 'x' : '1.1')],
    ['sin(x)^sin(x)^…', () => sin(x), () => 'sin(x)'],
    [
      'x^(y + 1)^x^…',
      (i: number) => (i % 2 === 0 ? x : add(y, 1)),
      (i: number) => (i % 2 === 0 ? 'x' : '(y + 1)'),
    ],
  ])(
    'a right-nested chain %s of 202 and of 3,000 terms prints with no parentheses per ^ and reads back',
    (_, term, text) => {
      for (const length of [202, 3000]) {
        let e = term(0);
        for (let i = 1; i < length; i++) e = pow(term(i), e);
        const expected = Array.from({ length }, (_, i) => text(length - 1 - i)).join('^');
        expect(format(e)).toBe(expected);
        expect(parse(expected)).toBe(e);
      }
    },
  );

  test('a negative integer power prints as a quotient only where reading it back merges the powers', () => {
    expect(format(pow(x, -3))).toBe('1 / x^3');
    expect(format(mul(y, pow(x, -(2 ** 20))))).toBe('y / x^1048576');
    // (x^k)^-1 stays a power of a power past 2^20, so these print as powers (found by the round-trip property).
    expect(format(pow(x, -620183312053185))).toBe('x^-620183312053185');
    expect(format(mul(y, pow(x, -(2 ** 20 + 1))))).toBe('y * x^-1048577');
    for (const k of [3, 2 ** 20, 2 ** 20 + 1, 620183312053185, 2 ** 53 - 1]) {
      expect(parse(format(pow(x, -k)))).toBe(pow(x, -k));
      expect(parse(format(mul(y, pow(x, -k))))).toBe(mul(y, pow(x, -k)));
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
    ['x_2 + alpha_10 * x_y', '\\alpha_{10} \\cdot \\mathrm{x\\_y} + x_{2}'],
  ])('%s', (src, tex) => {
    expect(toTex(parse(src))).toBe(tex);
  });

  test('builds on the same canonical reading as format', () => {
    expect(toTex(sub(x, div(neg(y), 2)))).toBe('x + \\frac{y}{2}');
    expect(toTex(exp(x))).toBe('\\exp\\left(x\\right)');
  });
});

describe('formatSteps: the steps of explainDiff as an indented tree', () => {
  test('rules, what each differentiates and its result; the outer function of a chain rule in u', () => {
    expect(formatSteps(explainDiff(parse('exp(2*x)'), 'x'), 'x')).toBe(
      [
        'chain rule: d/dx [exp(2 * x)] = 2 * exp(2 * x)',
        '  exp rule: d/du exp(u) = exp(2 * x) at u = 2 * x',
        '  product rule: d/dx [2 * x] = 2',
        '    constant: d/dx [2] = 0',
        '    variable: d/dx [x] = 1',
      ].join('\n'),
    );
  });

  test('each line agrees with diff of the expression it names', () => {
    const e = parse('x * sin(y * x) + y^2');
    const lines = formatSteps(explainDiff(e, 'x'), 'x').split('\n');
    expect(lines[0]).toBe(`${explainDiff(e, 'x').rule}: d/dx [${format(e)}] = ${format(diff(e, 'x'))}`);
    for (const line of lines) {
      const m = /^ *[^:]+: d\/dx \[(.*)\] = (.*)$/.exec(line);
      if (m !== null) expect(format(diff(parse(m[1]), 'x'))).toBe(m[2]);
    }
    expect(lines.length).toBeGreaterThan(6);
  });

  test('a derivation longer than maxLines is cut, with a line saying so; indent is an option', () => {
    let e: Expr = x;
    for (let i = 0; i < 2000; i++) e = sin(e);
    const text = formatSteps(explainDiff(e, 'x'), 'x', { maxLines: 5, indent: '-' });
    const lines = text.split('\n');
    expect(lines.length).toBe(6);
    expect(lines[5]).toBe('… (more steps not shown)');
    // A formula whose printed tree is huge is described, not printed.
    // 200 characters at most: 199 and the ellipsis.
    expect(lines[0]).toBe(
      `chain rule: d/dx [${'sin('.repeat(49)}sin…] = … (a formula of 2.00e+6 nodes in print)`,
    );
    expect(lines[1]).toBe(
      `-sin rule: d/du sin(u) = cos(${'sin('.repeat(48)}sin… at u = ${'sin('.repeat(49)}sin…`,
    );
    const short = formatSteps(explainDiff(parse('sin(x + y + z)'), 'x'), 'x', { maxChars: 12 }).split('\n');
    expect(short[0]).toBe('chain rule: d/dx [sin(x + y +…] = cos(x + y +…');
  }, 120_000);

  test('bad arguments are SymbolicErrors', () => {
    expect(() => formatSteps(x as unknown as DiffStep, 'x')).toThrow(
      new SymbolicError('formatSteps: expected a step of explainDiff, got an object that is not an Expr'),
    );
    const step = explainDiff(x, 'x');
    expect(() => formatSteps(step, 'x', { maxLines: 0 })).toThrow(
      new SymbolicError('formatSteps: maxLines must be a whole number of at least 1, got number 0'),
    );
  });
});
