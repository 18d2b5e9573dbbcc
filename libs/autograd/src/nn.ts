import { InvalidArgumentError, describeArgument } from './errors.js';
import { Random } from './random.js';
import { Value } from './value.js';

/**
 * An input to a model: a Value, or a number (wrapped in a constant leaf).
 *
 * @example
 * ```ts
 * const xs: Input[] = [1.5, new Value(2, 'x1')];
 * ```
 */
export type Input = Value | number;

/**
 * The nonlinearity of a neuron: micrograd's ReLU, or tanh / sigmoid.
 *
 * @example
 * ```ts
 * new MLP(2, [8, 1], { activation: 'tanh' satisfies Activation });
 * ```
 */
export type Activation = 'relu' | 'tanh' | 'sigmoid';

/**
 * Where a constructor draws its initial weights: a generator to share, or a seed for a new one.
 *
 * @example
 * ```ts
 * const random: RandomSource = new Random(1337); // or just 1337
 * ```
 */
export type RandomSource = Random | number;

/**
 * Base of every model, as micrograd's `Module`: trainable `parameters()`, `zeroGrad()` on them, and `forward`.
 *
 * @example
 * ```ts
 * const model: Module = new MLP(2, [4, 1], { random: 1 });
 * model.parameters().length; // 17
 * model.zeroGrad();
 * ```
 */
export abstract class Module {
  /** The trainable leaves, in a fixed order (layer, neuron, weights then bias). */
  abstract parameters(): Value[];

  /** The model applied to one input vector. */
  abstract forward(xs: readonly Input[]): Value | Value[];

  /** Set every parameter's grad to 0 (leaves accumulate across `backward()` calls until this). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }
}

/**
 * Options of {@link Neuron} and {@link Layer}.
 *
 * @example
 * ```ts
 * const options: NeuronOptions = { nonlin: false, random: 7 };
 * ```
 */
export interface NeuronOptions {
  /** Apply the activation (default true, as micrograd); false makes the neuron linear. */
  nonlin?: boolean;
  /** The nonlinearity when `nonlin` is true (default `'relu'`). */
  activation?: Activation;
  /** A generator (shared, so successive draws differ) or a seed (default 0). */
  random?: RandomSource;
}

/**
 * One neuron: `act(w·x + b)` with weights uniform in [-1, 1) and bias 0, as micrograd. Parameters are labelled
 * `w0, w1, …, b` (an `MLP` prefixes them with `l<layer>.n<neuron>.`) so graphs and errors name them.
 *
 * @example
 * ```ts
 * const n = new Neuron(2, { nonlin: false, random: 7 });
 * n.forward([1, 2]).data; // w0 + 2·w1
 * ```
 */
export class Neuron extends Module {
  /** The weights, one per input. */
  readonly w: Value[];
  /** The bias, initially 0. */
  readonly b: Value;
  /** The nonlinearity, or `'linear'`. */
  readonly activation: Activation | 'linear';

  /**
   * A neuron with `nin` inputs.
   *
   * @example
   * ```ts
   * new Neuron(3).parameters().length; // 4
   * ```
   */
  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    checkSize('nin', nin);
    const random = toRandom(options.random);
    this.activation = options.nonlin === false ? 'linear' : checkActivation(options.activation ?? 'relu');
    this.w = [];
    for (let i = 0; i < nin; i++) this.w.push(new Value(random.uniform(-1, 1), `w${i}`));
    this.b = new Value(0, 'b');
  }

  /**
   * `act(b + w0·x0 + w1·x1 + …)`.
   *
   * @example
   * ```ts
   * new Neuron(1, { random: 3 }).forward([0.5]);
   * ```
   */
  forward(xs: readonly Input[]): Value {
    const w = this.w;
    if (!Array.isArray(xs) || xs.length !== w.length) {
      throw new InvalidArgumentError('xs', `Neuron expects ${w.length} inputs, got ${describeArgument(xs)}`);
    }
    let act = this.b;
    for (let i = 0; i < w.length; i++) act = act.add(w[i].mul(xs[i]));
    switch (this.activation) {
      case 'relu':
        return act.relu();
      case 'tanh':
        return act.tanh();
      case 'sigmoid':
        return act.sigmoid();
      default:
        return act;
    }
  }

