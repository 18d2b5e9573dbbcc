import { describe, expect, test } from 'vitest';
import { Value, div, max, min, pow, reciprocalSquare, relu, sub } from '@crossgrad/autograd';

type Fn = (xs: Value[]) => Value;

/** Gradient of `f` at `point` by backward(). */
function backwardGradient(f: Fn, point: readonly number[]): number[] {
  const xs = point.map((x) => new Value(x));
  f(xs).backward();
  return xs.map((x) => x.grad);
}

/** Central difference, h scaled to the coordinate; error O(h²) ≈ 1e-10 relative for these smooth functions. */
function centralDifference(f: Fn, point: readonly number[]): number[] {
  return point.map((_, i) => {
    const h = 1e-5 * Math.max(1, Math.abs(point[i]));
    const at = (dx: number) => f(point.map((x, j) => new Value(j === i ? x + dx : x))).data;
    return (at(h) - at(-h)) / (2 * h);
  });
}

const cases: [string, Fn, number[][]][] = [
  [
    'add',
    ([a, b]) => a.add(b),
    [
      [0.3, -1.2],
      [2, 5],
    ],
  ],
  [
    'sub',
    ([a, b]) => a.sub(b),
    [
      [0.3, -1.2],
      [2, 5],
    ],
  ],
  [
    'mul',
    ([a, b]) => a.mul(b),
    [
      [0.3, -1.2],
      [-2, 5],
    ],
  ],
  [
    'div',
    ([a, b]) => a.div(b),
    [
      [0.3, -1.2],
      [-2, 5],
    ],
  ],
  ['neg', ([a]) => a.neg(), [[0.7], [-3]]],
  ['pow 2', ([a]) => a.pow(2), [[0.7], [-3]]],
  ['pow 3', ([a]) => a.pow(3), [[0.7], [-3]]],
  ['pow -1', ([a]) => a.pow(-1), [[0.7], [-3]]],
  ['pow 0.5', ([a]) => a.pow(0.5), [[0.7], [3]]],
  ['pow -2.5', ([a]) => a.pow(-2.5), [[0.7], [3]]],
  [
    'pow Value exponent',
    ([a, b]) => a.pow(b),
    [
      [0.7, 1.3],
      [2, -0.5],
      [3, 2],
    ],
  ],
  ['exp', ([a]) => a.exp(), [[0.7], [-3]]],
  ['log', ([a]) => a.log(), [[0.7], [3]]],
  ['sqrt', ([a]) => a.sqrt(), [[0.7], [3]]],
  ['sin', ([a]) => a.sin(), [[0.7], [-3]]],
  ['cos', ([a]) => a.cos(), [[0.7], [-3]]],
  ['tan', ([a]) => a.tan(), [[0.7], [-3], [1.5]]],
  ['tanh', ([a]) => a.tanh(), [[0.7], [-3]]],
  ['asin', ([a]) => a.asin(), [[0.7], [-0.3]]],
  ['acos', ([a]) => a.acos(), [[0.7], [-0.3]]],
  ['atan', ([a]) => a.atan(), [[0.7], [-3]]],
  ['sinh', ([a]) => a.sinh(), [[0.7], [-3]]],
  ['cosh', ([a]) => a.cosh(), [[0.7], [-3]]],
  ['asinh', ([a]) => a.asinh(), [[0.7], [-3]]],
  ['acosh', ([a]) => a.acosh(), [[1.7], [3]]],
  ['atanh', ([a]) => a.atanh(), [[0.7], [-0.3]]],
  [
    'atan2',
    ([a, b]) => a.atan2(b),
    [
      [0.3, -1.2],
      [-2, 5],
      [1, 0],
    ],
  ],
  [
    'min',
    ([a, b]) => a.min(b),
    [
      [0.3, -1.2],
      [-2, 5],
    ],
  ],
  [
    'max',
    ([a, b]) => a.max(b),
    [
      [0.3, -1.2],
      [-2, 5],
    ],
  ],
  ['sigmoid', ([a]) => a.sigmoid(), [[0.7], [-3]]],
  ['softplus', ([a]) => a.softplus(), [[0.7], [-3], [0], [40]]],
  ['relu', ([a]) => a.relu(), [[0.7], [-3]]],
  ['abs', ([a]) => a.abs(), [[0.7], [-3]]],
  ['rsub', ([a]) => a.rsub(2), [[0.7], [-3]]],
  ['rdiv', ([a]) => a.rdiv(2), [[0.7], [-3]]],
  ['rpow', ([a]) => a.rpow(2.5), [[0.7], [-3]]],
  ['free sub/div/pow', ([a, b]) => div(sub(1, a), pow(b, a)), [[0.7, 1.5]]],
  [
    'a composite with shared nodes',
    ([a, b]) => {
      const s = a.mul(b).add(a.sin());
      return s.mul(s).div(b.exp().add(1)).add(s.tanh().pow(3));
    },
    [
      [0.4, -0.9],
      [1.5, 0.2],
    ],
  ],
];

