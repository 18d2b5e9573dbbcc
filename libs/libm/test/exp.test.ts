import { describe, expect, it } from 'vitest';
import { EXP_METHOD, INLINE_SCOPE, exp, expSource } from '@crossgrad/libm';
import { P, exp2Fraction, expExact, nearest, ulpError } from './exact.js';
import { accuracy, inlined, random } from './support.js';

const SEED = Date.now() % 1_000_000;
const inline = inlined(expSource);

/** Arguments from each range that matters: everywhere, near 0, near the ends, tiny ones. */
function args(n: number): number[] {
  const next = random(SEED);
  const ranges: [number, number][] = [
    [-708, 708],
    [-2, 2],
    [-0.01, 0.01],
    [-745.2, -700],
    [700, 709.78],
  ];
  const xs: number[] = [];
  for (const [lo, hi] of ranges) for (let j = 0; j < n; j++) xs.push(lo + (hi - lo) * next());
  for (let j = 0; j < n; j++) xs.push((next() < 0.5 ? -1 : 1) * 2 ** (-100 + 95 * next()));
  return xs;
}

describe(`exp (seed ${SEED})`, () => {
  it('its tables are 2^(i/128) rounded to nearest and the relative error of that rounding', () => {
    const { scale, tail } = EXP_METHOD;
    expect(scale.length).toBe(128);
    for (let i = 0; i < 128; i++) {
      const exact = exp2Fraction(i, 128);
      expect(scale[i]).toBe(nearest({ m: exact, e: -Number(P) }));
      const s = BigInt(scale[i] * 2 ** 52) << (P - 52n);
      expect(tail[i]).toBe(nearest({ m: ((exact - s) << P) / s, e: -Number(P) }));
    }
  });

  it('is within 0.51 ulp of e^x everywhere and correctly rounded for more than 99.5% of arguments', () => {
    const xs = args(2_000);
    const { worst, rounded } = accuracy(xs, exp, expExact);
    expect(worst).toBeLessThan(0.51);
    expect(rounded).toBeGreaterThan(0.995);
  });

  it('refuses anything but a number with a TypeError naming what it got (Math.exp would convert it)', () => {
    const call = (x: unknown) => () => exp(x as number);
    expect(call('0.5')).toThrow(new TypeError("exp: x must be a number, got the string '0.5'"));
    expect(call(undefined)).toThrow(new TypeError('exp: x must be a number, got undefined'));
    expect(call(null)).toThrow(new TypeError('exp: x must be a number, got null'));
    expect(call({})).toThrow(new TypeError('exp: x must be a number, got object'));
    expect(call(1n)).toThrow(new TypeError('exp: x must be a number, got bigint'));
  });

  it('gives the edges their values', () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(1)).toBe(Math.E);
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(NaN)).toBeNaN();
    expect(exp(1e-300)).toBe(1);
    expect(exp(-1e-300)).toBe(1);
    expect(exp(2 ** -52)).toBe(1 + 2 ** -52);
    expect(exp(-(2 ** -53))).toBe(1 - 2 ** -53);
    // The largest finite result and the first argument past it; the smallest subnormal and the first past it.
    expect(exp(709.782712893384)).toBe(1.7976931348622732e308);
    expect(exp(709.7827128933841)).toBe(Infinity);
    expect(exp(-745.1332191019411)).toBe(5e-324);
    expect(exp(-745.1332191019412)).toBe(0);
    expect(exp(1000)).toBe(Infinity);
    expect(exp(-1000)).toBe(0);
  });

  it('rounds subnormal results once (within 0.51 ulp of the subnormals spacing)', () => {
    const next = random(SEED + 1);
    for (let j = 0; j < 2_000; j++) {
      const x = -745.13 + 37 * next();
      expect(Math.abs(ulpError(expExact(x), exp(x)))).toBeLessThan(0.51);
    }
  });

  it('expSource runs the same operations: the same bits as exp on every argument', () => {
    const edges = [
      0,
      -0,
      1,
      -1,
      708,
      -708,
      708.0000000000001,
      709.78,
      -745.1,
      1e-300,
      -1e-300,
      Infinity,
      -Infinity,
      NaN,
    ];
    for (const x of [...args(2_000), ...edges]) expect(Object.is(inline(x), exp(x))).toBe(true);
  });

  it('expSource declares nothing outside its block, so it can be written twice in one scope', () => {
    const twice = new Function(
      ...INLINE_SCOPE.names,
      `return (a, b) => { let y, z; ${expSource('y', 'a')} ${expSource('z', 'b')} return y + z; };`,
    )(...INLINE_SCOPE.values) as (a: number, b: number) => number;
    expect(twice(1, 0)).toBe(Math.E + 1);
  });
});
