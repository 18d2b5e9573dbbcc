import { Value } from '@crossgrad/autograd';

/**
 * The seed's inputs and weights; b is chosen so that n = 0.8813735870195432 and o = tanh(n) = 1/sqrt(2).
 *
 * @example
 * ```ts
 * const { x1, w1, x2, w2, b } = SEED_POINT;
 * Math.tanh(x1 * w1 + x2 * w2 + b); // 0.7071067811865476
 * ```
 */
export const SEED_POINT = { x1: 2, x2: 0, w1: -3, w2: 1, b: 6.8813735870195432 } as const;

/**
 * The seed's neuron as a formula.
 *
 * @example
 * ```ts
 * // crossgrad --expr "tanh(x1*w1 + x2*w2 + b)" --at x1=2,x2=0,w1=-3,w2=1,b=6.8813735870195432
 * await run(['--expr', SEED_EXPRESSION, '--at', 'x1=2,x2=0,w1=-3,w2=1,b=6.8813735870195432'], io);
 * ```
 */
export const SEED_EXPRESSION = 'tanh(x1*w1 + x2*w2 + b)';

/** The seed's leaves, in the order of its table. */
export const SEED_LEAVES = ['x1', 'w1', 'x2', 'w2', 'b'] as const;

/** A name of one of the seed's leaves. */
export type SeedLeaf = (typeof SEED_LEAVES)[number];

/** The seed's neuron as labelled `Value`s. */
export interface SeedNeuron {
  readonly leaves: Readonly<Record<SeedLeaf, Value>>;
  readonly n: Value;
  readonly o: Value;
}

/**
 * Builds the seed's neuron node by node as the lecture does, with tanh written out as (e^(2n) - 1)/(e^(2n) + 1).
 *
 * @example
 * ```ts
 * const { o, leaves } = buildSeedNeuron();
 * o.backward();
 * leaves.x1.grad; // -1.5
 * ```
 */
export function buildSeedNeuron(point: Readonly<Record<SeedLeaf, number>> = SEED_POINT): SeedNeuron {
  const x1 = new Value(point.x1, 'x1');
  const x2 = new Value(point.x2, 'x2');
  const w1 = new Value(point.w1, 'w1');
  const w2 = new Value(point.w2, 'w2');
  const b = new Value(point.b, 'b');
  const x1w1 = labelled(x1.mul(w1), 'x1*w1');
  const x2w2 = labelled(x2.mul(w2), 'x2*w2');
  const sum = labelled(x1w1.add(x2w2), 'x1*w1 + x2*w2');
  const n = labelled(sum.add(b), 'n');
  const o = expandedTanh(n);
  return { leaves: { x1, w1, x2, w2, b }, n, o };
}

/**
 * tanh(n) as the seed writes it out: `e = exp(2n)`, `o = (e - 1) / (e + 1)`, from exp, sub, add and div.
 *
 * @example
 * ```ts
 * expandedTanh(new Value(0.8813735870195432)).data; // 0.7071067811865476
 * ```
 */
export function expandedTanh(n: Value): Value {
  const e = labelled(n.mul(2).exp(), 'e');
  return labelled(e.sub(1).div(e.add(1)), 'o');
}

function labelled(value: Value, label: string): Value {
  value.label = label;
  return value;
}
