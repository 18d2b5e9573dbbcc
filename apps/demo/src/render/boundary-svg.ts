/** A labelled point of a two-class data set (label +1 or -1). */
export interface LabelledPoint {
  readonly x: number;
  readonly y: number;
  readonly label: number;
}

/** Options of {@link boundarySvg}. */
export interface BoundaryOptions {
  /** Grid cells per side. Default 60. */
  readonly grid?: number;
  /** Width and height of the picture in pixels. Default 480. */
  readonly size?: number;
}

const POSITIVE = { area: '#cfe3f7', point: '#1f6fb5' };
const NEGATIVE = { area: '#f8d5cc', point: '#c0392b' };

/**
 * A classifier's decision boundary as a hand-written SVG: a grid of its scores, each cell coloured by the sign,
 * with the data points on top coloured by their label.
 *
 * @param score - the model's score at (x, y); positive means class +1.
 * @example
 * ```ts
 * const svg = boundarySvg([{ x: 0, y: 0, label: 1 }], (x, y) => x + y);
 * ```
 */
export function boundarySvg(
  points: readonly LabelledPoint[],
  score: (x: number, y: number) => number,
  opts: BoundaryOptions = {},
): string {
  const grid = opts.grid ?? 60;
  const size = opts.size ?? 480;
  const bounds = boundsOf(points);
  const cell = size / grid;
  const toX = (x: number) => ((x - bounds.x0) / (bounds.x1 - bounds.x0)) * size;
  const toY = (y: number) => size - ((y - bounds.y0) / (bounds.y1 - bounds.y0)) * size;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">`,
    `<title>decision boundary and ${points.length} points</title>`,
    '<g class="boundary" shape-rendering="crispEdges">',
  ];
  for (let row = 0; row < grid; row++) {
    const y = bounds.y1 - ((row + 0.5) / grid) * (bounds.y1 - bounds.y0);
    // Runs of cells with the same sign become one rectangle: the file stays small.
    let start = 0;
    let sign = cellSign(score, bounds, 0.5 / grid, y);
    for (let col = 1; col <= grid; col++) {
      const next = col === grid ? !sign : cellSign(score, bounds, (col + 0.5) / grid, y);
      if (next === sign) continue;
      const fill = sign ? POSITIVE.area : NEGATIVE.area;
      parts.push(
        `<rect x="${fmt(start * cell)}" y="${fmt(row * cell)}" width="${fmt((col - start) * cell)}" height="${fmt(cell)}" fill="${fill}"/>`,
      );
      start = col;
      sign = next;
    }
  }
  parts.push('</g>', '<g class="points" stroke="#222" stroke-width="0.8">');
  for (const p of points) {
    const fill = p.label > 0 ? POSITIVE.point : NEGATIVE.point;
    parts.push(`<circle cx="${fmt(toX(p.x))}" cy="${fmt(toY(p.y))}" r="4.5" fill="${fill}"/>`);
  }
  parts.push('</g>', '</svg>');
  return parts.join('\n') + '\n';
}

interface Bounds {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

function cellSign(score: (x: number, y: number) => number, b: Bounds, fx: number, y: number): boolean {
  return score(b.x0 + fx * (b.x1 - b.x0), y) > 0;
}

/** The points' extent with a margin, as micrograd's demo plots it. */
function boundsOf(points: readonly LabelledPoint[]): Bounds {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const margin = 0.5;
  if (points.length === 0) return { x0: -1, x1: 1, y0: -1, y1: 1 };
  return {
    x0: Math.min(...xs) - margin,
    x1: Math.max(...xs) + margin,
    y0: Math.min(...ys) - margin,
    y1: Math.max(...ys) + margin,
  };
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}
