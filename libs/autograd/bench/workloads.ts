import { MLP, Random, Value, maxMarginLoss, topologicalOrder, type Dataset } from '@crossgrad/autograd';

/** W1's data and model: Random(1337), MLP(2,[16,16,1]), 100 points uniform in [-2,2]², +1 inside x0²+x1² < 2. */
export function w1Setup(): { model: MLP; data: Dataset } {
  const random = new Random(1337);
  const model = new MLP(2, [16, 16, 1], { random });
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 100; i++) {
    const x0 = random.uniform(-2, 2);
    const x1 = random.uniform(-2, 2);
    X.push([x0, x1]);
    y.push(x0 * x0 + x1 * x1 < 2 ? 1 : -1);
  }
  return { model, data: { X, y } };
}

/** One W1 step: forward all points, max-margin loss (alpha 1e-4), zeroGrad, backward, SGD with lr 0.1. */
export function w1Step(model: MLP, data: Dataset): Value {
  const { loss } = maxMarginLoss(model, data, { alpha: 1e-4 });
  model.zeroGrad();
  loss.backward();
  for (const p of model.parameters()) p.data -= 0.1 * p.grad;
  return loss;
}

/** Nodes in the graph below `root`. */
export function graphSize(root: Value): number {
  return topologicalOrder(root).length;
}

/** W2's forward: x = Value(0.5), then n times x = tanh(x·1.0001 + 0.0001); 5n + 1 nodes. */
export function w2Forward(n: number): { x0: Value; out: Value } {
  const x0 = new Value(0.5);
  let x = x0;
  for (let i = 0; i < n; i++) x = x.mul(1.0001).add(0.0001).tanh();
  return { x0, out: x };
}

/** W3's leaves: 10^5 pairs from Random(3). */
export function w3Setup(n: number): { a: Float64Array; b: Float64Array } {
  const random = new Random(3);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = random.uniform(-1, 1);
    b[i] = random.uniform(-1, 1);
  }
  return { a, b };
}

/** W3: s = Σ a_i·b_i as a left fold over fresh leaves, then backward; 4n - 1 nodes. */
export function w3Run(a: Float64Array, b: Float64Array): { s: Value; as: Value[]; bs: Value[] } {
  const as: Value[] = [];
  const bs: Value[] = [];
  let s: Value | undefined;
  for (let i = 0; i < a.length; i++) {
    const ai = new Value(a[i]);
    const bi = new Value(b[i]);
    as.push(ai);
    bs.push(bi);
    const p = ai.mul(bi);
    s = s === undefined ? p : s.add(p);
  }
  const root = s as Value;
  root.backward();
  return { s: root, as, bs };
}
