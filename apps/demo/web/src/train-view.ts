import type { Bounds, FromWorker, OptimizerChoice, ToWorker } from './train-protocol.js';

const POSITIVE = { area: [207, 227, 247], point: '#1f6fb5' } as const;
const NEGATIVE = { area: [248, 213, 204], point: '#c0392b' } as const;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
}

/**
 * The Train panel: the moons MLP trains in a Web Worker (so typing and stepping stay responsive) and reports after
 * each batch of steps; the page redraws the decision boundary and the loss curve.
 *
 * @example
 * ```ts
 * startTraining(); // wires #train-start, #train-stop, #train-reset, #train-optimizer to a new worker
 * ```
 */
export function startTraining(): void {
  const start = byId<HTMLButtonElement>('train-start');
  const stop = byId<HTMLButtonElement>('train-stop');
  const reset = byId<HTMLButtonElement>('train-reset');
  const optimizer = byId<HTMLSelectElement>('train-optimizer');
  const boundary = byId<HTMLCanvasElement>('boundary');
  const lossCanvas = byId<HTMLCanvasElement>('loss');
  const stepOut = byId<HTMLElement>('train-step');
  const lossOut = byId<HTMLElement>('train-loss');
  const accuracyOut = byId<HTMLOutputElement>('accuracy');
  const speedOut = byId<HTMLElement>('steps-per-second');

  const worker = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
  const send = (message: ToWorker) => worker.postMessage(message);
  let points: readonly (readonly [number, number, number])[] = [];
  let bounds: Bounds = { x0: 0, x1: 1, y0: 0, y1: 1 };
  let grid = 1;
  let totalSteps = 100;
  let losses: { step: number; loss: number }[] = [];

  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    if (m.type === 'data') {
      ({ points, bounds, grid } = m);
      totalSteps = m.steps;
      return;
    }
    // The curve: each step's loss before its update, then the loss now (after the last update).
    losses = losses.filter((l) => l.step < m.step - m.losses.length);
    m.losses.forEach((loss, i) => losses.push({ step: m.step - m.losses.length + i, loss }));
    losses.push({ step: m.step, loss: m.loss });
    stepOut.textContent = `${m.step} / ${totalSteps}`;
    lossOut.textContent = m.loss.toFixed(4);
    accuracyOut.value = `${(m.accuracy * 100).toFixed(0)}%`;
    accuracyOut.dataset['value'] = String(m.accuracy);
    if (m.stepsPerSecond > 0) speedOut.textContent = m.stepsPerSecond.toFixed(0);
    start.disabled = m.running;
    stop.disabled = !m.running;
    start.textContent = 'Train';
    drawBoundary(boundary, m.scores, grid, bounds, points);
    drawLoss(lossCanvas, losses, totalSteps);
  };
  worker.onerror = (event) => {
    lossOut.textContent = `training failed: ${event.message}`;
  };

  start.addEventListener('click', () => {
    start.disabled = true;
    stop.disabled = false;
    send({ type: 'start' });
    stop.focus();
  });
  stop.addEventListener('click', () => {
    send({ type: 'stop' });
    start.focus();
  });
  reset.addEventListener('click', () => {
    send({ type: 'reset' });
    speedOut.textContent = '–';
  });
  // Choosing an optimizer starts over from the same initial model.
  optimizer.addEventListener('change', () => {
    send({ type: 'optimizer', optimizer: optimizer.value as OptimizerChoice });
    speedOut.textContent = '–';
  });
}

function drawBoundary(
  canvas: HTMLCanvasElement,
  scores: Float32Array,
  grid: number,
  b: Bounds,
  points: readonly (readonly [number, number, number])[],
): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const size = canvas.width;
  const image = ctx.createImageData(grid, grid);
  for (let i = 0; i < grid * grid; i++) {
    const c = scores[i]! > 0 ? POSITIVE.area : NEGATIVE.area;
    image.data.set([c[0], c[1], c[2], 255], i * 4);
  }
  const cells = new OffscreenCanvas(grid, grid);
  cells.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cells, 0, 0, size, size);
  for (const [x, y, label] of points) {
    ctx.beginPath();
    ctx.arc(
      ((x - b.x0) / (b.x1 - b.x0)) * size,
      size - ((y - b.y0) / (b.y1 - b.y0)) * size,
      3,
      0,
      2 * Math.PI,
    );
    ctx.fillStyle = label > 0 ? POSITIVE.point : NEGATIVE.point;
    ctx.fill();
  }
}

function drawLoss(
  canvas: HTMLCanvasElement,
  losses: readonly { step: number; loss: number }[],
  steps: number,
): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.strokeStyle = '#bbb';
  ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
  if (losses.length === 0) return;
  const top = Math.max(...losses.map((l) => l.loss), 1e-9);
  ctx.fillStyle = '#555';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText(`loss (max ${top.toFixed(2)})`, 6, 13);
  ctx.beginPath();
  losses.forEach((l, i) => {
    const x = 4 + (l.step / steps) * (width - 8);
    const y = height - 4 - (l.loss / top) * (height - 22);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.strokeStyle = '#1f6fb5';
  ctx.lineWidth = 2;
  ctx.stroke();
}