  /**
   * Weights then bias.
   *
   * @example
   * ```ts
   * new Neuron(2).parameters().map((p) => p.label); // ['w0', 'w1', 'b']
   * ```
   */
  parameters(): Value[] {
    const out = this.w.slice();
    out.push(this.b);
    return out;
  }

  /**
   * `ReLUNeuron(2)`, `LinearNeuron(16)`, … as micrograd.
   *
   * @example
   * ```ts
   * String(new Neuron(2)); // 'ReLUNeuron(2)'
   * ```
   */
  override toString(): string {
    const names = { relu: 'ReLU', tanh: 'Tanh', sigmoid: 'Sigmoid', linear: 'Linear' };
    return `${names[this.activation]}Neuron(${this.w.length})`;
  }
}

/**
 * `nout` neurons reading the same `nin` inputs.
 *
 * @example
 * ```ts
 * const layer = new Layer(2, 3, { random: 1 });
 * layer.forward([1, -1]).length; // 3
 * ```
 */
export class Layer extends Module {
  /** The neurons, in output order. */
  readonly neurons: Neuron[];

  /**
   * A layer of `nout` neurons with `nin` inputs each; one generator draws all their weights in order.
   *
   * @example
   * ```ts
   * new Layer(2, 3).parameters().length; // 9
   * ```
   */
  constructor(nin: number, nout: number, options: NeuronOptions = {}) {
    super();
    checkSize('nin', nin);
    checkSize('nout', nout);
    const random = toRandom(options.random);
    this.neurons = [];
    for (let j = 0; j < nout; j++) {
      const n = new Neuron(nin, { ...options, random });
      for (const p of n.parameters()) p.label = `n${j}.${p.label}`;
      this.neurons.push(n);
    }
  }

  /**
   * Every neuron on the same inputs (numbers are wrapped once and shared by all neurons).
   *
   * @example
   * ```ts
   * new Layer(1, 2).forward([3]).map((v) => v.data);
   * ```
   */
  forward(xs: readonly Input[]): Value[] {
    if (!Array.isArray(xs))
      throw new InvalidArgumentError('xs', `Layer expects an array, got ${describeArgument(xs)}`);
    const inputs = xs.map(asLeaf);
    return this.neurons.map((n) => n.forward(inputs));
  }

  /**
   * Neuron by neuron, weights then bias.
   *
   * @example
   * ```ts
   * new Layer(2, 2).parameters().length; // 6
   * ```
   */
  parameters(): Value[] {
    // Plain loops: flatMap and spreads made MLP(2, [16, 16, 1]).parameters() take about 50 µs, as long as a
    // compiled training step.
    const out: Value[] = [];
    for (const n of this.neurons) {
      for (const w of n.w) out.push(w);
      out.push(n.b);
    }
    return out;
  }

  /**
   * `Layer of [ReLUNeuron(2), …]`.
   *
   * @example
   * ```ts
   * String(new Layer(2, 1)); // 'Layer of [ReLUNeuron(2)]'
   * ```
   */
  override toString(): string {
    return `Layer of [${this.neurons.join(', ')}]`;
  }
}

/**
 * Options of {@link MLP}.
 *
 * @example
 * ```ts
 * const options: MLPOptions = { activation: 'relu', random: new Random(1337) };
 * ```
 */
export interface MLPOptions {
  /** The hidden layers' nonlinearity (default `'relu'`, as micrograd); the last layer is always linear. */
  activation?: Activation;
  /** A generator (shared, so successive draws differ) or a seed (default 0). */
  random?: RandomSource;
}

