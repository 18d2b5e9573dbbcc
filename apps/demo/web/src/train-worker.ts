import {
  Adam,
  compileGraph,
  makeMoons,
  maxMarginLoss,
  MLP,
  Random,
  Value,
  type CompiledGraph,
  type Dataset,
} from '@crossgrad/autograd';

import type { Bounds, FromWorker, OptimizerChoice, ToWorker } from './train-protocol.js';

// micrograd's demo, as the CLI's `crossgrad train`: MLP(2,[16,16,1]) on 100 moons with noise 0.1, seed 1337,
// full-batch SGD on the max-margin loss with learning rate 1 - 0.9·k/steps over 100 steps; or, when the page
// asks for it, autograd's Adam with learning rate 0.03 (it reaches 100% on these moons as fast).
const POINTS = 100;
const NOISE = 0.1;
const SEED = 1337;
const STEPS = 100;
const GRID = 48;
const ADAM_LR = 0.03;

/** The worker's global scope: the two members used here (the DOM library types `self` as a window). */
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const data: Dataset = makeMoons(POINTS, { noise: NOISE, seed: SEED });
const bounds = boundsOf(data);
let choice: OptimizerChoice = 'sgd';
let model = newModel();
let adam = newAdam();
let step = 0;
let running = false;
let timer: ReturnType<typeof setTimeout> | undefined;

function newModel(): MLP {
  return new MLP(2, [16, 16, 1], { random: new Random(SEED) });
}

/** Adam over the current model's parameters (fresh moments), used when the page chose it. */
function newAdam(): Adam {
  return new Adam(model, { lr: ADAM_LR });
}

/** A new model at step 0 (and a new Adam for it). */
function restart(): void {
  model = newModel();
  adam = newAdam();
  tape = undefined;
  step = 0;
}

function boundsOf(d: Dataset): Bounds {
  const xs = d.X.map((p) => p[0]!);
  const ys = d.X.map((p) => p[1]!);
  const pad = 0.5;
  return {
    x0: Math.min(...xs) - pad,
    x1: Math.max(...xs) + pad,
    y0: Math.min(...ys) - pad,
    y1: Math.max(...ys) + pad,
  };
}

/**
 * The model's score at every cell of the boundary picture: the model's forward pass recorded once at the current
 * weights with `compileGraph` (the point's two coordinates as its inputs), then replayed per cell, so the scores
 * are autograd's own arithmetic without building a graph per cell.
 */
function scoresOf(m: MLP): Float32Array {
  const at = [new Value(0), new Value(0)];
  const [output] = m.forward(at);
  if (output === undefined) throw new Error('the model has no output');
  const score = compileGraph(output, at);
  const out = new Float32Array(GRID * GRID);
  for (let r = 0; r < GRID; r++) {
    const y = bounds.y1 - ((r + 0.5) / GRID) * (bounds.y1 - bounds.y0);
    for (let c = 0; c < GRID; c++) {
      out[r * GRID + c] = score.run([bounds.x0 + ((c + 0.5) / GRID) * (bounds.x1 - bounds.x0), y]).value;
    }
  }
  return out;
}

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

/** The model as it is now: loss and accuracy measured without an update. */
function report(stepsPerSecond: number, losses: readonly number[] = []): void {
  const { loss, accuracy } = maxMarginLoss(model, data);
  const scores = scoresOf(model);
  post({ type: 'progress', step, loss: loss.data, losses, accuracy, stepsPerSecond, scores, running }, [
    scores.buffer,
  ]);
}

/**
 * The loss graph recorded once as autograd's compiled tape (`compileGraph`, as `train(..., { compile: true })`
 * and `crossgrad train` use it): each step replays it on the current weights, the same arithmetic as building
 * the graph and running `backward()`, without rebuilding 65,000 nodes.
 */
let tape: { graph: CompiledGraph; params: ReturnType<MLP['parameters']>; weights: Float64Array } | undefined;

function recordTape(): NonNullable<typeof tape> {
  const params = model.parameters();
  const { loss } = maxMarginLoss(model, data);
  return { graph: compileGraph(loss, params), params, weights: Float64Array.from(params, (p) => p.data) };
}

/** Steps since the last report: their losses and when the first began. */
let pending: { losses: number[]; since: number } = { losses: [], since: 0 };

/**
 * One step (micrograd's SGD update, or Adam's from the same gradient), then yield, so that Stop and Reset are heard before the next step; the page hears of progress
 * every 100 ms (and at the end), as the boundary picture costs a few milliseconds to compute.
 */
function run(): void {
  timer = undefined;
  if (!running) return;
  if (pending.losses.length === 0) pending.since = performance.now();
  tape ??= recordTape();
  const { value, gradient } = tape.graph.run(tape.weights);
  if (choice === 'sgd') {
    const learningRate = 1 - (0.9 * step) / STEPS;
    tape.params.forEach((p, i) => {
      tape!.weights[i]! -= learningRate * gradient[i]!;
      p.data = tape!.weights[i]!;
    });
  } else {
    tape.params.forEach((p, i) => (p.grad = gradient[i]!));
    adam.step();
    tape.params.forEach((p, i) => (tape!.weights[i] = p.data));
  }
  pending.losses.push(value);
  step++;
  if (step >= STEPS) running = false;
  const seconds = (performance.now() - pending.since) / 1000;
  if (!running || seconds >= 0.1) {
    report(pending.losses.length / seconds, pending.losses);
    pending = { losses: [], since: 0 };
  }
  if (running) timer = setTimeout(run, 0);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  switch (event.data.type) {
    case 'start':
      if (step >= STEPS) restart();
      running = true;
      timer ??= setTimeout(run, 0);
      break;
    case 'stop':
      running = false;
      report(0, pending.losses);
      pending = { losses: [], since: 0 };
      break;
    case 'optimizer':
    case 'reset':
      if (event.data.type === 'optimizer') choice = event.data.optimizer;
      running = false;
      restart();
      pending = { losses: [], since: 0 };
      report(0);
      break;
  }
};

post({
  type: 'data',
  points: data.X.map((p, i) => [p[0]!, p[1]!, data.y[i]!] as const),
  bounds,
  grid: GRID,
  steps: STEPS,
});
report(0);
