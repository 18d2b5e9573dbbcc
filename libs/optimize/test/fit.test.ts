import { parse } from '@crossgrad/symbolic';
import { describe, expect, it } from 'vitest';
import { fit, InvalidInputError, NonFiniteError, UnknownVariableError } from '../src/index.js';

describe('fit', () => {
  it('fits a model to noise-free data exactly and reports residuals as model - response', () => {
    const x = Array.from({ length: 20 }, (_, i) => i / 2);
    const y = x.map((t) => 3 * (1 - Math.exp(-0.4 * t)));
    const r = fit('b1*(1-exp(-b2*x))', { x, y }, { b1: 1, b2: 1 });
    expect(r.converged, r.reason).toBe(true);
    expect(Math.abs(r.params.b1 - 3)).toBeLessThan(1e-12);
    expect(Math.abs(r.params.b2 - 0.4)).toBeLessThan(1e-12);
    expect(r.names).toEqual(['b1', 'b2']);
    const noisy = y.map((v, i) => v + 0.01 * Math.cos(5 * i));
    const f = fit('b1*(1-exp(-b2*x))', { x, y: noisy }, { b1: 1, b2: 1 });
    const { b1, b2 } = f.params;
    f.residuals.forEach((ri, i) => expect(ri).toBeCloseTo(b1 * (1 - Math.exp(-b2 * x[i])) - noisy[i], 14));
    expect(f.rss).toBeCloseTo(
      f.residuals.reduce((s, v) => s + v * v, 0),
      14,
    );
  });

  it('fits a response expression and accepts an Expr model', () => {
    const x = [1, 2, 3, 4, 5];
    const y = x.map((t) => Math.exp(0.5 + 0.3 * t));
    const r = fit(parse('a + b * x'), { x, y }, { a: 0, b: 0 }, { response: 'log(y)' });
    expect(r.params.a).toBeCloseTo(0.5, 12);
    expect(r.params.b).toBeCloseTo(0.3, 12);
  });

  it('gives the closed-form standard errors of a straight line', () => {
    const x = [0, 1, 2, 3, 4, 5, 6];
    const y = [1.2, 2.8, 5.3, 6.9, 9.2, 10.8, 13.1];
    const r = fit('a + b * x', { x, y }, { a: 0, b: 0 });
    const n = x.length;
    const mx = 3;
    const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
    const s2 = r.rss / (n - 2);
    expect(r.residualStdDev).toBeCloseTo(Math.sqrt(s2), 14);
    expect(Math.abs(r.standardErrors.b / Math.sqrt(s2 / sxx) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(r.standardErrors.a / Math.sqrt(s2 * (1 / n + (mx * mx) / sxx)) - 1)).toBeLessThan(1e-12);
  });

  it('takes typed arrays as columns', () => {
    const r = fit('a * x', { x: Float64Array.of(1, 2, 3), y: Float32Array.of(2, 4, 6) }, { a: 1 });
    expect(r.params.a).toBe(2);
  });

  it('says when the data do not determine a parameter', () => {
    const r = fit('a * b * x', { x: [1, 2, 3, 4], y: [2.1, 3.9, 6.2, 7.9] }, { a: 1, b: 1 });
    expect([r.termination, r.converged]).toEqual(['singular-jacobian', false]);
    expect(r.standardErrors.a === Infinity || r.standardErrors.b === Infinity).toBe(true);
    // The product is determined: the slope through the origin, Σxy / Σx².
    expect(r.params.a * r.params.b).toBeCloseTo(60.1 / 30, 12);
  });

  it('ignores data columns the model does not use', () => {
    const r = fit('a * x', { x: [1, 2, 3], y: [2, 4, 6], w: [0, 0, 0] }, { a: 1 });
    expect(r.params.a).toBe(2);
  });
});

describe('fit: typed errors before any iteration', () => {
  const data = { x: [1, 2, 3], y: [2, 4, 6] };

  it('a variable neither parameter nor column', () => {
    const call = () => fit('a * x + z', data, { a: 1 });
    expect(call).toThrow(UnknownVariableError);
    expect(call).toThrow(
      "fit: 'z' is neither a parameter (a key of start) nor a data column (known: a, x, y)",
    );
  });

  it('no column y and no response', () => {
    expect(() => fit('a * x', { x: [1, 2] }, { a: 1 })).toThrow(UnknownVariableError);
  });

  it('a start value missing or not finite', () => {
    expect(() => fit('a * x', data, {})).toThrow(InvalidInputError);
    expect(() => fit('a * x', data, {})).toThrow('fit: start gives no parameters');
    expect(() => fit('a * x + b', data, { a: 1 })).toThrow(UnknownVariableError);
    expect(() => fit('a * x', data, { a: Infinity })).toThrow(
      'fit: the start value of a must be a finite number, got Infinity',
    );
  });

  it('non-finite data', () => {
    const call = () => fit('a * x', { x: [1, NaN, 3], y: [2, 4, 6] }, { a: 1 });
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow('fit: column x row 1 is not a finite number: NaN');
  });

  it('columns of different lengths', () => {
    const call = () => fit('a * x', { x: [1, 2, 3], y: [2, 4] }, { a: 1 });
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow('fit: the columns have different lengths: x has 3 rows, y has 2');
  });

  it('fewer rows than parameters', () => {
    const call = () => fit('a * x + b + c * x^2', { x: [1, 2], y: [2, 4] }, { a: 1, b: 0, c: 0 });
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow('fit: 2 rows for 3 parameters: need at least as many rows as parameters');
  });

  it('a name both parameter and column', () => {
    expect(() => fit('a * x', data, { a: 1, x: 1 })).toThrow(
      "fit: 'x' is both a parameter and a data column",
    );
  });

  it('a model or response that does not parse', () => {
    const call = () => fit('a * sec(x)', data, { a: 1 });
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow("fit: the model does not parse: unknown function 'sec'");
    expect(() => fit('a * x', data, { a: 1 }, { response: 'y +' })).toThrow(
      'fit: the response does not parse',
    );
  });

  it('residuals not finite at the start', () => {
    const call = () => fit('log(a * x)', data, { a: -1 });
    expect(call).toThrow(NonFiniteError);
    expect(call).toThrow('the residuals are not finite at the start point');
  });
});
