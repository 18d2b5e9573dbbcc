import { describe, expect, test } from 'vitest';
import {
  cabs,
  cadd,
  ccos,
  cexp,
  clog,
  cmul,
  complex,
  cpow,
  crecip,
  crelu,
  csigmoid,
  csign,
  csin,
  csoftplus,
  csqrt,
  cstep,
  ctan,
  ctanh,
  type Complex,
} from '../src/complex.js';

const h = 1e-20;

/** The slope the complex step reads off one function at a real point. */
function slope(f: (z: Complex) => Complex, x: number): number {
  return f(complex(x, h)).im / h;
}

function expectRel(actual: number, expected: number, rel = 1e-15): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe('complex arithmetic for the complex step', () => {
  test('field operations', () => {
    expect(cadd(complex(1, 2), complex(3, 4))).toEqual({ re: 4, im: 6 });
    expect(cmul(complex(1, 2), complex(3, 4))).toEqual({ re: -5, im: 10 });
    expect(crecip(complex(0.5, 0.5))).toEqual({ re: 1, im: -1 });
    // Smith's algorithm: a large real part does not overflow in c² + d².
    const r = crecip(complex(1e200, 1e180));
    expectRel(r.re, 1e-200);
    expectRel(r.im, -1e-220);
  });

  test('each function: real part is the real function, slope its derivative, to rounding', () => {
    const x = 0.7;
    const cases: [string, (z: Complex) => Complex, number, number][] = [
      ['exp', cexp, Math.exp(x), Math.exp(x)],
      ['log', clog, Math.log(x), 1 / x],
      ['sqrt', csqrt, Math.sqrt(x), 0.5 / Math.sqrt(x)],
      ['sin', csin, Math.sin(x), Math.cos(x)],
      ['cos', ccos, Math.cos(x), -Math.sin(x)],
      ['tanh', ctanh, Math.tanh(x), 1 / Math.cosh(x) ** 2],
      ['sigmoid', csigmoid, 1 / (1 + Math.exp(-x)), Math.exp(-x) / (1 + Math.exp(-x)) ** 2],
      ['tan', ctan, Math.tan(x), 1 + Math.tan(x) ** 2],
      ['softplus', csoftplus, Math.log(1 + Math.exp(x)), 1 / (1 + Math.exp(-x))],
      ['recip', crecip, 1 / x, -1 / (x * x)],
      ['pow 2.5', (z) => cpow(z, complex(2.5)), x ** 2.5, 2.5 * x ** 1.5],
    ];
    for (const [name, f, value, derivative] of cases) {
      expect.soft(Math.abs(f(complex(x, h)).re - value), name).toBeLessThanOrEqual(1e-15 * Math.abs(value));
      expect.soft(Math.abs(slope(f, x) - derivative), name).toBeLessThanOrEqual(2e-15 * Math.abs(derivative));
    }
  });

  test('tanh and sigmoid far out keep their tiny slopes instead of cancelling to 0', () => {
    expectRel(slope(ctanh, 20), 1 / Math.cosh(20) ** 2, 1e-14);
    expect(slope(ctanh, 20)).toBeGreaterThan(0);
    expectRel(slope(csigmoid, -40), Math.exp(-40), 1e-14);
    expect(csigmoid(complex(-800, h)).re).toBe(0);
    expect(ctanh(complex(400, h))).toEqual({ re: 1, im: 0 });
  });

  test('tan next to a pole: Math.tan itself, and the slope 1 + tan² without cancellation', () => {
    const a = 1.5707; // 1e-4 from the pole
    const t = Math.tan(a);
    expect(t).toBeGreaterThan(1e4);
    expect(ctan(complex(a, h)).re).toBe(t);
    expectRel(slope(ctan, a), 1 + t * t, 1e-15);
    expectRel(slope(ctan, -1.2), 1 + Math.tan(-1.2) ** 2, 1e-15);
    expect(ctan(complex(NaN, h)).re).toBeNaN();
  });

  test('softplus far out: no overflow, the tiny slope kept, 0 only by underflow', () => {
    expectRel(slope(csoftplus, -40), Math.exp(-40), 1e-14);
    expect(csoftplus(complex(-40, h)).re).toBe(Math.log1p(Math.exp(-40)));
    expect(csoftplus(complex(800, h))).toEqual({ re: 800, im: h });
    expect(csoftplus(complex(-800, h))).toEqual({ re: 0, im: 0 });
    expect(csoftplus(complex(0, h)).re).toBe(Math.LN2);
    expect(slope(csoftplus, 0)).toBe(0.5);
    expect(csoftplus(complex(Infinity, h)).re).toBe(Infinity);
    expect(csoftplus(complex(NaN, h)).re).toBeNaN();
  });

  test('integer powers of a negative base are exact; fractional ones are NaN as in real arithmetic', () => {
    expect(cpow(complex(-2, h), complex(3))).toEqual({ re: -8, im: 12 * h });
    expectRel(cpow(complex(-2, h), complex(-2)).im / h, -2 * (-2) ** -3);
    expect(cpow(complex(-2, h), complex(0.5)).re).toBeNaN();
    // A variable exponent on a negative base: d/db a^b = a^b ln a is NaN.
    expect(cpow(complex(-2), complex(2, h)).im).toBeNaN();
  });

  test('a variable exponent: slope a^b ln a', () => {
    expectRel(cpow(complex(2), complex(3, h)).im / h, 8 * Math.LN2);
  });

  test('zero base follows PyTorch: 0^b slope b·0^(b-1) in the base, 0 in the exponent for b >= 0', () => {
    expect(cpow(complex(0, h), complex(2))).toEqual({ re: 0, im: 0 });
    expect(cpow(complex(0, h), complex(1))).toEqual({ re: 0, im: h });
    expect(cpow(complex(0, h), complex(0))).toEqual({ re: 1, im: 0 });
    expect(cpow(complex(0, h), complex(2.5))).toEqual({ re: 0, im: 0 });
    expect(cpow(complex(0, h), complex(0.5)).im).toBe(Infinity);
    expect(cpow(complex(0), complex(3, h))).toEqual({ re: 0, im: 0 });
    // a^b·ln a at a = 0, b < 0: Infinity · -Infinity.
    expect(cpow(complex(0), complex(-1.5, h)).im).toBe(-Infinity);
    expect(cpow(complex(0, h), complex(-1)).re).toBe(Infinity);
  });

  test('poles and domain edges: infinities and NaN, never a branch value posing as a slope', () => {
    expect(crecip(complex(0, h))).toEqual({ re: Infinity, im: -Infinity });
    expect(clog(complex(0, h))).toEqual({ re: -Infinity, im: Infinity });
    expect(csqrt(complex(0, h))).toEqual({ re: 0, im: Infinity });
    expect(clog(complex(-1, h)).re).toBeNaN();
    expect(csqrt(complex(-1, h)).im).toBeNaN();
  });

  test('relu, abs, step and sign follow the sign of the real part; slope 0 at the kink', () => {
    expect(crelu(complex(2, h))).toEqual({ re: 2, im: h });
    expect(crelu(complex(-2, h))).toEqual({ re: 0, im: 0 });
    expect(crelu(complex(0, h))).toEqual({ re: 0, im: 0 });
    expect(crelu(complex(NaN, h)).re).toBeNaN();
    expect(cabs(complex(-2, h))).toEqual({ re: 2, im: -h });
    expect(cabs(complex(0, h))).toEqual({ re: 0, im: 0 });
    expect(cstep(complex(3, h))).toEqual({ re: 1, im: 0 });
    expect(cstep(complex(0, h))).toEqual({ re: 0, im: 0 });
    expect(csign(complex(-3, h))).toEqual({ re: -1, im: 0 });
    expect(csign(complex(0, h))).toEqual({ re: 0, im: 0 });
  });
});
