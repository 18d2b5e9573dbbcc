/**
 * What {@link fitSvg} draws: the data, the fitted model as a function of the predictor, and the residuals.
 *
 * @example
 * ```ts
 * const plot: FitPlot = { title: 'a*x', xLabel: 'x', yLabel: 'y', x: [1, 2], y: [2, 4.1], residuals: [0, -0.1], curve: (xs) => xs.map((x) => 2 * x) };
 * ```
 */
export interface FitPlot {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** The predictor at each row. */
  readonly x: readonly number[];
  /** The response at each row. */
  readonly y: readonly number[];
  /** model - response at each row. */
  readonly residuals: readonly number[];
  /** The fitted model at each of several predictor values. */
  readonly curve: (x: readonly number[]) => readonly number[];
}

const WIDTH = 640;
const LEFT = 70;
const RIGHT = 20;
const MAIN = { top: 40, height: 300 };
const RESIDUALS = { top: 390, height: 120 };
const HEIGHT = 560;
/** Samples of the fitted curve across the predictor's range. */
const SAMPLES = 200;

const COLOR = { point: '#1f6fb5', curve: '#c0392b', axis: '#444', zero: '#999' };

/**
 * A fit as a hand-written SVG: above, the data points and the fitted curve over the predictor's range; below, the
 * residuals (model - response) against the predictor with the zero line. Each panel's axes are labelled with their
 * ranges. Non-finite values are left out of the picture.
 *
 * @example
 * ```ts
 * const svg = fitSvg({ title: 'a*x', xLabel: 'x', yLabel: 'y', x: [1, 2], y: [2, 4.1], residuals: [0, -0.1], curve: (xs) => xs.map((x) => 2 * x) });
 * ```
 */
export function fitSvg(plot: FitPlot): string {
  const finite = (values: readonly number[]) => values.filter((v) => Number.isFinite(v));
  const [x0, x1] = range(finite(plot.x));
  const samples = Array.from({ length: SAMPLES + 1 }, (_, k) => x0 + ((x1 - x0) * k) / SAMPLES);
  const curve = plot.curve(samples);
  const [y0, y1] = range([...finite(plot.y), ...finite([...curve])]);
  const [r0, r1] = range([0, ...finite(plot.residuals)]);
  const toX = (x: number) => LEFT + ((x - x0) / (x1 - x0)) * (WIDTH - LEFT - RIGHT);
  const toY = (y: number) => MAIN.top + MAIN.height - ((y - y0) / (y1 - y0)) * MAIN.height;
  const toR = (r: number) => RESIDUALS.top + RESIDUALS.height - ((r - r0) / (r1 - r0)) * RESIDUALS.height;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(plot.title)}</title>`,
    `<text x="${LEFT}" y="16" font-size="14">${escapeXml(plot.title)}</text>`,
    ...axes(MAIN, [x0, x1], [y0, y1], plot.xLabel, plot.yLabel),
    ...axes(RESIDUALS, [x0, x1], [r0, r1], plot.xLabel, 'residual (model - response)'),
    `<line class="zero" x1="${fmt(LEFT)}" y1="${fmt(toR(0))}" x2="${fmt(WIDTH - RIGHT)}" y2="${fmt(toR(0))}" stroke="${COLOR.zero}" stroke-dasharray="4 3"/>`,
  ];
  const path = samples
    .map((x, k) => [x, curve[k] ?? Number.NaN] as const)
    .filter(([, y]) => Number.isFinite(y))
    .map(([x, y]) => `${fmt(toX(x))},${fmt(toY(y))}`)
    .join(' ');
  parts.push(
    `<polyline class="curve" points="${path}" fill="none" stroke="${COLOR.curve}" stroke-width="2"/>`,
  );
  parts.push(`<g class="data" fill="${COLOR.point}" stroke="#222" stroke-width="0.6">`);
  plot.x.forEach((x, i) => {
    const y = plot.y[i] ?? Number.NaN;
    if (Number.isFinite(x) && Number.isFinite(y)) {
      parts.push(`<circle cx="${fmt(toX(x))}" cy="${fmt(toY(y))}" r="3.5"/>`);
    }
  });
  parts.push('</g>', `<g class="residuals" stroke="${COLOR.point}" fill="${COLOR.point}">`);
  plot.x.forEach((x, i) => {
    const r = plot.residuals[i] ?? Number.NaN;
    if (Number.isFinite(x) && Number.isFinite(r)) {
      parts.push(
        `<line x1="${fmt(toX(x))}" y1="${fmt(toR(0))}" x2="${fmt(toX(x))}" y2="${fmt(toR(r))}"/>`,
        `<circle cx="${fmt(toX(x))}" cy="${fmt(toR(r))}" r="2.5"/>`,
      );
    }
  });
  parts.push('</g>', '</svg>');
  return parts.join('\n') + '\n';
}

/** A panel's frame with its ranges written at the ends of both axes, and the axes' names. */
function axes(
  panel: { readonly top: number; readonly height: number },
  [x0, x1]: readonly [number, number],
  [y0, y1]: readonly [number, number],
  xLabel: string,
  yLabel: string,
): string[] {
  const bottom = panel.top + panel.height;
  const right = WIDTH - RIGHT;
  return [
    `<rect x="${LEFT}" y="${panel.top}" width="${right - LEFT}" height="${panel.height}" fill="none" stroke="${COLOR.axis}"/>`,
    `<text x="${LEFT}" y="${bottom + 15}" text-anchor="middle">${tick(x0)}</text>`,
    `<text x="${right}" y="${bottom + 15}" text-anchor="middle">${tick(x1)}</text>`,
    `<text x="${(LEFT + right) / 2}" y="${bottom + 30}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="${LEFT - 6}" y="${bottom}" text-anchor="end">${tick(y0)}</text>`,
    `<text x="${LEFT - 6}" y="${panel.top + 10}" text-anchor="end">${tick(y1)}</text>`,
    `<text x="${LEFT}" y="${panel.top - 6}">${escapeXml(yLabel)}</text>`,
  ];
}

/** The values' extent with a 5% margin; a unit range around a single value; [0, 1] for none. */
function range(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  // A loop, not Math.min(...values): spreading hundreds of thousands of rows into arguments overflows the stack.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) return [lo - 1, hi + 1];
  const margin = (hi - lo) * 0.05;
  return [lo - margin, hi + margin];
}

function tick(x: number): string {
  return String(Number(x.toPrecision(3)));
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
