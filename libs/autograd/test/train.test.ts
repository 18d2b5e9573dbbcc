import { describe, expect, test } from 'vitest';
import {
  InvalidArgumentError,
  MLP,
  Neuron,
  Random,
  makeMoons,
  maxMarginLoss,
  topologicalOrder,
  train,
  type TrainStep,
} from '@crossgrad/autograd';

describe('maxMarginLoss', () => {
  test('mean(relu(1 - y·score)) + alpha·Σp², and the accuracy, computed by hand', () => {
    const model = new Neuron(2, { nonlin: false, random: 5 });
    model.b.data = 0.1;
    const [w0, w1] = model.w.map((w) => w.data);
    const data = {
      X: [
        [1, 2],
        [-0.5, 0.3],
        [2, -1],
      ],
      y: [1, -1, -1],
    };
    const scores = data.X.map(([a, b]) => w0 * a + w1 * b + 0.1);
    const hinge = scores.map((s, i) => Math.max(0, 1 - data.y[i] * s));
    const reg = w0 * w0 + w1 * w1 + 0.1 * 0.1;
    const { loss, accuracy } = maxMarginLoss(model, data, { alpha: 0.01 });
    expect(loss.data).toBeCloseTo(hinge.reduce((a, b) => a + b) / 3 + 0.01 * reg, 14);
    expect(accuracy).toBe(scores.filter((s, i) => s > 0 === data.y[i] > 0).length / 3);
    expect(maxMarginLoss(model, data, { alpha: 0 }).loss.data).toBeCloseTo(
      hinge.reduce((a, b) => a + b) / 3,
      14,
    );
  });

  test('a NaN score is misclassified whatever the label', () => {
    const model = new Neuron(1, { nonlin: false });
    model.b.data = NaN;
    const { loss, accuracy } = maxMarginLoss(model, { X: [[1], [2]], y: [1, -1] });
    expect(accuracy).toBe(0);
    expect(loss.data).toBeNaN();
  });

  test('its gradients agree with central differences of the loss in the parameters', () => {
    const model = new MLP(2, [4, 1], { random: 9 });
    const data = makeMoons(10, { noise: 0.1, seed: 2 });
    const { loss } = maxMarginLoss(model, data);
    loss.backward();
    for (const p of model.parameters().filter((_, i) => i % 3 === 0)) {
      const x = p.data;
      const h = 1e-6;
      p.data = x + h;
      const up = maxMarginLoss(model, data).loss.data;
      p.data = x - h;
      const down = maxMarginLoss(model, data).loss.data;
      p.data = x;
      expect(p.grad).toBeCloseTo((up - down) / (2 * h), 7);
    }
  });

  test('the W1 graph: MLP(2, [16, 16, 1]) on 100 points is 65,814 nodes (micrograd: 65,818)', () => {
    const model = new MLP(2, [16, 16, 1], { random: 1337 });
    const { loss } = maxMarginLoss(model, makeMoons(100, { seed: 1 }));
    // micrograd's sum() starts from 0, adding a zero leaf and one more '+' twice.
    expect(topologicalOrder(loss)).toHaveLength(65_818 - 4);
  });

  test('bad data and models are InvalidArgumentErrors', () => {
    const model = new MLP(2, [1]);
    expect(() => maxMarginLoss(model, { X: [[1, 2]], y: [0] })).toThrow(
      'labels must be +1 or -1, got y[0] = 0',
    );
    expect(() => maxMarginLoss(model, { X: [[1, 2]], y: [] })).toThrow(
      'data needs as many labels as rows (at least one), got 1 rows and 0 labels',
    );
    expect(() => maxMarginLoss(new MLP(2, [2]), { X: [[1, 2]], y: [1] })).toThrow(
      'the loss needs a model with one output, got 2 outputs',
    );
    expect(() => maxMarginLoss(model, { X: [[1, 2]], y: [1] }, { alpha: -1 })).toThrow(InvalidArgumentError);
    expect(() => train(model, { X: [[1, 2]], y: [1] }, { steps: 1.5 })).toThrow(
      'steps must be a non-negative integer, got 1.5',
    );
  });
});

describe('train', () => {
  test('MLP(2, [16, 16, 1]) on 100 moons (noise 0.1) reaches 100% training accuracy within 100 steps', () => {
    const model = new MLP(2, [16, 16, 1], { random: new Random(1337) });
    const data = makeMoons(100, { noise: 0.1, seed: 1337 });
    const seen: TrainStep[] = [];
    const history = train(model, data, { steps: 100, onStep: (s) => seen.push(s) });
    expect(history).toHaveLength(100);
    expect(seen).toEqual(history);
    expect(history.map((s) => s.step)).toEqual([...Array(100).keys()]);
    expect(history[0].learningRate).toBe(1);
    expect(history[50].learningRate).toBeCloseTo(0.55, 15);
    expect(history[99].learningRate).toBeCloseTo(0.109, 15);
    const first = history.findIndex((s) => s.accuracy === 1);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(history[99].accuracy).toBe(1);
    expect(maxMarginLoss(model, data).accuracy).toBe(1);
    expect(history[99].loss).toBeLessThan(history[0].loss / 10);
  });

  test('compile: true gives the eager trajectory bit for bit: losses, accuracies and final parameters', () => {
    const run = (compile: boolean) => {
      const model = new MLP(2, [16, 16, 1], { random: new Random(1337) });
      const data = makeMoons(100, { noise: 0.1, seed: 1337 });
      const history = train(model, data, { steps: 30, compile });
      return { history, params: model.parameters().map((p) => p.data) };
    };
    const eager = run(false);
    const compiled = run(true);
    expect(compiled.history).toHaveLength(30);
    const bits = (xs: number[]) => xs.map((x) => (Object.is(x, -0) ? '-0' : String(x)));
    expect(bits(compiled.history.map((s) => s.loss))).toEqual(bits(eager.history.map((s) => s.loss)));
    expect(compiled.history.map((s) => s.accuracy)).toEqual(eager.history.map((s) => s.accuracy));
    expect(bits(compiled.params)).toEqual(bits(eager.params));
    expect(eager.history[29].loss).toBeLessThan(eager.history[0].loss);
  });
});
