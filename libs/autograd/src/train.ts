import { compileGraph } from './compile.js';
import type { Dataset } from './datasets.js';
import { InvalidArgumentError, describeArgument } from './errors.js';
import type { Module } from './nn.js';
import { Optimizer } from './optim.js';
import { Value } from './value.js';

/**
 * The loss of a model on a data set, and how many points it classifies right.
 *
 * @example
 * ```ts
 * const { loss, accuracy }: LossResult = maxMarginLoss(model, data);
 * ```
 */
export interface LossResult {
  /** `mean(relu(1 - y·score)) + alpha·Σp²`, a graph ready for `backward()`. */
  loss: Value;
  /** Fraction of points whose score has the sign of their label, in [0, 1]. */
  accuracy: number;
}

/**
 * Options of {@link maxMarginLoss}.
 *
 * @example
 * ```ts
 * maxMarginLoss(model, data, { alpha: 0 } satisfies LossOptions); // no L2 penalty
 * ```
 */
export interface LossOptions {
  /** Weight of the L2 penalty on the parameters (default 1e-4, as micrograd's demo). */
  alpha?: number;
}

/**
 * micrograd's SVM max-margin loss: `mean(relu(1 - y_i·score_i)) + alpha·Σp²` over the model's single output,
 * with the accuracy of the current scores. The model must have one output (a Value, or an array of one).
 *
 * @example
 * ```ts
 * const model = new MLP(2, [16, 16, 1], { random: 1 });
 * const { loss, accuracy } = maxMarginLoss(model, makeMoons(100, { noise: 0.1 }));
 * loss.backward();
 * ```
 */
export function maxMarginLoss(model: Module, data: Dataset, options: LossOptions = {}): LossResult {
  const { loss, scores } = lossGraph(model, data, options.alpha ?? 1e-4);
  return { loss, accuracy: accuracy(scores, data.y, (s) => s.data) };
}

/** The loss graph and the model's score node for each point. */
function lossGraph(model: Module, data: Dataset, alpha: number): { loss: Value; scores: Value[] } {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
    throw new InvalidArgumentError(
      'alpha',
      `alpha must be a finite number >= 0, got ${describeArgument(alpha)}`,
    );
  }
  checkDataset(data);
  const n = data.X.length;
  let dataLoss: Value | undefined;
  const scores: Value[] = [];
  for (let i = 0; i < n; i++) {
    const yi = data.y[i];
    const score = single(model.forward(data.X[i]));
    scores.push(score);
    const margin = score.mul(-yi).add(1).relu();
    dataLoss = dataLoss === undefined ? margin : dataLoss.add(margin);
  }
  let loss = (dataLoss as Value).mul(1 / n);
  if (alpha > 0) {
    let reg: Value | undefined;
    for (const p of model.parameters()) {
      const sq = p.mul(p);
      reg = reg === undefined ? sq : reg.add(sq);
    }
    if (reg !== undefined) loss = loss.add(reg.mul(alpha));
  }
  return { loss, scores };
}

/** Fraction of points whose score has the sign of their label (a score of 0 or NaN counts as negative). */
function accuracy(scores: readonly Value[], y: readonly number[], score: (s: Value) => number): number {
  let correct = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = score(scores[i]);
    if (y[i] > 0 ? s > 0 : s <= 0) correct++;
  }
  return correct / scores.length;
}

/**
 * One step of {@link train}, as passed to `onStep` and returned in the history.
 *
 * @example
 * ```ts
 * const last: TrainStep | undefined = train(model, data).at(-1);
 * ```
 */
export interface TrainStep {
  /** 0-based step number. */
  step: number;
  /** The loss before this step's update. */
  loss: number;
  /** The training accuracy before this step's update. */
  accuracy: number;
  /** The learning rate of this step's update: `1 - 0.9·step/steps`, or the optimizer's `lr` if one is given. */
  learningRate: number;
}

/**
 * Options of {@link train}.
 *
 * @example
 * ```ts
 * const options: TrainOptions = { steps: 50, alpha: 1e-4, onStep: (s) => console.log(s.loss) };
 * ```
 */