/**
 * A multi-layer perceptron as micrograd's `MLP(nin, nouts)`: ReLU hidden layers, a linear output layer, weights
 * uniform in [-1, 1), biases 0; parameters layer by layer, neuron by neuron, weights then bias.
 *
 * @example
 * ```ts
 * const model = new MLP(2, [16, 16, 1], { random: new Random(1337) });
 * model.parameters().length; // 337
 * const [score] = model.forward([0.5, -1]);
 * ```
 */
export class MLP extends Module {
  /** The layers, input to output. */
  readonly layers: Layer[];

  /**
   * An MLP with `nin` inputs and one layer per entry of `nouts`.
   *
   * @example
   * ```ts
   * new MLP(3, [4, 4, 1]).layers.length; // 3
   * ```
   */
  constructor(nin: number, nouts: readonly number[], options: MLPOptions = {}) {
    super();
    checkSize('nin', nin);
    if (!Array.isArray(nouts) || nouts.length === 0) {
      throw new InvalidArgumentError(
        'nouts',
        `MLP needs a non-empty array of layer sizes, got ${describeArgument(nouts)}`,
      );
    }
    nouts.forEach((n, i) => checkSize(`nouts[${i}]`, n));
    const random = toRandom(options.random);
    const activation = checkActivation(options.activation ?? 'relu');
    const sizes = [nin, ...nouts];
    this.layers = [];
    for (let i = 0; i < nouts.length; i++) {
      const layer = new Layer(sizes[i], sizes[i + 1], { nonlin: i !== nouts.length - 1, activation, random });
      for (const p of layer.parameters()) p.label = `l${i}.${p.label}`;
      this.layers.push(layer);
    }
  }

  /**
   * The outputs of the last layer (an array even for one output: `const [score] = model.forward(x)`).
   *
   * @example
   * ```ts
   * new MLP(2, [3, 1]).forward([1, 2]).length; // 1
   * ```
   */
  forward(xs: readonly Input[]): Value[] {
    const nin = this.layers[0].neurons[0].w.length;
    if (!Array.isArray(xs) || xs.length !== nin) {
      throw new InvalidArgumentError('xs', `MLP expects ${nin} inputs, got ${describeArgument(xs)}`);
    }
    let h: Value[] = xs.map(asLeaf);
    for (const layer of this.layers) h = layer.forward(h);
    return h;
  }

  /**
   * Layer by layer, neuron by neuron, weights then bias.
   *
   * @example
   * ```ts
   * new MLP(2, [16, 16, 1]).parameters().length; // 337
   * ```
   */
  parameters(): Value[] {
    const out: Value[] = [];
    for (const l of this.layers) for (const p of l.parameters()) out.push(p);
    return out;
  }

  /**
   * `MLP of [Layer of [...], ...]`.
   *
   * @example
   * ```ts
   * String(new MLP(1, [1])); // 'MLP of [Layer of [LinearNeuron(1)]]'
   * ```
   */
  override toString(): string {
    return `MLP of [${this.layers.join(', ')}]`;
  }
}

function asLeaf(x: Input, i: number): Value {
  if (x instanceof Value) return x;
  if (typeof x === 'number') return new Value(x);
  throw new InvalidArgumentError(
    `xs[${i}]`,
    `model inputs must be Values or numbers, got ${describeArgument(x)}`,
  );
}

function toRandom(source: RandomSource | undefined): Random {
  if (source instanceof Random) return source;
  if (source === undefined || typeof source === 'number') return new Random(source ?? 0);
  throw new InvalidArgumentError(
    'random',
    `random must be a Random or a seed, got ${describeArgument(source)}`,
  );
}

function checkSize(name: string, n: unknown): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(name, `${name} must be a positive integer, got ${describeArgument(n)}`);
  }
}

function checkActivation(a: unknown): Activation {
  if (a === 'relu' || a === 'tanh' || a === 'sigmoid') return a;
  throw new InvalidArgumentError(
    'activation',
    `activation must be 'relu', 'tanh' or 'sigmoid', got ${describeArgument(a)}`,
  );
}
