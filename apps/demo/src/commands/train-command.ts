import { makeMoons, maxMarginLoss, MLP, Random, train } from '@crossgrad/autograd';

import type { Io } from '../cli/io.js';
import type { TrainOptions } from '../cli/args.js';
import { boundarySvg } from '../render/boundary-svg.js';
import { checkWritable, writeOutput } from '../render/output-file.js';
import { createProgress } from '../train/progress.js';

/** micrograd's demo: 100 moons with noise 0.1. */
const POINTS = 100;
const NOISE = 0.1;

/**
 * `crossgrad train`: MLP(2,[16,16,1]) on 100 moons with autograd's full-batch SGD on the max-margin loss, as
 * micrograd's demo, with a progress bar; `--svg` writes the decision boundary.
 *
 * @returns 0 (training has no disagreement to report).
 * @example
 * ```ts
 * await runTrain({ kind: 'train', steps: 100, seed: 1337, svg: undefined }, io);
 * ```
 */
export async function runTrain(options: TrainOptions, io: Io): Promise<number> {
  if (options.svg !== undefined) checkWritable('--svg', options.svg);
  const random = new Random(options.seed);
  const data = makeMoons(POINTS, { noise: NOISE, seed: options.seed });
  const model = new MLP(2, [16, 16, 1], { random });
  io.stdout.write(
    `training MLP(2,[16,16,1]) (${model.parameters().length} parameters) on ${POINTS} moons, seed ${options.seed}\n`,
  );

  const progress = await createProgress(options.steps, io.stdout);
  const started = performance.now();
  train(model, data, {
    steps: options.steps,
    onStep: ({ step, loss, accuracy }) => progress.update(step + 1, loss, accuracy),
  });
  progress.stop();
  const seconds = (performance.now() - started) / 1000;

  // The history holds each step's numbers before its update; report the trained model.
  const final = maxMarginLoss(model, data);
  io.stdout.write(
    `done: ${options.steps} steps in ${seconds.toFixed(1)} s, loss ${final.loss.data.toFixed(4)}, accuracy ${(final.accuracy * 100).toFixed(0)}%\n`,
  );

  if (options.svg !== undefined) {
    const points = data.X.map((row, i) => ({ x: row[0] ?? 0, y: row[1] ?? 0, label: data.y[i] ?? 0 }));
    const score = (x: number, y: number) => model.forward([x, y])[0]?.data ?? Number.NaN;
    writeOutput('--svg', options.svg, boundarySvg(points, score));
    io.stderr.write(`wrote ${options.svg}\n`);
  }
  return 0;
}
