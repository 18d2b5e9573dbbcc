import { describe, expect, test } from 'vitest';
import {
  add,
  ArgumentError,
  compileGradient,
  type Call,
  cos,
  diff,
  type DiffRules,
  diffRules,
  type DiffStep,
  evaluate,
  exp,
  expandTanh,
  type Expr,
  explainDiff,
  format,
  gradient,
  mul,
  parse,
  pow,
  sign,
  sin,
  size,
  step,
  sym,
  SymbolicError,
  tanh,
} from '@crossgrad/symbolic';
import fc from 'fast-check';
import { Differentiator } from '../src/diff.js';
import {
  AWKWARD_NUMBERS,
  centralDifference,
  exprArbitrary,
  propertySeed,
  VARIABLE_NAMES,
} from './support.js';

const sigmoid = (u: number) => 1 / (1 + Math.exp(-u));
const sech2 = (u: number) => 1 - Math.tanh(u) ** 2;

// Textbook derivatives, written out by hand in plain JavaScript, at a few points each.
const TABLE: readonly [string, (x: number) => number, readonly number[]][] = [
  ['x^x', (x) => x ** x * (Math.log(x) + 1), [0.5, 1, 2.5]],
  ['2^x', (x) => 2 ** x * Math.LN2, [-1, 0, 3.5]],
  ['x^-2.5', (x) => -2.5 * x ** -3.5, [0.5, 2]],
  ['log(x)/x', (x) => (1 - Math.log(x)) / x ** 2, [0.5, Math.E, 4]],
  ['sqrt(x^2 + 1)', (x) => x / Math.sqrt(x * x + 1), [-2, 0, 3]],
  ['sigmoid(x)', (x) => sigmoid(x) * (1 - sigmoid(x)), [-3, 0, 2]],
  ['relu(x)', (x) => (x > 0 ? 1 : 0), [-1, 0, 2]],
  ['abs(x)', (x) => Math.sign(x), [-1, 0, 2]],
  ['sin(x) * cos(x)', (x) => Math.cos(2 * x), [-1, 0, 0.7]],
  ['tanh(tanh(x))', (x) => sech2(Math.tanh(x)) * sech2(x), [-0.5, 0, 1.5]],
  ['exp(2x) - 1/x', (x) => 2 * Math.exp(2 * x) + 1 / x ** 2, [-1, 0.25]],
  ['log(x, 2)', (x) => 1 / (x * Math.LN2), [0.5, 8]],
  ['x * sin(1/x)', (x) => Math.sin(1 / x) - Math.cos(1 / x) / x, [0.3, 2]],
];

describe('a table of textbook derivatives, by value', () => {
  test.each(TABLE)('d/dx %s', (src, derivative, points) => {
    const d = diff(parse(src), 'x');
    for (const x of points) expect(evaluate(d, { x })).toBeCloseTo(derivative(x), 12);
  });

  test('nested tanh, expanded or not, against the chain rule by hand and a central difference', () => {
    let f: Expr = sym('x');
    for (let k = 0; k < 4; k++) f = tanh(f);
    const byHand = (x: number) => {
      let value = x;
      let slope = 1;
      for (let k = 0; k < 4; k++) {
        slope *= sech2(value);
        value = Math.tanh(value);
      }
      return slope;
    };
    for (const x of [-0.8, 0.1, 1.3]) {
      expect(evaluate(diff(f, 'x'), { x })).toBeCloseTo(byHand(x), 14);
      expect(evaluate(diff(expandTanh(f), 'x'), { x })).toBeCloseTo(byHand(x), 13);
      expect(evaluate(diff(f, 'x'), { x })).toBeCloseTo(
        centralDifference((v) => evaluate(f, { x: v }), x),
        8,
      );
    }
  });
});

