import { makeMoons, maxMarginLoss, MLP, Random, train, type Dataset } from '@crossgrad/autograd';

import type { Engine, TrainOptions } from '../cli/args.js';
import type { Io } from '../cli/io.js';
import { boundarySvg } from '../render/boundary-svg.js';
import { checkWritable, writeOutput } from '../render/output-file.js';
import { createProgress } from '../train/progress.js';

/** micrograd's demo: 100 moons with noise 0.1. */
const POINTS = 100;
const NOISE = 0.1;

/** One training run: the trained model and its wall time. */
interface Run {
  readonly model: MLP;
  readonly seconds: number;
}

/**
 * `crossgrad train`: MLP(2,[16,16,1]) on 100 moons with autograd's full-batch SGD on the max-margin loss, as
 * micrograd's demo, with a progress bar; `--svg` writes the decision boundary.
 *
 * `--engine` picks how each step's gradient is computed: `compiled` records the loss graph once as a flat tape
 * (autograd's `compileGraph`, through `train(..., { compile: true })`) and replays it; `eager` rebuilds the graph
 * and runs `backward()` every step; `both` (the default) trains with the tape, with the progress shown, then again
 * eagerly from the same initial weights, reports the steps per second of each, and checks that the two trained
 * models are the same to the last bit (the tape does the eager arithmetic in the eager order).
 *
 * @returns 0, or 1 when the two engines trained different weights (a disagreement).
 * @example
 * ```ts
 * await runTrain({ kind: 'train', steps: 100, seed: 1337, svg: undefined, engine: 'both' }, io);
 * ```
 */
export async function runTrain(options: TrainOptions, io: Io): Promise<number> {
  if (options.svg !== undefined) checkWritable('--svg', options.svg);
  const data = makeMoons(POINTS, { noise: NOISE, seed: options.seed });
  const engines: readonly Exclude<Engine, 'both'>[] =
    options.engine === 'both' ? ['compiled', 'eager'] : [options.engine];
  const parameters = newModel(options.seed).parameters().length;
  io.stdout.write(
    `training MLP(2,[16,16,1]) (${parameters} parameters) on ${POINTS} moons, seed ${options.seed}\n`,
  );

  const runs = new Map<Exclude<Engine, 'both'>, Run>();
  for (const [i, engine] of engines.entries()) {
    // Piped, progress lines for the first run only: a second run from the same weights repeats its numbers. On a
    // terminal the second run gets its bar too, so a long eager run does not look stuck.
    const withProgress = i === 0 || io.stdout.isTTY === true;
    runs.set(engine, await trainOnce(engine, data, options, withProgress ? io : undefined));
  }
  const [first] = engines;
  const shown = first === undefined ? undefined : runs.get(first);
  if (shown === undefined) return 0;

  // The history holds each step's numbers before its update; report the trained model.
  const final = maxMarginLoss(shown.model, data);
  io.stdout.write(
    `done: loss ${final.loss.data.toFixed(4)}, accuracy ${(final.accuracy * 100).toFixed(0)}%\n`,
  );
  for (const [engine, run] of runs) io.stdout.write(`${speedLine(engine, options.steps, run.seconds)}\n`);

  let status = 0;
  const compiled = runs.get('compiled');
  const eager = runs.get('eager');
  if (compiled !== undefined && eager !== undefined) {
    const ratio = (eager.seconds / compiled.seconds).toFixed(1);
    const differ = differingParameters(compiled.model, eager.model);
    if (differ === 0) {
      io.stdout.write(
        `the tape is ${ratio}x as fast, and trained the same ${parameters} weights as eager to the bit\n`,
      );
    } else {
      io.stdout.write(
        `DISAGREEMENT: the tape and eager trained different weights (${differ} of ${parameters} differ)\n`,
      );
      status = 1;
    }
  }

  if (options.svg !== undefined) {
    const points = data.X.map((row, i) => ({ x: row[0] ?? 0, y: row[1] ?? 0, label: data.y[i] ?? 0 }));
    const score = (x: number, y: number) => shown.model.forward([x, y])[0]?.data ?? Number.NaN;
    writeOutput('--svg', options.svg, boundarySvg(points, score));
    io.stderr.write(`wrote ${options.svg}\n`);
  }
  return status;
}

function newModel(seed: number): MLP {
  return new MLP(2, [16, 16, 1], { random: new Random(seed) });
}

/** Trains a fresh model from the seed's initial weights with one engine, timed, with progress when `io` is given. */
async function trainOnce(
  engine: Exclude<Engine, 'both'>,
  data: Dataset,
  options: TrainOptions,
  io: Io | undefined,
): Promise<Run> {
  const model = newModel(options.seed);
  const progress =
    io === undefined ? undefined : await createProgress(options.steps, io.stdout, engine.padEnd(8));
  const started = performance.now();
  train(model, data, {
    steps: options.steps,
    compile: engine === 'compiled',
    ...(progress === undefined
      ? {}
      : { onStep: ({ step, loss, accuracy }) => progress.update(step + 1, loss, accuracy) }),
  });
  const seconds = (performance.now() - started) / 1000;
  progress?.stop();
  return { model, seconds };
}

/** `compiled tape  141 steps/s  (100 steps in 0.71 s, recording the tape included)`. */
function speedLine(engine: Exclude<Engine, 'both'>, steps: number, seconds: number): string {
  const rate = steps / Math.max(seconds, 1e-6);
  const rateText = `${(rate >= 100 ? rate.toFixed(0) : rate.toPrecision(3)).padStart(5)} steps/s`;
  const took = `${steps} steps in ${seconds.toFixed(2)} s`;
  return engine === 'compiled'
    ? `compiled tape  ${rateText}  (${took}, recording the tape included)`
    : `eager          ${rateText}  (${took})`;
}

/** How many parameters of two models of the same shape differ in any bit (NaN equal to NaN). */
function differingParameters(a: MLP, b: MLP): number {
  const pb = b.parameters();
  return a.parameters().filter((p, i) => !Object.is(p.data, pb[i]?.data)).length;
}
