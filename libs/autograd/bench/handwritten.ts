/**
 * Hand-written baselines in plain JS: the same arithmetic as the engine's workloads on Float64Arrays, with the
 * backward pass written out by hand. No graph, no objects per operation: what the engine is measured against.
 */

/** An MLP(2, [16, 16, 1]) in flat arrays: W1 is 16×2, W2 16×16, W3 1×16, row-major; biases separate. */
export interface DenseMLP {
  W1: Float64Array;
  b1: Float64Array;
  W2: Float64Array;
  b2: Float64Array;
  W3: Float64Array;
  b3: Float64Array;
}

/** An MLP(2,[h,h,1]) with every weight and bias 0: the shape of the parameters, and of their gradients. */
function zeroDense(h: number): DenseMLP {
  return {
    W1: new Float64Array(h * 2),
    b1: new Float64Array(h),
    W2: new Float64Array(h * h),
    b2: new Float64Array(h),
    W3: new Float64Array(h),
    b3: new Float64Array(1),
  };
}

/** Copy parameters given in micrograd order (layer, neuron, weights then bias) into flat arrays. */
export function denseFromParameters(params: readonly number[], h = 16): DenseMLP {
  const m = zeroDense(h);
  let k = 0;
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < 2; i++) m.W1[j * 2 + i] = params[k++];
    m.b1[j] = params[k++];
  }
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < h; i++) m.W2[j * h + i] = params[k++];
    m.b2[j] = params[k++];
  }
  for (let i = 0; i < h; i++) m.W3[i] = params[k++];
  m.b3[0] = params[k];
  return m;
}

/** Flat arrays back to micrograd order, to compare with the engine's parameters. */
export function parametersFromDense(m: DenseMLP, h = 16): number[] {
  const out: number[] = [];
  for (let j = 0; j < h; j++) out.push(m.W1[j * 2], m.W1[j * 2 + 1], m.b1[j]);
  for (let j = 0; j < h; j++) out.push(...m.W2.subarray(j * h, j * h + h), m.b2[j]);
  out.push(...m.W3, m.b3[0]);
  return out;
}

/**
 * One W1 step by hand: forward all points, loss mean(relu(1 - y·s)) + alpha·Σp², backward, SGD. Returns the loss.
 * Sums run in the engine's order, so the two agree to rounding.
 */
export function denseStep(
  m: DenseMLP,
  X: readonly (readonly number[])[],
  y: readonly number[],
  alpha: number,
  lr: number,
  h = 16,
): number {
  const n = X.length;
  const g = zeroDense(h);
  const z1 = new Float64Array(h);
  const a1 = new Float64Array(h);
  const z2 = new Float64Array(h);
  const a2 = new Float64Array(h);
  const d2 = new Float64Array(h);
  let dataLoss = 0;
  for (let p = 0; p < n; p++) {
    const x0 = X[p][0];
    const x1 = X[p][1];
    for (let j = 0; j < h; j++) {
      const z = m.b1[j] + m.W1[j * 2] * x0 + m.W1[j * 2 + 1] * x1;
      z1[j] = z;
      a1[j] = z > 0 ? z : 0;
    }
    for (let j = 0; j < h; j++) {
      let z = m.b2[j];
      for (let i = 0; i < h; i++) z += m.W2[j * h + i] * a1[i];
      z2[j] = z;
      a2[j] = z > 0 ? z : 0;
    }
    let s = m.b3[0];
    for (let i = 0; i < h; i++) s += m.W3[i] * a2[i];
    const margin = 1 - y[p] * s;
    dataLoss += margin > 0 ? margin : 0;
    if (!(margin > 0)) continue;
    const ds = -y[p] / n;
    g.b3[0] += ds;
    for (let i = 0; i < h; i++) {
      g.W3[i] += ds * a2[i];
      d2[i] = z2[i] > 0 ? ds * m.W3[i] : 0;
    }
    for (let j = 0; j < h; j++) {
      const dj = d2[j];
      if (dj === 0) continue;
      g.b2[j] += dj;
      for (let i = 0; i < h; i++) g.W2[j * h + i] += dj * a1[i];
    }
    for (let i = 0; i < h; i++) {
      if (!(z1[i] > 0)) continue;
      let d = 0;
      for (let j = 0; j < h; j++) d += m.W2[j * h + i] * d2[j];
      g.b1[i] += d;
      g.W1[i * 2] += d * x0;
      g.W1[i * 2 + 1] += d * x1;
    }
  }
  let reg = 0;
  for (const p of parametersFromDense(m, h)) reg += p * p;
  const loss = dataLoss * (1 / n) + reg * alpha;
  for (const key of ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'] as const) {
    const w = m[key];
    const gw = g[key];
    for (let i = 0; i < w.length; i++) w[i] -= lr * (gw[i] + 2 * alpha * w[i]);
  }
  return loss;
}

/** W2 by hand: x = tanh(x·1.0001 + 0.0001) n times, then dx_n/dx_0. */
export function denseChain(n: number): { value: number; grad: number } {
  const xs = new Float64Array(n + 1);
  xs[0] = 0.5;
  for (let i = 0; i < n; i++) xs[i + 1] = Math.tanh(xs[i] * 1.0001 + 0.0001);
  let grad = 1;
  // The chain rule in the engine's order (tanh's local derivative, then the product's), so results match exactly.
  for (let i = n; i > 0; i--) grad = 1.0001 * ((1 - xs[i] * xs[i]) * grad);
  return { value: xs[n], grad };
}

/** W3 by hand: s = Σ a_i·b_i, and the gradients (b for a, a for b). */
export function denseDot(
  a: Float64Array,
  b: Float64Array,
): { value: number; ga: Float64Array; gb: Float64Array } {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return { value: s, ga: b.slice(), gb: a.slice() };
}