describe('every op against a central difference', () => {
  for (const [name, f, points] of cases) {
    test.each(points)(`${name} at %s`, (...point: number[]) => {
      const got = backwardGradient(f, point);
      const want = centralDifference(f, point);
      got.forEach((g, i) =>
        expect(Math.abs(g - want[i])).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(want[i]))),
      );
    });
  }
});

describe('conventions at edge points (those of the rule table, as in PyTorch)', () => {
  const grad1 = (f: (a: Value) => Value, x: number) => {
    const a = new Value(x);
    const y = f(a);
    y.backward();
    return [y.data, a.grad];
  };

  test("relu'(0) = 0 and abs'(0) = 0, the sign elsewhere", () => {
    expect(grad1((a) => a.relu(), 0)).toEqual([0, 0]);
    expect(grad1((a) => a.relu(), -2)).toEqual([0, 0]);
    expect(grad1((a) => a.relu(), 2)).toEqual([2, 1]);
    expect(grad1((a) => a.abs(), 0)).toEqual([0, 0]);
    expect(grad1((a) => a.abs(), -2)).toEqual([2, -1]);
  });

  test('min and max at a tie: the second argument gets the gradient, so max(x, 0) is relu(x) at 0 too', () => {
    const grad2 = (f: (a: Value, b: Value) => Value, a0: number, b0: number) => {
      const a = new Value(a0);
      const b = new Value(b0);
      const y = f(a, b);
      y.backward();
      return [y.data, a.grad, b.grad];
    };
    expect(grad2(max, 1, 1)).toEqual([1, 0, 1]);
    expect(grad2(min, 1, 1)).toEqual([1, 0, 1]);
    expect(grad2(max, 2, 1)).toEqual([2, 1, 0]);
    expect(grad2(min, 2, 1)).toEqual([1, 0, 1]);
    for (const x of [-1, 0, 1]) expect(grad1((a) => max(a, 0), x)).toEqual(grad1(relu, x));
    // max(a, a): the identity's gradient, 1.
    expect(grad1((a) => a.max(a), 3)).toEqual([3, 1]);
    expect(grad2(max, NaN, 1)).toEqual([NaN, 0, 1]);
  });

  test('the ends of the inverse functions and atan2 at the origin give IEEE values', () => {
    expect(grad1((a) => a.asin(), 1)).toEqual([Math.PI / 2, Infinity]);
    expect(grad1((a) => a.asin(), -1)).toEqual([-Math.PI / 2, Infinity]);
    expect(grad1((a) => a.acos(), 1)).toEqual([0, -Infinity]);
    expect(grad1((a) => a.acos(), 2)).toEqual([NaN, NaN]);
    expect(grad1((a) => a.acosh(), 1)).toEqual([0, Infinity]);
    expect(grad1((a) => a.acosh(), 0.5)).toEqual([NaN, NaN]);
    expect(grad1((a) => a.atanh(), 1)).toEqual([Infinity, Infinity]);
    expect(grad1((a) => a.atanh(), -1)).toEqual([-Infinity, Infinity]);
    const y = new Value(0);
    const x = new Value(0);
    const t = y.atan2(x);
    t.backward();
    expect([t.data, y.grad, x.grad]).toEqual([0, NaN, NaN]);
    expect(new Value(0).atan2(-1).data).toBe(Math.PI);
  });

  test('x / 0 and log, sqrt outside their domain give IEEE values', () => {
    const b = new Value(0);
    const q = div(1, b);
    q.backward();
    expect([q.data, b.grad]).toEqual([Infinity, -Infinity]);
    const zero = new Value(0);
    expect(div(zero, new Value(0)).data).toBeNaN();
    expect(grad1((a) => a.div(0), 1)).toEqual([Infinity, Infinity]);
    expect(grad1((a) => a.div(0), -1)).toEqual([-Infinity, Infinity]);
    expect(grad1((a) => a.log(), -1)).toEqual([NaN, -1]);
    expect(grad1((a) => a.log(), 0)).toEqual([-Infinity, Infinity]);
    expect(grad1((a) => a.sqrt(), -1)).toEqual([NaN, NaN]);
    expect(grad1((a) => a.sqrt(), 0)).toEqual([0, Infinity]);
  });

  test('saturating ops stay finite: sigmoid(-1000), tanh(1000)', () => {
    expect(grad1((a) => a.sigmoid(), -1000)).toEqual([0, 0]);
    expect(grad1((a) => a.tanh(), 1000)).toEqual([1, 0]);
    expect(grad1((a) => a.exp(), 1000)).toEqual([Infinity, Infinity]);
  });

  test('softplus is log(1 + e^x) without overflow or lost digits, derivative sigmoid(x)', () => {
    expect(grad1((a) => a.softplus(), 0)).toEqual([Math.LN2, 0.5]);
    expect(grad1((a) => a.softplus(), 1000)).toEqual([1000, 1]); // log(1 + e^1000) overflows
    const [y, d] = grad1((a) => a.softplus(), -800);
    expect(y).toBe(0); // e^-800 underflows to 0, as the exact value does in doubles
    expect(d).toBe(0);
    const [small] = grad1((a) => a.softplus(), -40);
    expect(small).toBe(Math.log1p(Math.exp(-40))); // naive log(1 + e^-40) would be 0
    expect(small).toBeGreaterThan(0);
    const x = 1.3;
    expect(grad1((a) => a.softplus(), x)).toEqual([x + Math.log1p(Math.exp(-x)), 1 / (1 + Math.exp(-x))]);
  });

  test('tan: value Math.tan, derivative 1 + t² from the value; IEEE arithmetic near the pole', () => {
    const t = Math.tan(0.7);
    expect(grad1((a) => a.tan(), 0.7)).toEqual([t, 1 + t * t]);
    const [y, d] = grad1((a) => a.tan(), Math.PI / 2);
    expect(y).toBeGreaterThan(1e15); // π/2 is not exactly representable: a huge finite value
    expect(d).toBe(1 + y * y);
  });

  test('pow with a number exponent as PyTorch: d/da = 0 where k == 0, else k·a^(k-1)', () => {
    expect(grad1((a) => a.pow(0), 0)).toEqual([1, 0]);
    expect(grad1((a) => a.pow(0), 5)).toEqual([1, 0]);
    expect(grad1((a) => a.pow(2), 0)).toEqual([0, 0]);
    expect(grad1((a) => a.pow(0.5), 0)).toEqual([0, Infinity]);
    expect(grad1((a) => a.pow(-1), 0)).toEqual([Infinity, -Infinity]);
    expect(grad1((a) => a.pow(0.5), -4)).toEqual([NaN, NaN]);
  });

  test("pow -1 (every division): derivative -1/a² correctly rounded (CPython's micrograd's), so the lecture's neuron gives 0.5", () => {
    for (const x of [0.7, -3, 3, -1.7288170196519247e-8, 1e-160, 1e200, 0, -0, Infinity, NaN]) {
      const [y, d] = grad1((a) => a.pow(-1), x);
      expect(Object.is(y, Math.pow(x, -1))).toBe(true);
      expect(Object.is(d, 0 + -1 * reciprocalSquare(x))).toBe(true); // a.grad starts at 0
    }
    // Where V8's Math.pow(x, -2) is one ulp off: the correctly rounded value, as CPython's x ** -2.
    expect(grad1((a) => a.pow(-1), -1.7288170196519247e-8)[1]).toBe(-3345815133754005.5);
    // micrograd's neuron with tanh written out: o = (e^2n - 1) / (e^2n + 1) at n = 0.8814, do/dn = 0.5 exactly.
    // d/da a^-1 as -(y·y) from y = 1/a (PyTorch's reciprocal; faster) gives 0.4999999999999999 here.
    const n = new Value(0.8813735870195432);
    const e = n.mul(2).exp();
    e.sub(1).div(e.add(1)).backward();
    expect(n.grad).toBe(0.5);
  });

  test('pow with a Value exponent: d/db = 0 where a == 0 and b >= 0 (the limit), NaN at the pole b < 0, else a^b·ln a', () => {
    const both = (x: number, y: number) => {
      const a = new Value(x);
      const b = new Value(y);
      const p = a.pow(b);
      p.backward();
      return [p.data, a.grad, b.grad];
    };
    expect(both(0, 2)).toEqual([0, 0, 0]);
    expect(both(0, 0)).toEqual([1, 0, 0]);
    expect(both(0, 0.5)).toEqual([0, Infinity, 0]);
    // At the pole symbolic's a^b · logz(a) is ∞ · 0 = NaN; autograd gives the same (PyTorch: -∞).
    expect(both(0, -1)).toEqual([Infinity, -Infinity, NaN]);
    expect(both(-1, 2)).toEqual([1, -2, NaN]);
    expect(both(2, 3)).toEqual([8, 12, 8 * Math.log(2)]);
  });

  test('NaN flows through every op and into the gradients', () => {
    const a = new Value(-1, 'a');
    const y = a.log().mul(2).add(a.exp());
    y.backward();
    expect(y.data).toBeNaN();
    expect(a.grad).toBe(2 * -1 + Math.exp(-1)); // log'(-1) = -1 is finite: IEEE arithmetic, not a blanket NaN
    const z = new Value(-1).sqrt().tanh().relu();
    expect(z.data).toBeNaN();
  });
});
