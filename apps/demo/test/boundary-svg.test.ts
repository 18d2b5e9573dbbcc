import { describe, expect, it } from 'vitest';

import { boundarySvg } from '../src/render/boundary-svg.js';
import { checkWellFormed } from './xml.js';

describe('boundarySvg', () => {
  const points = [
    { x: -1, y: 0, label: -1 },
    { x: 1, y: 0, label: 1 },
    { x: 0, y: 1, label: 1 },
  ];

  it('draws one circle per point, coloured by label, on a well-formed SVG', () => {
    const svg = boundarySvg(points, (x) => x);
    expect(() => checkWellFormed(svg)).not.toThrow();
    const circles = [...svg.matchAll(/<circle [^>]*fill="([^"]+)"/g)].map((m) => m[1]);
    expect(circles).toEqual(['#c0392b', '#1f6fb5', '#1f6fb5']);
  });

  it('colours the grid by the sign of the score, merging runs into one rectangle per side per row', () => {
    const svg = boundarySvg(points, (x) => x, { grid: 10, size: 100 });
    const rects = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" fill="([^"]+)"/g),
    ];
    // score = x: the left half is negative, the right half positive, on every one of the 10 rows.
    expect(rects).toHaveLength(20);
    for (const [, x, , width, fill] of rects) {
      expect([x, width, fill]).toEqual(fill === '#f8d5cc' ? ['0', '50', '#f8d5cc'] : ['50', '50', '#cfe3f7']);
    }
  });

  it('puts points where they are: larger y is higher up', () => {
    const svg = boundarySvg(points, () => 1, { size: 100 });
    const ys = [...svg.matchAll(/cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys[2]).toBeLessThan(ys[0] ?? 0);
  });
});

describe('checkWellFormed', () => {
  it('rejects truncated, mis-nested and unquoted markup', () => {
    expect(checkWellFormed('<svg><g><circle r="1"/></g></svg>')).toEqual({ root: 'svg', elements: 3 });
    expect(() => checkWellFormed('<svg><g></svg>')).toThrow('</svg> at 8 closes <g>');
    expect(() => checkWellFormed('<svg><g>')).toThrow('unclosed <svg>, <g>');
    expect(() => checkWellFormed('<svg r=1></svg>')).toThrow('malformed tag at 0');
    expect(() => checkWellFormed('<svg/><svg/>')).toThrow('second root element <svg> at 6');
  });
});
