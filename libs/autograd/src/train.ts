import type { Dataset } from './datasets.js';
import { InvalidArgumentError, describeArgument } from './errors.js';
import type { Module } from './nn.js';
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
  const alpha = options.alpha ?? 1e-4;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
    throw new InvalidArgumentError(
      'alpha',
      `alpha must be a finite number >= 0, got ${describeArgument(alpha)}`,
    );
  }
  checkDataset(data);
  const n = data.X.length;
  let dataLoss: Value | undefined;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const yi = data.y[i];
    const score = single(model.forward(data.X[i]));
    const margin = score.mul(-yi).add(1).relu();
    dataLoss = dataLoss === undefined ? margin : dataLoss.add(margin);
    const right = yi > 0 ? score.data > 0 : score.data <= 0;
    if (right) correct++;
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
  return { loss, accuracy: correct / n };
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
  /** The learning rate of this step's update, `1 - 0.9·step/steps`. */
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
  /** Number of full-batch SGD steps (default 100). */
  steps?: number;
  /** L2 penalty weight of the loss (default 1e-4). */
  alpha?: number;
  /** Called after every step, e.g. for a progress bar. */
  onStep?: (step: TrainStep) => void;
}

/**
 * Full-batch SGD on the max-margin loss, as micrograd's demo: each step computes the loss, zeroes the grads, runs
 * `backward()` and moves every parameter by `-lr·grad` with `lr = 1 - 0.9·k/steps`. Returns the loss and
 * accuracy of every step (measured before its update).
 *
 * @example
 * ```ts
 * const model = new MLP(2, [16, 16, 1], { random: 1 });
 * const history = train(model, makeMoons(100, { noise: 0.1 }), { steps: 100 });
 * history.at(-1)?.accuracy; // 1 when the moons are separated
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
  const params = model.parameters();
  const history: TrainStep[] = [];
  for (let k = 0; k < steps; k++) {
    const { loss, accuracy } = maxMarginLoss(model, data, { alpha: options.alpha ?? 1e-4 });
    model.zeroGrad();
    loss.backward();
    const learningRate = 1 - (0.9 * k) / steps;
    for (const p of params) p.data -= learningRate * p.grad;
    const record = { step: k, loss: loss.data, accuracy, learningRate };
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