describe('by structure, where the form is certain', () => {
  test.each([
    ['x^3', '3*x^2'],
    ['x^-2.5', '-2.5 * x^-3.5'],
    ['sin(x)', 'cos(x)'],
    ['cos(x)', '-sin(x)'],
    ['exp(x)', 'exp(x)'],
    ['exp(2x)', '2 * exp(2x)'],
    ['log(x)', '1/x'],
    ['sqrt(x)', '1 / (2 * sqrt(x))'],
    ['tanh(x)', '1 - tanh(x)^2'],
    ['sigmoid(x)', 'sigmoid(x) * (1 - sigmoid(x))'],
    ['relu(x)', 'step(x)'],
    ['abs(x)', 'sign(x)'],
    ['step(x) + sign(x)', '0'],
    ['2^x', '2^x * log(2)'],
    ['x * y', 'y'],
    ['x^2 * y + 3', '2 * x * y'],
    ['sin(x) * cos(x)', 'cos(x)^2 - sin(x)^2'],
    ['x / y', '1 / y'],
    ['y', '0'],
    ['x', '1'],
    ['7', '0'],
  ])('d/dx %s = %s', (src, derivative) => {
    expect(diff(parse(src), 'x')).toBe(parse(derivative));
  });
});

describe('conventions at the edges', () => {
  test("relu'(0) = 0 and abs'(0) = 0, through step and sign", () => {
    expect(evaluate(diff(parse('relu(x)'), 'x'), { x: 0 })).toBe(0);
    expect(evaluate(diff(parse('abs(x)'), 'x'), { x: 0 })).toBe(0);
    expect(evaluate(diff(parse('abs(x)'), 'x'), { x: -0 })).toBe(0);
    expect(evaluate(diff(parse('relu(x)'), 'x'), { x: NaN })).toBeNaN();
  });

  test('outside a domain the derivative is NaN, and x/0 follows IEEE', () => {
    expect(evaluate(diff(parse('sqrt(x)'), 'x'), { x: -1 })).toBeNaN();
    expect(evaluate(diff(parse('log(x)'), 'x'), { x: 0 })).toBe(Infinity);
    expect(evaluate(diff(parse('x^0.5'), 'x'), { x: 0 })).toBe(Infinity);
  });

  test('pow at a = 0: d/db a^b is its limit 0 where b >= 0 (logz(0) = 0), NaN at the pole b < 0', () => {
    // d/da a^b = b·a^(b-1): 0 · 0^-1 = NaN at a = b = 0 (autograd, as PyTorch, gives 0 there).
    expect(evaluate(diff(parse('x^y'), 'x'), { x: 0, y: 0 })).toBeNaN();
    // d/db a^b = a^b · logz(a): 0 · 0 = 0 at a = 0 < b (it was 0 · log(0) = 0 · -∞ = NaN), 1 · 0 at b = 0.
    const d = diff(parse('x^y'), 'y');
    expect(format(d)).toBe('logz(x) * x^y');
    expect(evaluate(d, { x: 0, y: 2 })).toBe(0);
    expect(evaluate(d, { x: 0, y: 0 })).toBe(0);
    expect(evaluate(d, { x: 0, y: -1 })).toBeNaN();
    expect(evaluate(d, { x: 2, y: 3 })).toBe(8 * Math.log(2));
    expect(evaluate(gradient(parse('x^y')).get('y')!, { x: 0, y: 2 })).toBe(0);
    expect(compileGradient(parse('x^y'), ['x', 'y'])(0, 2)).toEqual({ value: 0, gradient: [0, 0] });
    // The typed-array tape of a large DAG computes the same.
    const big = add(
      pow(sym('x'), sym('y')),
      ...Array.from({ length: 1500 }, (_, i) => sin(mul(sym(`z${i}`), 2))),
    );
    const vars = ['x', 'y', ...Array.from({ length: 1500 }, (_, i) => `z${i}`)];
    const r = compileGradient(big, vars)(0, 2, ...Array.from({ length: 1500 }, () => 0));
    expect([r.gradient[0], r.gradient[1], r.gradient[2]]).toEqual([0, 0, 2]);
    // With a numeric exponent the power rule is exact everywhere: d/dx x^2 = 2x.
    expect(evaluate(diff(parse('x^2'), 'x'), { x: 0 })).toBe(0);
  });
});

describe('diff is linear in the DAG', () => {
  test('expanded tanh nested 12 deep: 69 nodes standing for a tree of ~70,000, a derivative of 119', () => {
    let f: Expr = parse('x*w + b');
    const dags: number[] = [];
    for (let k = 1; k <= 12; k++) {
      f = expandTanh(tanh(f));
      dags.push(size(diff(f, 'x')).dag);
    }
    expect(size(f)).toEqual({ dag: 69, tree: 69621 });
    // Each level adds the same handful of nodes to the derivative.
    const growth = dags.slice(1).map((d, i) => d - dags[i]);
    expect(new Set(growth.slice(1))).toEqual(new Set([growth[1]]));
    expect(dags[11]).toBe(119);
    expect(size(diff(f, 'x')).tree).toBeGreaterThan(1e6);
  });
});

