import { compileGraph, Value } from '@crossgrad/autograd';
import { compileGradient, parse } from '@crossgrad/symbolic';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, jacobian, rowJacobian } from '../src/index.js';

// What holds between the fit kernel (symbolic compileRows) and the other two ways of computing the same
// Jacobian, measured: the kernel's numbers are those of symbolic `evaluate` on `gradient` (tested in symbolic);
// its residuals are autograd's bit for bit when the model is written in the same order of operations; its
// partial derivatives come by a different association of the same products (a gradient expression, not reverse
// accumulation), so they agree with autograd's tape and with compileGradient to a few units in the last place.
const EPS = Number.EPSILON;
const rows = 50;
const xs = Array.from({ length: rows }, (_, i) => 0.3 + i * 0.17);
const ys = xs.map((x) => Math.sin(x));

const models: [string, (b: Value[], x: Value) => Value][] = [
  ['b1*(1-exp(-b2*x))', ([b1, b2], x) => b1.mul(new Value(1).sub(x.mul(b2).neg().exp()))],
  [
    'exp(-b1*x)/(b2+b3*x)',
    ([b1, b2, b3], x) =>
      b1
        .neg()
        .mul(x)
        .exp()
        .div(b2.add(b3.mul(x))),
  ],
];

describe('the fit kernel against autograd and compileGradient', () => {
  it.each(models)('%s', (src, build) => {
    const params = ['b1', 'b2', 'b3'].filter((p) => src.includes(p));
    const p = params.length;
    const b = [0.7, 1.3, 0.4].slice(0, p);
    const values = new Float64Array(rows);
    const J = new Float64Array(rows * p);
    rowJacobian(`${src} - y`, params, ['x', 'y'])(b, [xs, ys], values, J);

    const leaves = b.map((v, j) => new Value(v, params[j]));
    const x = new Value(0, 'x');
    const y = new Value(0, 'y');
    const residual = build(leaves, x).sub(y);
    const tape = rowJacobian(residual, leaves, [x, y]);
    const tapeValues = new Float64Array(rows);
    const tapeJ = new Float64Array(rows * p);
    tape(b, [xs, ys], tapeValues, tapeJ);
    const perRow = compileGraph(residual, [...leaves, x, y]);
    const symbolic = compileGradient(parse(`${src} - y`), [...params, 'x', 'y']);

    let identical = 0;
    for (let i = 0; i < rows; i++) {
      const auto = perRow.run([...b, xs[i], ys[i]]);
      expect(Object.is(values[i], auto.value)).toBe(true);
      expect(Object.is(tapeValues[i], auto.value)).toBe(true);
      const sym = symbolic(...b, xs[i], ys[i]);
      for (let j = 0; j < p; j++) {
        const k = J[i * p + j];
        expect(Object.is(tapeJ[i * p + j], auto.gradient[j])).toBe(true);
        expect(Math.abs(k - auto.gradient[j])).toBeLessThanOrEqual(4 * EPS * Math.abs(auto.gradient[j]));
        expect(Math.abs(k - sym.gradient[j])).toBeLessThanOrEqual(4 * EPS * Math.abs(sym.gradient[j]));
        if (Object.is(k, auto.gradient[j])) identical++;
      }
    }
    // Most, not all, entries are identical to autograd's.
    expect(identical).toBeGreaterThan((rows * p) / 2);
  });
});

describe('jacobian', () => {
  it('gives the Jacobian of several outputs, as eager backward does', () => {
    const a = new Value(1, 'a');
    const b = new Value(2, 'b');
    const outputs = [a.mul(b), a.add(b).tanh(), b.exp()];
    const kernel = jacobian(outputs, [a, b]);
    const values = new Float64Array(3);
    const J = new Float64Array(6);
    kernel([3, 4], values, J);
    const s = 1 - Math.tanh(7) ** 2;
    expect([...values]).toEqual([12, Math.tanh(7), Math.exp(4)]);
    expect([...J]).toEqual([4, 3, s, s, 0, Math.exp(4)]);
    const C = new Float64Array(6);
    jacobian(outputs, [a, b], { layout: 'column-major' })([3, 4], values, C);
    expect([...C]).toEqual([4, s, 0, 3, s, Math.exp(4)]);
  });

  it('rejects inputs that are not Values and a wrong point', () => {
    const a = new Value(1);
    expect(() => jacobian([a], [1 as unknown as Value])).toThrow(InvalidInputError);
    expect(() => jacobian([a], [1 as unknown as Value])).toThrow('inputs[0] must be a Value');
    expect(() => jacobian([a.mul(a)], [a])([1, 2], new Float64Array(1))).toThrow(
      'jacobian: x must hold 1 numbers, got 2',
    );
    expect(() => jacobian([a], [a], { layout: 'x' as 'row-major' })).toThrow(
      "layout must be 'row-major' or 'column-major', got x",
    );
  });

  it('circle fit: the README example', () => {
    const kernel = rowJacobian('sqrt((x-cx)^2 + (y-cy)^2) - r', ['cx', 'cy', 'r'], ['x', 'y']);
    const r = new Float64Array(2);
    const J = new Float64Array(6);
    kernel(
      [0, 0, 1],
      [
        [3, 0],
        [4, 2],
      ],
      r,
      J,
    );
    expect([...r]).toEqual([4, 1]);
    [-0.6, -0.8, -1, 0, -1, -1].forEach((v, k) => expect(J[k]).toBeCloseTo(v, 15));
  });
});
