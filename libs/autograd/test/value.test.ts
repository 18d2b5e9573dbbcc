import { describe, expect, test } from 'vitest';
import {
  InvalidArgumentError,
  Value,
  abs,
  acos,
  acosh,
  add,
  asin,
  asinh,
  atan,
  atan2,
  atanh,
  cos,
  cosh,
  max,
  min,
  div,
  exp,
  log,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sin,
  sinh,
  softplus,
  sqrt,
  tan,
  sub,
  tanh,
} from '@crossgrad/autograd';
import { loadPublicCases } from './cases.js';

const cases = loadPublicCases();

function seedInputs() {
  const p = cases.seedNeuron.point;
  return {
    x1: new Value(p.x1, 'x1'),
    x2: new Value(p.x2, 'x2'),
    w1: new Value(p.w1, 'w1'),
    w2: new Value(p.w2, 'w2'),
    b: new Value(p.b, 'b'),
  };
}

function expectSeedGradients(v: ReturnType<typeof seedInputs>, n: Value, o: Value): void {
  const want = cases.seedNeuron.gradient;
  expect(o.data).toBeCloseTo(cases.seedNeuron.value, 12);
  expect(n.grad).toBeCloseTo(want.n, 12);
  expect(v.x1.grad).toBeCloseTo(want.x1, 12);
  expect(v.w1.grad).toBeCloseTo(want.w1, 12);
  expect(v.x2.grad).toBeCloseTo(want.x2, 12);
  expect(v.w2.grad).toBeCloseTo(want.w2, 12);
  expect(v.b.grad).toBeCloseTo(want.b, 12);
}

describe('the seed neuron (public.json)', () => {
  test('with tanh', () => {
    const v = seedInputs();
    const n = v.x1.mul(v.w1).add(v.x2.mul(v.w2)).add(v.b);
    const o = n.tanh();
    o.backward();
    expect(o.op).toBe('tanh');
    expectSeedGradients(v, n, o);
  });

  test('with tanh written as (e^(2n) - 1) / (e^(2n) + 1) from exp, pow, sub and div', () => {
    const v = seedInputs();
    const n = add(add(mul(v.x1, v.w1), mul(v.x2, v.w2)), v.b);
    const e = mul(2, n).exp();
    const o = e.sub(1).div(e.add(1));
    o.backward();
    expectSeedGradients(v, n, o);
    // The division really is `num * den**-1`: the graph holds a '**-1' node and no other op.
    const den = o.children[1];
    expect(o.op).toBe('*');
    expect(den.op).toBe('**-1');
    expect(den.exponent).toBe(-1);
  });
});

