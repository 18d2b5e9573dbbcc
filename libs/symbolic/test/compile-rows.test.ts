import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  compileRows,
  evaluate,
  gradient,
  parse,
  SymbolicError,
  UnknownVariableError,
} from '../src/index.js';

const rows = 37;
const xs = Array.from({ length: rows }, (_, i) => 0.25 + i * 0.31);
const ys = xs.map((x) => Math.cos(x) + 2);

describe('compileRows', () => {
  it.each([
    'b1*(1-exp(-b2*x)) - y',
    'exp(-b1*x)/(b2+b3*x) - y',
    'b1*(x^2+x*b2) / (x^2+x*b3+b4) - log(y)',
    'sqrt((x-b1)^2 + (y-b2)^2) - b3',
    'b1 / ((1+exp(b2-b3*x))^(1/b4)) - y + tanh(b1) * sigmoid(b2)',
  ])('%s: values and Jacobian identical to evaluate() of the expression and its gradient', (src) => {
    const e = parse(src);
    const params = ['b1', 'b2', 'b3', 'b4'].filter((p) => src.includes(p));
    const p = params.length;
    const b = [0.7, 1.3, 0.4, 2.1].slice(0, p);
    const grads = gradient(e, params);
    const values = new Float64Array(rows);
    const rowMajor = new Float64Array(rows * p);
    const colMajor = new Float64Array(rows * p);
    compileRows(e, params, ['x', 'y'])(b, [xs, ys], values, rowMajor);
    compileRows(e, params, ['x', 'y'], { layout: 'column-major' })(b, [xs, ys], values, colMajor);
    const only = new Float64Array(rows);
    compileRows(e, params, ['x', 'y'])(b, [xs, ys], only);
    for (let i = 0; i < rows; i++) {
      const scope = { ...Object.fromEntries(params.map((n, j) => [n, b[j]])), x: xs[i], y: ys[i] };
      expect(Object.is(values[i], evaluate(e, scope))).toBe(true);
      expect(Object.is(only[i], values[i])).toBe(true);
      for (let j = 0; j < p; j++) {
        const d = evaluate(grads.get(params[j])!, scope);
        expect(Object.is(rowMajor[i * p + j], d)).toBe(true);
        expect(Object.is(colMajor[j * rows + i], d)).toBe(true);
      }
    }
  });

  it('computes what depends on the parameters alone once, before the loop', () => {
    const k = compileRows(parse('exp(a) * x'), ['a'], ['x']);
    const source = k.toString();
    const loop = source.indexOf('for (');
    expect(source.indexOf('Math.exp')).toBeLessThan(loop);
    const r = new Float64Array(2);
    const J = new Float64Array(2);
    k([0], [[2, 3]], r, J);
    expect([...r, ...J]).toEqual([2, 3, 2, 3]);
  });

  it('names a variable that is neither a parameter nor a column', () => {
    const call = () => compileRows(parse('a * x + z'), ['a'], ['x']);
    expect(call).toThrow(UnknownVariableError);
    expect(call).toThrow(
      "compileRows: the expression uses 'z', which is neither a parameter [a] nor a column [x]",
    );
  });

  it('refuses a name that is both a parameter and a column', () => {
    const call = () => compileRows(parse('a * x'), ['a', 'x'], ['x']);
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow("compileRows: 'x' is both a parameter and a column");
  });

  it('checks the kernel arguments', () => {
    const k = compileRows(parse('a * x'), ['a'], ['x']);
    expect(() => k([1, 2], [[1]], new Float64Array(1))).toThrow(ArgumentError);
    expect(() => k([1], [[1]], new Float64Array(2))).toThrow(
      'compileRows kernel: column x must hold at least 2 numbers',
    );
    expect(() => k([1], [[1]], new Float64Array(1), new Float64Array(0))).toThrow(
      'compileRows kernel: jacobianOut must be a Float64Array of at least 1 numbers',
    );
    expect(() => compileRows(parse('a'), ['a'], [], { layout: 'diagonal' as 'row-major' })).toThrow(
      SymbolicError,
    );
  });
});
