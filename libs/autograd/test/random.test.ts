import { describe, expect, test } from 'vitest';
import { InvalidArgumentError, Random } from '@crossgrad/autograd';

const draws = (r: Random, n: number) => Array.from({ length: n }, () => r.next());

describe('Random', () => {
  test('the same seed gives the same sequence; other seeds give other sequences', () => {
    expect(draws(new Random(1337), 100)).toEqual(draws(new Random(1337), 100));
    const seqs = [0, 1, 2, 1337, 2 ** 40, -5].map((s) => draws(new Random(s), 4).join());
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(draws(new Random(), 4)).toEqual(draws(new Random(0), 4));
  });

  test('next() is in [0, 1) with the moments of a uniform distribution', () => {
    const xs = draws(new Random(7), 100_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    const buckets = new Array<number>(10).fill(0);
    for (const x of xs) buckets[Math.floor(x * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  test('uniform(lo, hi), normal(mean, std) and int(n) draw from the right ranges', () => {
    const r = new Random(3);
    const us = Array.from({ length: 10_000 }, () => r.uniform(-2, 2));
    expect(Math.min(...us)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...us)).toBeLessThan(2);
    expect(Math.max(...us) - Math.min(...us)).toBeGreaterThan(3.99);
    const ns = Array.from({ length: 20_000 }, () => r.normal(1, 0.5));
    const mean = ns.reduce((a, b) => a + b) / ns.length;
    const sd = Math.sqrt(ns.reduce((a, b) => a + (b - mean) ** 2, 0) / ns.length);
    expect(Math.abs(mean - 1)).toBeLessThan(0.02);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.02);
    const ks = new Set(Array.from({ length: 1000 }, () => r.int(6)));
    expect([...ks].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('bad arguments are InvalidArgumentErrors', () => {
    expect(() => new Random(1.5)).toThrow(InvalidArgumentError);
    expect(() => new Random(1.5)).toThrow('Random seed must be a safe integer, got 1.5');
    expect(() => new Random('1' as unknown as number)).toThrow('got string "1"');
    expect(() => new Random(1).uniform(1, 0)).toThrow('uniform(lo, hi) needs finite lo <= hi, got 1, 0');
    expect(() => new Random(1).normal(0, -1)).toThrow(InvalidArgumentError);
    expect(() => new Random(1).int(0)).toThrow('int(n) needs an integer n in [1, 2^32], got 0');
  });
});
