import { describe, expect, it } from 'vitest';
import { LOG1P_METHOD, log1p, log1pSource } from '@crossgrad/libm';
import { exactOf, log1pExact, nearest, ulpError } from './exact.js';
import { accuracy, inlined, random } from './support.js';

const SEED = Date.now() % 1_000_000;
const inline = inlined(log1pSource);

/** Arguments from each range that matters: (0, 1] (softplus's), both sides of the fast path, tiny, huge. */
function args(n: number): number[] {
  const next = random(SEED);
  const xs: number[] = [];
  for (let j = 0; j < 3 * n; j++) xs.push(next());
  for (let j = 0; j < n; j++) xs.push(-next() * 0.999);
  for (let j = 0; j < n; j++) xs.push(-1 + 2 ** (-52 * next()));
  for (let j = 0; j < n; j++) xs.push(-0.002 + 0.004 * next());
  for (let j = 0; j < n; j++) xs.push(0.99 + 0.02 * next());
  for (let j = 0; j < n; j++) xs.push((next() < 0.5 ? -1 : 1) * 2 ** (-99 + 90 * next()));
  for (let j = 0; j < n; j++) xs.push(2 ** (1000 * next()));
  return xs;
}

describe(`log1p (seed ${SEED})`, () => {
  it('its table holds each interval`s point c (M = 1/c of 26 bits) and ln c rounded, within 2^-10 ulp', () => {
    const { table } = LOG1P_METHOD;
    expect(table.length).toBe(3 * 769);
    for (let i = 0; i < 769; i++) {
      const m = table[3 * i];
      const lo = 0.5 - 2 ** -10 + i * 2 ** -9;
      // c = 1/M lies in its interval (M·lo <= 1 < M·(lo + 2^-9), in exact arithmetic: M·lo is exact here).
      expect(m * lo <= 1 && m * (lo + 2 ** -9) > 1, `interval ${i}`).toBe(true);
      const { m: mantissa } = exactOf(m);
      expect(mantissa.toString(2).replace(/0+$/, '').length).toBeLessThanOrEqual(26);
      expect(table[3 * i + 1]).toBe(1 - m);
      // ln c = -ln M = -log1p(M - 1), M - 1 exact.
      const lnM = log1pExact(m - 1);
      const lnC = { m: -lnM.m, e: lnM.e };
      if (m === 1) expect(Object.is(table[3 * i + 2], -0)).toBe(true);
      else {
        expect(table[3 * i + 2]).toBe(nearest(lnC));
        expect(Math.abs(ulpError(lnC, table[3 * i + 2]))).toBeLessThan(2 ** -10);
      }
    }
  });

  it('is within 0.502 ulp of ln(1 + x) everywhere and correctly rounded for more than 99.9% of arguments', () => {
    const xs = args(1_500);
    const { worst, rounded } = accuracy(xs, log1p, log1pExact);
    expect(worst).toBeLessThan(0.502);
    expect(rounded).toBeGreaterThan(0.999);
  });

  it('refuses anything but a number with a TypeError naming what it got (Math.log1p would convert it)', () => {
    const call = (x: unknown) => () => log1p(x as number);
    expect(call('0.5')).toThrow(new TypeError("log1p: x must be a number, got the string '0.5'"));
    expect(call(undefined)).toThrow(new TypeError('log1p: x must be a number, got undefined'));
    expect(call(null)).toThrow(new TypeError('log1p: x must be a number, got null'));
    expect(call({})).toThrow(new TypeError('log1p: x must be a number, got object'));
    expect(call(1n)).toThrow(new TypeError('log1p: x must be a number, got bigint'));
  });

  it('gives the edges their values', () => {
    expect(Object.is(log1p(0), 0)).toBe(true);
    expect(Object.is(log1p(-0), -0)).toBe(true);
    expect(log1p(-1)).toBe(-Infinity);
    expect(log1p(-1.5)).toBeNaN();
    expect(log1p(-Infinity)).toBeNaN();
    expect(log1p(NaN)).toBeNaN();
    expect(log1p(Infinity)).toBe(Infinity);
    expect(log1p(1)).toBe(Math.LN2);
    expect(log1p(Math.E - 1)).toBe(1);
    expect(log1p(1.7976931348623157e308)).toBe(709.782712893384);
    for (const tiny of [5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, -1e-300, 2 ** -54, -(2 ** -54)]) {
      expect(log1p(tiny)).toBe(tiny);
    }
  });

  it('the ends of the fast path and of its intervals: the exact value, rounded, on both sides', () => {
    const ends = [-0.5, -(2 ** -10), 1 - 2 ** -9, 1, 1 + 2 ** -11, 2 ** -10, 0.5, 1 - 2 ** -10];
    for (let i = 0; i < 769; i += 7) ends.push(-0.5 - 2 ** -10 + i * 2 ** -9);
    for (const end of ends) {
      for (const x of [end, end + 2 ** -40, end - 2 ** -40, end + 2 ** -26, end - 2 ** -26]) {
        expect(Math.abs(ulpError(log1pExact(x), log1p(x))), `log1p(${x})`).toBeLessThan(0.502);
      }
    }
  });

  it('log1pSource runs the same operations: the same bits as log1p on every argument', () => {
    const edges = [0, -0, 1, -1, -2, 1e-300, -1e-300, 5e-324, -0.5, 1 - 2 ** -9, Infinity, -Infinity, NaN];
    for (const x of [...args(300), ...edges])
      expect(Object.is(inline(x), log1p(x)), `log1p(${x})`).toBe(true);
  });
});
