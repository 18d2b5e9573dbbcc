import { describe, expect, it } from 'vitest';

import { fitSvg } from '../src/render/fit-svg.js';
import { checkWellFormed } from './xml.js';

describe('fitSvg', () => {
  it('draws a data file of 300,000 rows (the ranges are found without spreading the rows into arguments)', () => {
    const n = 300_000;
    const x = Array.from({ length: n }, (_, i) => i * 1e-4);
    const y = x.map((v) => 2 * v + 1);
    const svg = fitSvg({
      title: 'a*x + b',
      xLabel: 'x',
      yLabel: 'y',
      x,
      y,
      residuals: x.map(() => 0),
      curve: (xs) => xs.map((v) => 2 * v + 1),
    });
    expect(() => checkWellFormed(svg)).not.toThrow();
    // Every row is a point of the data panel and of the residual panel.
    expect(svg.match(/<circle /g)?.length).toBe(2 * n);
  }, 120_000);
});