describe('products built once (along chains) are the nodes the rules build step by step', () => {
  // The lazy path keeps single-operand products unbuilt (product.ts) for any rule table; the plain path applies
  // each rule to built derivatives. The two must give the same node.
  const plain = (e: Expr, v: string, rules: DiffRules = diffRules): Expr =>
    new Differentiator(v, rules, false).of(e);
  const copies = Object.fromEntries(
    Object.entries(diffRules).map(([key, rule]) => [key, { ...rule }]),
  ) as unknown as DiffRules;

  test.each([
    'sin(sin(sin(x)))',
    'cos(2 * cos(-3 * cos(x)))',
    'tanh(1.0001 * tanh(1.0001 * tanh(x) + 0.0001) + 0.0001)',
    'exp(0.1 * exp(0.1 * exp(0.1 * x)))',
    '1e200 * sin(1e200 * sin(1e-300 * sin(3 * x)))',
    '0.1 * sin(0.7 * sin(0.3 * sin(0.9 * x * y)))',
    'sqrt(log(sigmoid(relu(abs(x)) + 1) + 2))',
    'x * sin(x * sin(x * sin(x)))',
    'sin(x) * sin(sin(x)) * sin(sin(sin(x)))',
    'sin(x)^2 * sin(sin(x))^-1 * exp(sin(x) * y)',
    'step(x) * sign(sin(x)) + (-0 * x) + 2^sin(x)',
    'tan(softplus(tan(x^0.5 * x)))',
  ])('%s', (src) => {
    let e = parse(src);
    e = mul(e, e); // also a product of the chain with itself
    for (const v of ['x', 'y']) {
      expect(diff(e, v)).toBe(plain(e, v));
      // The fast path does not depend on the default rule objects: copies of them take it too, to the same node.
      expect(diff(e, v, { rules: copies })).toBe(plain(e, v));
    }
  });

  test('as a property over random expressions (also squared, and under a chain of calls)', () => {
    const seed = propertySeed('lazy products equal the plain rules', 9_2026);
    fc.assert(
      fc.property(exprArbitrary(AWKWARD_NUMBERS, 5), fc.constantFrom(...VARIABLE_NAMES), (e, v) => {
        for (const f of [e, mul(e, e), sin(tanh(exp(mul(e, sym(v)))))]) {
          expect(diff(f, v)).toBe(plain(f, v));
          expect(diff(f, v, { rules: copies })).toBe(plain(f, v, copies));
        }
      }),
      { seed, numRuns: 1000 },
    );
  }, 120_000);
});

