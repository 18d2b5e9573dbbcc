import { InvalidArgumentError, describeArgument } from './errors.js';
import { Module } from './nn.js';
import { Value } from './value.js';

/**
 * What an optimizer updates: a model (all of `model.parameters()`), or the parameters themselves.
 *
 * @example
 * ```ts
 * const params: ParameterSource = model.parameters(); // or the model itself
 * ```
 */
export type ParameterSource = Module | Iterable<Value>;

/**
 * Base of the optimizers: a fixed list of parameters, a learning rate `lr` (checked when set), `step()` to move
 * every parameter by its current `grad`, and `zeroGrad()`. Subclasses implement `update`, called by `step()`
 * once per step with the step number (1 for the first).
 *
 * @example
 * ```ts
 * const opt: Optimizer = new Adam(model, { lr: 0.01 });
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * ```
 */
export abstract class Optimizer {
  /** The parameters this optimizer moves, in the order given (a model's `parameters()` order). */
  readonly parameters: readonly Value[];
  #lr = 0;
  #steps = 0;

  /**
   * Takes the parameters once: a model's `parameters()`, or any Values (each at most once, at least one).
   *
   * @example
   * ```ts
   * new SGD(model.parameters(), { lr: 0.1 });
   * ```
   */
  protected constructor(params: ParameterSource, lr: number) {
    this.parameters = collectParameters(params);
    this.lr = lr;
  }

  /**
   * The learning rate, a finite number >= 0; may be changed between steps (a schedule).
   *
   * @example
   * ```ts
   * opt.lr = 0.5 * opt.lr;
   * ```
   */
  get lr(): number {
    return this.#lr;
  }

  set lr(value: number) {
    checkNumber('lr', value, 0, Infinity, 'a finite number >= 0');
    this.#lr = value;
  }

  /**
   * How many times `step()` has run.
   *
   * @example
   * ```ts
   * opt.step();
   * opt.steps; // 1
   * ```
   */
  get steps(): number {
    return this.#steps;
  }

  /**
   * Moves every parameter using its current `grad` (call after `backward()`).
   *
   * @example
   * ```ts
   * loss.backward();
   * opt.step();
   * ```
   */
  step(): void {
    this.#steps++;
    this.update(this.#steps);
  }

  /**
   * Sets the grad of every parameter to 0.
   *
   * @example
   * ```ts
   * opt.zeroGrad();
   * ```
   */
  zeroGrad(): void {
    for (const p of this.parameters) p.grad = 0;
  }

  /** The update rule; `t` is the 1-based number of this step. */
  protected abstract update(t: number): void;
}

/**
 * Options of {@link SGD}.
 *
 * @example
 * ```ts
 * const options: SGDOptions = { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 };
 * ```
 */
export interface SGDOptions {
  /** Learning rate (required), a finite number >= 0. */
  lr: number;
  /** Momentum factor μ in [0, 1) (default 0: plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum (default false); needs `momentum > 0`. */
  nesterov?: boolean;
  /** L2 penalty λ >= 0 added to the gradient as `λ·p` (default 0). */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, with PyTorch's
 * update: `g = grad + λ·p`; with momentum `b = g` at the first step and `b = μ·b + g` after, then `g = b` (or
 * `g + μ·b` for Nesterov); finally `p -= lr·g`. Without momentum and decay a step is exactly
 * `p.data -= lr * p.grad`, the update of micrograd's loop.
 *
 * @example
 * ```ts
 * const x = new Value(1, 'x');
 * const opt = new SGD([x], { lr: 0.1, momentum: 0.9 });
 * x.mul(x).backward(); // grad 2
 * opt.step();
 * x.data; // 0.8
 * ```
 */
export class SGD extends Optimizer {
  /** Momentum factor μ. */
  readonly momentum: number;
  /** Whether the momentum is Nesterov's. */
  readonly nesterov: boolean;
  /** L2 weight decay λ. */
  readonly weightDecay: number;
  #buffer: Float64Array | undefined;

  /**
   * @example
   * ```ts
   * new SGD(model, { lr: 0.05, momentum: 0.9 });
   * ```
   */
  constructor(params: ParameterSource, options: SGDOptions) {
    checkOptions(options);
    super(params, options.lr);
    this.momentum = checkNumber('momentum', options.momentum ?? 0, 0, 1, 'a number in [0, 1)');
    this.nesterov = checkBoolean('nesterov', options.nesterov ?? false);
    if (this.nesterov && this.momentum === 0) {
      throw new InvalidArgumentError('nesterov', 'nesterov momentum needs momentum > 0, got momentum 0');
    }
    this.weightDecay = checkNumber(
      'weightDecay',
      options.weightDecay ?? 0,
      0,
      Infinity,
      'a finite number >= 0',
    );
  }