describe('numbers on either side and canonical forms', () => {
  test('a + 1 wraps 1 in a constant leaf', () => {
    const a = new Value(2, 'a');
    const y = a.add(1);
    y.backward();
    expect(y.data).toBe(3);
    expect(y.op).toBe('+');
    expect(y.children[0]).toBe(a);
    expect(y.children[1].data).toBe(1);
    expect(y.children[1].label).toBe('');
    expect(y.children[1].op).toBe('');
    expect(a.grad).toBe(1);
    expect(add(1, a).data).toBe(3);
  });

  test("mul(2, a) is micrograd's 2 * a, operands in order", () => {
    const a = new Value(3, 'a');
    const y = mul(2, a);
    y.backward();
    expect(y.data).toBe(6);
    expect(y.children.map((c) => c.data)).toEqual([2, 3]);
    expect(y.children[1]).toBe(a);
    expect(a.grad).toBe(2);
    expect(y.children[0].grad).toBe(3);
  });

  test('a / b is a * b**-1', () => {
    const a = new Value(3, 'a');
    const b = new Value(4, 'b');
    const y = a.div(b);
    y.backward();
    expect(y.data).toBe(0.75);
    expect(y.op).toBe('*');
    const [left, right] = y.children;
    expect(left).toBe(a);
    expect(right.op).toBe('**-1');
    expect(right.children).toEqual([b]);
    expect(a.grad).toBe(0.25);
    expect(b.grad).toBe(-3 / 16);
    expect(div(a, b).data).toBe(0.75);
  });

  test('a - b is a + (b * -1)', () => {
    const a = new Value(5, 'a');
    const b = new Value(3, 'b');
    const y = a.sub(b);
    y.backward();
    expect(y.data).toBe(2);
    expect(y.op).toBe('+');
    const negB = y.children[1];
    expect(negB.op).toBe('*');
    expect(negB.children[0]).toBe(b);
    expect(negB.children[1].data).toBe(-1);
    expect(a.grad).toBe(1);
    expect(b.grad).toBe(-1);
  });

  test('a number on the right is folded as micrograd does: a - 3 is a + (-3), a / 4 is a * 0.25', () => {
    const a = new Value(5);
    const d = a.sub(3);
    expect(d.op).toBe('+');
    expect(d.children[1].data).toBe(-3);
    const q = a.div(4);
    expect(q.op).toBe('*');
    expect(q.children[1].data).toBe(0.25);
    expect(q.data).toBe(1.25);
  });

  test('neg(a) is a * -1; rsub, rdiv, rpow put the number on the left', () => {
    const a = new Value(2, 'a');
    const n = neg(a);
    expect([n.op, n.data, n.children[1].data]).toEqual(['*', -2, -1]);

    const r = a.rsub(5); // 5 - a = 5 + a*-1
    expect([r.op, r.data, r.children[0].data, r.children[1].op]).toEqual(['+', 3, 5, '*']);
    expect(sub(5, a).data).toBe(3);

    const q = a.rdiv(1); // 1 / a = 1 * a**-1
    expect([q.op, q.data, q.children[0].data, q.children[1].op]).toEqual(['*', 0.5, 1, '**-1']);
    expect(div(1, a).data).toBe(0.5);

    const p = a.rpow(3); // 3 ** a: a '**' node whose base is a constant leaf
    expect([p.op, p.data, p.children[0].data, p.children[0].op]).toEqual(['**', 9, 3, '']);
    expect(p.children[1]).toBe(a);
    expect(p.exponent).toBeUndefined();
    expect(pow(3, a).data).toBe(9);
  });

  test('pow: number exponent is op **k with one child, Value exponent is ** with [base, exponent]', () => {
    const a = new Value(3);
    const e = new Value(2);
    expect([a.pow(2).op, a.pow(2).exponent, a.pow(2).children.length]).toEqual(['**2', 2, 1]);
    expect([a.pow(0.5).op, a.pow(0.5).exponent]).toEqual(['**0.5', 0.5]);
    expect([a.pow(-2.5).op, a.pow(-2.5).exponent]).toEqual(['**-2.5', -2.5]);
    const p = a.pow(e);
    expect([p.op, p.data, p.exponent]).toEqual(['**', 9, undefined]);
    expect(p.children).toEqual([a, e]);
  });

  test("every free function builds the method's op", () => {
    const x = new Value(0.5);
    const built = [
      exp,
      log,
      sqrt,
      sin,
      cos,
      tan,
      tanh,
      sigmoid,
      softplus,
      relu,
      abs,
      asin,
      acos,
      atan,
      sinh,
      cosh,
      asinh,
      acosh,
      atanh,
    ].map((f) => f(x).op);
    expect([atan2(x, 1).op, min(x, 1).op, max(x, 1).op]).toEqual(['atan2', 'min', 'max']);
    expect(built).toEqual([
      'exp',
      'log',
      'sqrt',
      'sin',
      'cos',
      'tan',
      'tanh',
      'sigmoid',
      'softplus',
      'ReLU',
      'abs',
      'asin',
      'acos',
      'atan',
      'sinh',
      'cosh',
      'asinh',
      'acosh',
      'atanh',
    ]);
    expect(exp(0).data).toBe(1);
    expect(add(1, 2).data).toBe(3);
  });

  test('leaves: op "", no children, exponent undefined, label defaults to ""', () => {
    const a = new Value(1.5);
    expect([a.op, a.label, a.grad, a.exponent]).toEqual(['', '', 0, undefined]);
    expect(a.children).toEqual([]);
    a.label = 'renamed';
    a.data = 4;
    expect(String(a)).toBe('Value(renamed, data=4, grad=0)');
  });
});

describe("micrograd's engine tests (public.json), to 1e-12", () => {
  test('sanity check', () => {
    const want = cases.micrograd_sanity_check;
    const x = new Value(-4);
    const z = add(add(mul(2, x), 2), x);
    const q = add(z.relu(), mul(z, x));
    const h = mul(z, z).relu();
    const y = add(add(h, q), mul(q, x));
    y.backward();
    expect(want.steps).toHaveLength(6);
    expect(Math.abs(y.data - want.y)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(x.grad - want['x.grad'])).toBeLessThanOrEqual(1e-12);
  });

  test('more ops', () => {
    const want = cases.micrograd_more_ops;
    const a = new Value(-4);
    const b = new Value(2);
    let c = add(a, b);
    let d = add(mul(a, b), pow(b, 3));
    c = add(c, add(c, 1));
    c = add(c, add(add(1, c), neg(a)));
    d = add(d, add(mul(d, 2), relu(add(b, a))));
    d = add(d, add(mul(3, d), relu(sub(b, a))));
    const e = sub(c, d);
    const f = pow(e, 2);
    let g = div(f, 2);
    g = add(g, div(10, f));
    g.backward();
    expect(want.steps).toHaveLength(13);
    const close = (got: number, expected: number) =>
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
    close(g.data, want.g);
    close(a.grad, want['a.grad']);
    close(b.grad, want['b.grad']);
  });
});

describe('bad input gets InvalidArgumentError naming the problem', () => {
  test('non-number data or label', () => {
    expect(() => new Value('2' as unknown as number)).toThrow(InvalidArgumentError);
    expect(() => new Value('2' as unknown as number)).toThrow('Value data must be a number, got string "2"');
    expect(() => new Value(undefined as unknown as number)).toThrow('got undefined');
    expect(() => new Value(1, 2 as unknown as string)).toThrow('Value label must be a string, got 2');
  });

  test('an operand that is neither a Value nor a number', () => {
    const a = new Value(1);
    expect(() => a.add('1' as unknown as number)).toThrow(
      'operand must be a Value or a number, got string "1"',
    );
    expect(() => mul(null as unknown as number, a)).toThrow('got null');
    expect(() => a.pow({} as unknown as number)).toThrow(InvalidArgumentError);
  });
});