describe('the rule table', () => {
  test('is exported, named, and replaceable through the rules option', () => {
    expect(diffRules.product.name).toBe('product rule');
    expect(diffRules.sin.formula).toBe("sin(u)' = cos(u) · u'");
    const wrong: DiffRules = {
      ...diffRules,
      cos: { ...diffRules.cos, derive: (e: Call, d: readonly Expr[]) => mul(sin(e.arg), d[0]) },
    };
    const e = parse('cos(x^2)');
    expect(format(diff(e, 'x', { rules: wrong }))).toBe('2 * x * sin(x^2)');
    expect(format(diff(e, 'x', { rules: { cos: wrong.cos } }))).toBe('2 * x * sin(x^2)');
    expect(format(diff(e, 'x'))).toBe('-2 * x * sin(x^2)');
  });

  test('a broken replacement fails with a SymbolicError naming the rule', () => {
    const e = parse('sin(x)');
    const returnsNumber = { ...diffRules.sin, derive: () => 3 as unknown as Expr };
    expect(() => diff(e, 'x', { rules: { sin: returnsNumber } })).toThrow(
      new SymbolicError("diff: rule 'sin' returned number 3, not an Expr"),
    );
    const throws = {
      ...diffRules.sin,
      derive: () => (null as unknown as { x: number }).x as unknown as Expr,
    };
    expect(() => diff(e, 'x', { rules: { sin: throws } })).toThrow(/^diff: rule 'sin' failed: /);
    expect(() => diff(e, 'x', { rules: { sin: {} as never } })).toThrow(
      new SymbolicError("diff: rule 'sin' must be an object with a derive(e, d) function"),
    );
    expect(() => diff(e, 7 as unknown as string)).toThrow(
      new ArgumentError('variable', 'diff: a variable name must be a string, got number 7'),
    );
  });

  test('a name that can never be a variable is an ArgumentError, not a derivative of 0', () => {
    const e = parse('x^2');
    expect(() => diff(e, '1x')).toThrow(ArgumentError);
    expect(() => diff(e, '1x')).toThrow(
      new ArgumentError(
        'variable',
        'diff: "1x" is not a valid variable name (letters, digits, _ and $, not starting with a digit)',
      ),
    );
    expect(() => diff(e, 'sin')).toThrow(
      "diff: 'sin' is reserved (a constant, a function or a keyword) and cannot name a variable",
    );
    expect(() => diff(e, 'x y')).toThrow(ArgumentError);
    expect(() => explainDiff(e, '')).toThrow(ArgumentError);
    expect(() => gradient(e, ['x', '2'])).toThrow(/^gradient: "2" is not a valid variable name/);
    // A valid name the expression lacks is fine: its derivative is 0.
    expect(diff(e, 'y')).toBe(parse('0'));
  });

  test('step and sign are only made by derivatives, and differentiate to 0', () => {
    const x = sym('x');
    expect(diff(parse('relu(sin(x))'), 'x')).toBe(mul(step(sin(x)), cos(x)));
    expect(diff(parse('abs(exp(x))'), 'x')).toBe(mul(sign(exp(x)), exp(x)));
    expect(diff(diff(parse('relu(x)'), 'x'), 'x')).toBe(parse('0'));
  });
});

describe('explainDiff: the derivation as steps named by rule', () => {
  const rules = (s: DiffStep): string[] => [s.rule, ...s.children.flatMap(rules)];

  test('exp(2x): the chain rule over the exp rule and the product rule', () => {
    const s = explainDiff(parse('exp(2*x)'), 'x');
    expect(s.rule).toBe('chain rule');
    expect(s.expr).toBe(parse('exp(2x)'));
    expect(s.derivative).toBe(parse('2 * exp(2x)'));
    expect(s.children.map((c) => c.rule)).toEqual(['exp rule', 'product rule']);
    expect(s.children[0].derivative).toBe(parse('exp(2x)'));
    expect(rules(s)).toEqual(['chain rule', 'exp rule', 'product rule', 'constant', 'variable']);
  });

  test('every rule name of the contract appears, and each step agrees with diff', () => {
    const e = parse('x^3 + 2^x * log(x) + x^x + sin(x) + exp(x^2)');
    const s = explainDiff(e, 'x');
    expect(s.derivative).toBe(diff(e, 'x'));
    expect(new Set(rules(s))).toEqual(
      new Set([
        'sum rule',
        'power rule',
        'product rule',
        'general power rule',
        'log rule',
        'sin rule',
        'exp rule',
        'chain rule',
        'constant',
        'variable',
      ]),
    );
    const check = (step: DiffStep): void => {
      expect(diff(step.expr, 'x')).toBe(step.derivative);
      if (step.rule !== 'chain rule') return step.children.forEach(check);
      // The chain rule: the outer function's derivative (at the argument) times the argument's derivative.
      const [outer, inner] = step.children;
      expect(step.derivative).toBe(mul(outer.derivative, inner.derivative));
      check(inner);
    };
    check(s);
  });

  test('a shared subexpression has one step object, so the steps stay as small as the DAG', () => {
    const s = explainDiff(expandTanh(parse('tanh(x)')), 'x');
    const [numerator, denominator] = s.children;
    const e2x = parse('exp(2x)');
    const find = (step: DiffStep): DiffStep | undefined =>
      step.expr === e2x ? step : step.children.map(find).find((f) => f !== undefined);
    expect(find(numerator)).toBe(find(denominator));
    expect(find(numerator)?.rule).toBe('chain rule');
  });

  test('a subexpression free of the variable is one constant step', () => {
    const s = explainDiff(parse('x * exp(y^2)'), 'x');
    expect(s.children.map((c) => [c.rule, c.children.length])).toEqual([
      ['variable', 0],
      ['constant', 0],
    ]);
    expect(s.derivative).toBe(exp(parse('y^2')));
  });
});