export interface TrainOptions {
  /** Number of full-batch steps (default 100). */
  steps?: number;
  /** L2 penalty weight of the loss (default 1e-4). */
  alpha?: number;
  /** Called after every step, e.g. for a progress bar. */
  onStep?: (step: TrainStep) => void;
  /**
   * Build the loss graph once and replay it with {@link compileGraph} at each step instead of rebuilding it (the
   * batch is fixed). Same losses, accuracies and parameters as the eager loop, bit for bit; several times faster.
   */
  compile?: boolean;
  /**
   * The optimizer that moves the parameters after each `backward()`, e.g. `new Adam(model, { lr: 0.01 })`; its
   * `lr` is used as it is (set it in `onStep` for a schedule). Default: micrograd's plain SGD with
   * `lr = 1 - 0.9·k/steps`.
   */
  optimizer?: Optimizer;
}

/**
 * Full-batch training on the max-margin loss, as micrograd's demo: each step computes the loss, zeroes the grads,
 * runs `backward()` and moves the parameters. By default the move is micrograd's, `-lr·grad` with
 * `lr = 1 - 0.9·k/steps`; with `optimizer` it is the optimizer's `step()`. Returns the loss and accuracy of every
 * step (measured before its update).
 *
 * @example
 * ```ts
 * const model = new MLP(2, [16, 16, 1], { random: 1 });
 * const history = train(model, makeMoons(100, { noise: 0.1 }), { steps: 100 });
 * history.at(-1)?.accuracy; // 1 when the moons are separated
 * train(new MLP(2, [16, 16, 1], { random: 1 }), makeMoons(100), { compile: true }); // same history, faster
 * const other = new MLP(2, [16, 16, 1], { random: 1 });
 * train(other, makeMoons(100), { optimizer: new Adam(other, { lr: 0.01 }) });
 * ```
 */
export function train(model: Module, data: Dataset, options: TrainOptions = {}): TrainStep[] {
  const steps = options.steps ?? 100;
  if (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 0) {
    throw new InvalidArgumentError(
      'steps',
      `steps must be a non-negative integer, got ${describeArgument(steps)}`,
    );
  }
  const onStep = options.onStep;
  const alpha = options.alpha ?? 1e-4;
  const optimizer = options.optimizer;
  if (optimizer !== undefined && !(optimizer instanceof Optimizer)) {
    throw new InvalidArgumentError(
      'optimizer',
      `optimizer must be an Optimizer (SGD, Adam, AdamW, ...), got ${describeArgument(optimizer)}`,
    );
  }
  const params = model.parameters();
  const history: TrainStep[] = [];
  // Compiled: one graph, its parameters the inputs; `backward()` reads their data and adds into their grads.
  const compiled = options.compile === true ? lossGraph(model, data, alpha) : undefined;
  const tape = compiled === undefined ? undefined : compileGraph(compiled.loss, params);
  for (let k = 0; k < steps; k++) {
    let loss: number;
    let acc: number;
    if (compiled === undefined || tape === undefined) {
      const result = maxMarginLoss(model, data, { alpha });
      model.zeroGrad();
      optimizer?.zeroGrad();
      result.loss.backward();
      loss = result.loss.data;
      acc = result.accuracy;
    } else {
      model.zeroGrad();
      optimizer?.zeroGrad();
      loss = tape.backward();
      acc = accuracy(compiled.scores, data.y, (s) => tape.dataOf(s));
    }
    let learningRate: number;
    if (optimizer === undefined) {
      learningRate = 1 - (0.9 * k) / steps;
      for (const p of params) p.data -= learningRate * p.grad;
    } else {
      learningRate = optimizer.lr;
      optimizer.step();
    }
    const record = { step: k, loss, accuracy: acc, learningRate };
    history.push(record);
    onStep?.(record);
  }
  return history;
}

function single(out: Value | Value[]): Value {
  if (out instanceof Value) return out;
  if (out.length !== 1) {
    throw new InvalidArgumentError(
      'model',
      `the loss needs a model with one output, got ${out.length} outputs`,
    );
  }
  return out[0];
}

function checkDataset(data: Dataset): void {
  const ok = typeof data === 'object' && data !== null && Array.isArray(data.X) && Array.isArray(data.y);
  if (!ok)
    throw new InvalidArgumentError(
      'data',
      `data must be { X: number[][], y: number[] }, got ${describeArgument(data)}`,
    );
  if (data.X.length === 0 || data.X.length !== data.y.length) {
    throw new InvalidArgumentError(
      'data',
      `data needs as many labels as rows (at least one), got ${data.X.length} rows and ${data.y.length} labels`,
    );
  }
  data.y.forEach((yi, i) => {
    if (yi !== 1 && yi !== -1) {
      throw new InvalidArgumentError(
        'data',
        `labels must be +1 or -1, got y[${i}] = ${describeArgument(yi)}`,
      );
    }
  });
}
