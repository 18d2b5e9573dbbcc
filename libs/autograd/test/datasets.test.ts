import { describe, expect, test } from 'vitest';
import { InvalidArgumentError, makeMoons } from '@crossgrad/autograd';

describe('makeMoons', () => {
  test("without noise or shuffle: the points of scikit-learn's make_moons", () => {
    const { X, y } = makeMoons(4, { shuffle: false });
    const round = (v: number) => Math.round(v * 1e12) / 1e12 + 0;
    expect(X.map((r) => r.map(round))).toEqual([
      [1, 0],
      [-1, 0],
      [0, 0.5],
      [2, 0.5],
    ]);
    expect(y).toEqual([-1, -1, 1, 1]);
  });

  test('shape and labels: floor(n/2) points on the upper moon (-1), the rest on the lower (+1)', () => {
    const { X, y } = makeMoons(101, { noise: 0.1, seed: 3 });
    expect(X).toHaveLength(101);
    for (const row of X) expect(row).toHaveLength(2);
    expect(y.filter((v) => v === -1)).toHaveLength(50);
    expect(y.filter((v) => v === 1)).toHaveLength(51);
  });

  test('without noise every point lies on its half circle, shuffled together with its label', () => {
    const { X, y } = makeMoons(50, { seed: 9 });
    X.forEach(([a, b], i) => {
      if (y[i] === -1) {
        expect(a * a + b * b).toBeCloseTo(1, 12);
        expect(b).toBeGreaterThanOrEqual(0);
      } else {
        expect((a - 1) ** 2 + (b - 0.5) ** 2).toBeCloseTo(1, 12);
        expect(b).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    });
    expect(y.slice(0, 25)).not.toEqual(new Array(25).fill(-1));
  });

  test('deterministic by seed; noise moves points by about its standard deviation', () => {
    expect(makeMoons(30, { noise: 0.1, seed: 5 })).toEqual(makeMoons(30, { noise: 0.1, seed: 5 }));
    expect(makeMoons(30, { noise: 0.1, seed: 5 })).not.toEqual(makeMoons(30, { noise: 0.1, seed: 6 }));
    const clean = makeMoons(2000, { seed: 1 });
    const noisy = makeMoons(2000, { seed: 1, noise: 0.2 });
    expect(noisy.y).toEqual(clean.y);
    const d = noisy.X.flatMap((r, i) => [r[0] - clean.X[i][0], r[1] - clean.X[i][1]]);
    const sd = Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
    expect(sd).toBeGreaterThan(0.19);
    expect(sd).toBeLessThan(0.21);
  });

  test('bad arguments are InvalidArgumentErrors', () => {
    expect(() => makeMoons(1)).toThrow(InvalidArgumentError);
    expect(() => makeMoons(1)).toThrow('makeMoons needs an integer n >= 2, got 1');
    expect(() => makeMoons(10.5)).toThrow('got 10.5');
    expect(() => makeMoons(10, { noise: -0.1 })).toThrow('noise must be a finite number >= 0, got -0.1');
    expect(() => makeMoons(10, { seed: 0.5 })).toThrow('Random seed must be a safe integer');
  });
});
