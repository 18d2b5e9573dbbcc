/** The optimizers the page offers: micrograd's SGD schedule, or Adam with a fixed learning rate. */
export type OptimizerChoice = 'sgd' | 'adam';

/** Messages from the page to the training worker; `optimizer` also resets the model. */
export type ToWorker =
  | { readonly type: 'start' }
  | { readonly type: 'stop' }
  | { readonly type: 'reset' }
  | { readonly type: 'optimizer'; readonly optimizer: OptimizerChoice };

/** Messages from the training worker to the page. */
export type FromWorker =
  | {
      readonly type: 'data';
      /** The moons: x, y and label (+1 or -1) of each point. */
      readonly points: readonly (readonly [number, number, number])[];
      readonly bounds: Bounds;
      readonly grid: number;
      readonly steps: number;
    }
  | {
      readonly type: 'progress';
      readonly step: number;
      readonly loss: number;
      /** The loss of each step taken since the last report, before its update (as `train`'s history). */
      readonly losses: readonly number[];
      /** Training accuracy in [0, 1], measured before this step's update. */
      readonly accuracy: number;
      readonly stepsPerSecond: number;
      /** The model's score on a grid × grid lattice over the bounds, row by row from the top. */
      readonly scores: Float32Array;
      readonly running: boolean;
    };

/** The plotted area. */
export interface Bounds {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}
