import { describe, expect, test, vi } from 'vitest';
import {
  add,
  compile,
  compileGradient,
  diff,
  diffRules,
  type DiffRules,
  evaluate,
  exp,
  expandTanh,
  explainDiff,
  type Expr,
  format,
  gradient,
  mul,
  type Mul,
  parse,
  ParseError,
  sin,
  size,
  sym,
  tanh,
  toTex,
  variables,
} from '@crossgrad/symbolic';

// Nothing here may recurse on the depth of the expression: each test would overflow the stack if it did. The
// walks take seconds on a loaded machine, more than vitest's default timeout.
vi.setConfig({ testTimeout: 120_000 });
const x = sym('x');
const DEEP = 100_000;

/** sin(sin(...sin(x))), `depth` calls. */
function sinChain(depth: number): Expr {
  let e: Expr = x;
  for (let i = 0; i < depth; i++) e = sin(e);
  return e;
}

describe(`a chain of ${DEEP.toLocaleString('en')} nested calls`, () => {
  const chain = sinChain(DEEP);
  const value = (v: number): number => {
    for (let i = 0; i < DEEP; i++) v = Math.sin(v);
    return v;
  };

  test('size and variables', () => {
    expect(size(chain)).toEqual({ dag: DEEP + 1, tree: DEEP + 1 });
    expect(variables(chain)).toEqual(['x']);
  });

  test('format and toTex', () => {
    const printed = format(chain);
    expect(printed).toBe('sin('.repeat(DEEP) + 'x' + ')'.repeat(DEEP));
    expect(toTex(chain)).toBe('\\sin\\left('.repeat(DEEP) + 'x' + '\\right)'.repeat(DEEP));
    // Deeper than the parser takes: a clean ParseError, not a stack overflow.
    expect(() => parse(printed)).toThrow(ParseError);
  });

  test('evaluate', () => {
    expect(evaluate(chain, { x: 1 })).toBe(value(1));
  });
});

describe(`diff and gradient of chains ${DEEP.toLocaleString('en')} deep: linear, not one flat product per level`, () => {
  // The derivative is one product of DEEP factors; built level by level it would be DEEP products of up to DEEP
  // factors (O(DEEP²) time and memory: out of memory at this depth).
  const cases: [string, (e: Expr) => Expr, (v: number) => number, (v: number) => number, number][] = [
    ['sin', sin, Math.sin, Math.cos, 2],
    ['tanh', tanh, Math.tanh, (v) => 1 - Math.tanh(v) ** 2, 4],
  ];
  test.each(cases)('%s', (_name, f, value, slope, perLevel) => {
    let e: Expr = x;
    for (let i = 0; i < DEEP; i++) e = f(e);
    const at = 0.7;
    let v = at;
    let expected = 1;
    for (let i = 0; i < DEEP; i++) {
      expected *= slope(v);
      v = value(v);
    }
    const d = diff(e, 'x');
    expect(gradient(e).get('x')).toBe(d);
    expect(d.kind).toBe('mul');
    expect(evaluate(d, { x: at }) / expected).toBeCloseTo(1, 8);
    // The chain's own nodes, one outer derivative per level (less what it shares with the chain), the product.
    expect(size(d).dag).toBeLessThanOrEqual(perLevel * DEEP + 6);
  });

  test('a copy of the default rules takes the same linear path (it does not depend on the rule objects)', () => {
    const copies = Object.fromEntries(
      Object.entries(diffRules).map(([key, rule]) => [key, { ...rule }]),
    ) as unknown as DiffRules;
    const e = sinChain(DEEP);
    const d = diff(e, 'x');
    expect(diff(e, 'x', { rules: copies })).toBe(d);
    expect(gradient(e, ['x'], { rules: copies }).get('x')).toBe(d);
  });

  test('exp (whose values overflow a few levels up): the product of the chain itself', () => {
    const levels: Expr[] = [];
    let e: Expr = x;
    for (let i = 0; i < DEEP; i++) levels.push((e = exp(e)));
    const d = diff(e, 'x');
    expect(gradient(e).get('x')).toBe(d);
    expect(new Set((d as Mul).factors)).toEqual(new Set(levels));
    expect(size(d).dag).toBe(DEEP + 2);
  });
});

describe('compile and compileGradient on a chain 20,000 deep (values kept in an array, not 20,000 locals)', () => {
  const depth = 20_000;
  const chain = sinChain(depth);

  test('value and slope against the chain rule by hand', () => {
    let v = 1;
    let slope = 1;
    for (let i = 0; i < depth; i++) {
      slope *= Math.cos(v);
      v = Math.sin(v);
    }
    expect(compile(chain, ['x'])(1)).toBe(v);
    const result = compileGradient(chain, ['x'])(1);
    expect(result.value).toBe(v);
    expect(result.gradient[0] / slope).toBeCloseTo(1, 11);
  });
});

describe('diff and gradient on deep chains', () => {
  test('a Horner chain 20,000 deep (h = h·x + c): diff and gradient agree with the recurrence', () => {
    const depth = 20_000;
    let h: Expr = x;
    for (let i = 0; i < depth; i++) h = add(mul(h, x), (i % 5) - 2);
    const at = 0.999;
    let v = at;
    let d = 1;
    for (let i = 0; i < depth; i++) {
      d = d * at + v;
      v = v * at + ((i % 5) - 2);
    }
    const byDiff = evaluate(diff(h, 'x'), { x: at });
    const byGradient = evaluate(gradient(h).get('x')!, { x: at });
    expect(byDiff / d).toBeCloseTo(1, 9);
    expect(byGradient / d).toBeCloseTo(1, 9);
    // The adjoints are powers of x (x·x merges into x^2), so the gradient stays linear in the depth.
    expect(size(gradient(h).get('x')!).dag).toBeLessThan(10 * depth);
  });

  test('a tanh chain 2,000 deep: diff, gradient and explainDiff', () => {
    let f: Expr = x;
    for (let i = 0; i < 2000; i++) f = tanh(add(mul(f, 1.0001), 0.0001));
    let v = 0.5;
    let slope = 1;
    for (let i = 0; i < 2000; i++) {
      v = Math.tanh(v * 1.0001 + 0.0001);
      slope *= 1.0001 * (1 - v * v);
    }
    expect(evaluate(diff(f, 'x'), { x: 0.5 }) / slope).toBeCloseTo(1, 11);
    expect(evaluate(gradient(f).get('x')!, { x: 0.5 }) / slope).toBeCloseTo(1, 11);
    let step = explainDiff(f, 'x');
    let depth = 0;
    while (step.rule === 'chain rule') {
      // tanh(1.0001·f + 0.0001): the argument's sum rule, its product rule, then f's own step.
      const sum = step.children[1];
      const product = sum.children.find((c) => c.rule === 'product rule')!;
      step = product.children[1];
      depth++;
    }
    expect(depth).toBe(2000);
    expect(step.rule).toBe('variable');
  });

  test('expandTanh over a chain 20,000 deep', () => {
    let f: Expr = x;
    for (let i = 0; i < 20_000; i++) f = tanh(f);
    const expanded = expandTanh(f);
    // Each level uses exp(2u) twice, so only the cse form is printable (the tree has 2^20000 nodes).
    expect(size(expanded).tree).toBe(Infinity);
    expect(format(expanded, { cse: true }).includes('tanh')).toBe(false);
    expect(evaluate(expanded, { x: 0.3 })).toBeCloseTo(evaluate(f, { x: 0.3 }), 12);
  });
});