  protected update(t: number): void {
    const { parameters: params, momentum, nesterov, weightDecay, lr } = this;
    if (momentum === 0) {
      for (const p of params) {
        const g = weightDecay === 0 ? p.grad : p.grad + weightDecay * p.data;
        p.data -= lr * g;
      }
      return;
    }
    const buffer = (this.#buffer ??= new Float64Array(params.length));
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const g = weightDecay === 0 ? p.grad : p.grad + weightDecay * p.data;
      const b = t === 1 ? g : momentum * buffer[i] + g;
      buffer[i] = b;
      p.data -= lr * (nesterov ? g + momentum * b : b);
    }
  }
}

/**
 * Options of {@link Adam} and {@link AdamW}.
 *
 * @example
 * ```ts
 * const options: AdamOptions = { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8 };
 * ```
 */
export interface AdamOptions {
  /** Learning rate α (default 0.001), a finite number >= 0. */
  lr?: number;
  /** Decay rates β1, β2 of the first and second moment estimates, each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** ε > 0 added to the denominator (default 1e-8). */
  eps?: number;
  /**
   * Weight decay λ >= 0. In `Adam` it is an L2 penalty added to the gradient (`g = grad + λ·p`, default 0); in
   * `AdamW` it is decoupled from the gradient (`p -= lr·λ·p`, default 0.01).
   */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba, 2015) with bias-corrected moments: `m = β1·m + (1-β1)·g`, `v = β2·v + (1-β2)·g²`,
 * `p -= lr·m̂ / (√v̂ + ε)` with `m̂ = m / (1-β1^t)`, `v̂ = v / (1-β2^t)` at step t. The first step therefore
 * moves each parameter by about `lr` against the sign of its gradient, whatever its size. `weightDecay` is an
 * L2 penalty folded into `g` (PyTorch's `Adam`); for decoupled decay use {@link AdamW}.
 *
 * @example
 * ```ts
 * const x = new Value(1, 'x');
 * const opt = new Adam([x], { lr: 0.1 });
 * x.mul(x).backward();
 * opt.step();
 * x.data; // 0.9000000005: 1 - 0.1·2/(2 + 1e-8)
 * ```
 */
export class Adam extends Optimizer {
  /** β1, β2. */
  readonly betas: readonly [number, number];
  /** ε. */
  readonly eps: number;
  /** Weight decay λ (see {@link AdamOptions.weightDecay}). */
  readonly weightDecay: number;
  /** First and second moment estimates, one entry per parameter. */
  readonly #m: Float64Array;
  readonly #v: Float64Array;
  readonly #decoupled: boolean;

  /**
   * @example
   * ```ts
   * new Adam(model, { lr: 0.01 });
   * ```
   */
  constructor(params: ParameterSource, options: AdamOptions = {}) {
    checkOptions(options);
    super(params, options.lr ?? 1e-3);
    this.#decoupled = new.target === AdamW;
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) {
      throw new InvalidArgumentError(
        'betas',
        `betas must be a pair [beta1, beta2], got ${describeArgument(betas)}`,
      );
    }
    this.betas = [
      checkNumber('betas', betas[0], 0, 1, 'in [0, 1)', 'beta1'),
      checkNumber('betas', betas[1], 0, 1, 'in [0, 1)', 'beta2'),
    ];
    this.eps = checkNumber('eps', options.eps ?? 1e-8, 0, Infinity, 'a finite number > 0');
    if (this.eps === 0) throw new InvalidArgumentError('eps', 'eps must be a finite number > 0, got 0');
    const decay = options.weightDecay ?? (this.#decoupled ? 1e-2 : 0);
    this.weightDecay = checkNumber('weightDecay', decay, 0, Infinity, 'a finite number >= 0');
    this.#m = new Float64Array(this.parameters.length);
    this.#v = new Float64Array(this.parameters.length);
  }

  protected update(t: number): void {
    const { parameters: params, lr, eps, weightDecay } = this;
    const [beta1, beta2] = this.betas;
    const m = this.#m;
    const v = this.#v;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    const decoupled = this.#decoupled;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      let g = p.grad;
      if (weightDecay !== 0) {
        if (decoupled) p.data -= lr * weightDecay * p.data;
        else g += weightDecay * p.data;
      }
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      p.data -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam whose weight decay is decoupled from the gradient. Each step first
 * shrinks every parameter, `p -= lr·λ·p`, then applies Adam's update computed from the gradient alone, so the
 * decay does not pass through the moment estimates. Default `weightDecay` 0.01, as PyTorch.
 *
 * @example
 * ```ts
 * const x = new Value(1, 'x');
 * const opt = new AdamW([x], { lr: 0.1, weightDecay: 0.1 });
 * opt.step(); // grad 0: only the decay acts
 * x.data; // 0.99
 * ```
 */
export class AdamW extends Adam {
  /**
   * @example
   * ```ts
   * new AdamW(model, { lr: 0.01, weightDecay: 0.05 });
   * ```
   */
  constructor(params: ParameterSource, options: AdamOptions = {}) {
    super(params, options);
  }
}

function collectParameters(params: ParameterSource): Value[] {
  let list: unknown[];
  if (params instanceof Module) list = params.parameters();
  else if (params !== null && typeof params === 'object' && Symbol.iterator in params) list = [...params];
  else {
    throw new InvalidArgumentError(
      'params',
      `params must be a Module or an iterable of Values, got ${describeArgument(params)}`,
    );
  }
  if (list.length === 0) {
    throw new InvalidArgumentError('params', 'an optimizer needs at least one parameter, got none');
  }
  const seen = new Set<Value>();
  list.forEach((p, i) => {
    if (!(p instanceof Value)) {
      throw new InvalidArgumentError('params', `params[${i}] must be a Value, got ${describeArgument(p)}`);
    }
    if (seen.has(p)) {
      throw new InvalidArgumentError(
        'params',
        `params[${i}] appears twice (it would be updated twice per step)`,
      );
    }
    seen.add(p);
  });
  return list as Value[];
}

function checkOptions(options: unknown): void {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', `options must be an object, got ${describeArgument(options)}`);
  }
}

/** `value` must be a number in [lo, hi) (hi = Infinity: any finite number >= lo). */
function checkNumber(
  name: string,
  value: unknown,
  lo: number,
  hi: number,
  what: string,
  label = name,
): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= lo && value < hi;
  if (!ok) throw new InvalidArgumentError(name, `${label} must be ${what}, got ${describeArgument(value)}`);
  return value;
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(name, `${name} must be a boolean, got ${describeArgument(value)}`);
  }
  return value;
}
