import { describe, expect, test } from 'vitest';
import {
  InvalidArgumentError,
  Layer,
  MLP,
  Module,
  Neuron,
  Random,
  topologicalOrder,
} from '@crossgrad/autograd';

describe('Neuron', () => {
  test('act(b + w·x) with weights uniform in [-1, 1) drawn from the generator, bias 0', () => {
    const n = new Neuron(3, { random: 11 });
    const r = new Random(11);
    expect(n.w.map((w) => w.data)).toEqual([r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(-1, 1)]);
    expect(n.b.data).toBe(0);
    n.b.data = 0.25;
    const xs = [0.5, -2, 3];
    const linear = 0.25 + n.w.reduce((s, w, i) => s + w.data * xs[i], 0);
    expect(n.forward(xs).data).toBeCloseTo(Math.max(0, linear), 14);
    expect(n.forward(xs).op).toBe('ReLU');
    expect(new Neuron(3, { random: 11, nonlin: false }).forward(xs).op).toBe('+');
    expect(new Neuron(3, { activation: 'tanh' }).forward(xs).op).toBe('tanh');
    expect(new Neuron(3, { activation: 'sigmoid' }).forward(xs).op).toBe('sigmoid');
    expect(String(n)).toBe('ReLUNeuron(3)');
  });

  test('parameters are the weights then the bias; gradients reach them', () => {
    const n = new Neuron(2, { nonlin: false, random: 1 });
    expect(n.parameters()).toEqual([n.w[0], n.w[1], n.b]);
    expect(n.parameters().map((p) => p.label)).toEqual(['w0', 'w1', 'b']);
    n.forward([3, -4]).backward();
    expect(n.parameters().map((p) => p.grad)).toEqual([3, -4, 1]);
    n.zeroGrad();
    expect(n.parameters().map((p) => p.grad)).toEqual([0, 0, 0]);
  });
});

describe('MLP', () => {
  test("MLP(2, [16, 16, 1]) has micrograd's 337 parameters, layer by layer, neuron by neuron, weights then bias", () => {
    const model = new MLP(2, [16, 16, 1], { random: 1337 });
    const ps = model.parameters();
    expect(ps).toHaveLength(16 * 3 + 16 * 17 + 17);
    expect(ps.slice(0, 4).map((p) => p.label)).toEqual(['l0.n0.w0', 'l0.n0.w1', 'l0.n0.b', 'l0.n1.w0']);
    expect(ps[48].label).toBe('l1.n0.w0');
    expect(ps.at(-1)?.label).toBe('l2.n0.b');
    expect(ps[2]).toBe(model.layers[0].neurons[0].b);
    expect(ps[48]).toBe(model.layers[1].neurons[0].w[0]);
    expect(new Set(ps).size).toBe(337);
    // Weights are drawn in parameter order from one generator; biases start at 0.
    const r = new Random(1337);
    for (const p of ps) expect(p.data).toBe(p.label.endsWith('.b') ? 0 : r.uniform(-1, 1));
    expect(String(model)).toBe(
      `MLP of [Layer of [${Array(16).fill('ReLUNeuron(2)').join(', ')}], Layer of [${Array(16).fill('ReLUNeuron(16)').join(', ')}], Layer of [LinearNeuron(16)]]`,
    );
  });

  test('ReLU hidden layers and a linear output, computed by hand', () => {
    const model = new MLP(2, [2, 1], { random: 4 });
    const [[a, b], [c, d]] = model.layers[0].neurons.map((n) => n.w.map((w) => w.data));
    const [e, f] = model.layers[1].neurons[0].w.map((w) => w.data);
    const x = [0.7, -1.3];
    const h = [Math.max(0, a * x[0] + b * x[1]), Math.max(0, c * x[0] + d * x[1])];
    const out = model.forward(x);
    expect(out).toHaveLength(1);
    expect(out[0].data).toBeCloseTo(e * h[0] + f * h[1], 14);
    expect(out[0].op).toBe('+');
    expect(
      new MLP(2, [2, 1], { activation: 'tanh' }).forward(x)[0].children[0].children[1].children[1].op,
    ).toBe('tanh');
  });

  test('the same seed builds the same model; a shared Random gives different layers', () => {
    const data = (m: Module) => m.parameters().map((p) => p.data);
    expect(data(new MLP(2, [4, 1], { random: 3 }))).toEqual(data(new MLP(2, [4, 1], { random: 3 })));
    expect(data(new MLP(2, [4, 1], { random: 3 }))).not.toEqual(data(new MLP(2, [4, 1], { random: 4 })));
    expect(data(new MLP(2, [4, 1]))).toEqual(data(new MLP(2, [4, 1], { random: 0 })));
    const r = new Random(8);
    expect(data(new Layer(2, 2, { random: r }))).not.toEqual(data(new Layer(2, 2, { random: r })));
  });

  test('number inputs are wrapped once and shared by every neuron of the first layer', () => {
    const model = new MLP(2, [3, 1], { random: 2 });
    const [out] = model.forward([1, 2]);
    const params = new Set(model.parameters());
    const graph = topologicalOrder(out);
    const inputs = graph.filter((v) => v.op === '' && !params.has(v));
    expect(inputs.map((v) => v.data)).toEqual([1, 2]);
    // 13 parameters, 2 inputs, 3 neurons × (2 products, 2 sums, ReLU), 3 products and 3 sums in the output.
    expect(graph).toHaveLength(13 + 2 + 3 * 5 + 6);
  });

  test('bad sizes and inputs are InvalidArgumentErrors naming the argument', () => {
    expect(() => new MLP(0, [1])).toThrow(InvalidArgumentError);
    expect(() => new MLP(0, [1])).toThrow('nin must be a positive integer, got 0');
    expect(() => new MLP(2, [])).toThrow(
      'MLP needs a non-empty array of layer sizes, got an array of length 0',
    );
    expect(() => new MLP(2, [4, 1.5])).toThrow('nouts[1] must be a positive integer, got 1.5');
    expect(() => new MLP(2, [1], { activation: 'gelu' as 'relu' })).toThrow(
      "activation must be 'relu', 'tanh' or 'sigmoid', got string \"gelu\"",
    );
    expect(() => new MLP(2, [1], { random: 'x' as unknown as number })).toThrow(
      'random must be a Random or a seed',
    );
    expect(() => new MLP(2, [1]).forward([1, 2, 3])).toThrow(
      'MLP expects 2 inputs, got an array of length 3',
    );
    expect(() => new Neuron(2).forward([1])).toThrow('Neuron expects 2 inputs, got an array of length 1');
    expect(() => new Layer(1, 1).forward(['a' as unknown as number])).toThrow(
      'model inputs must be Values or numbers, got string "a"',
    );
    const error = (() => {
      try {
        new MLP(2, [0]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('nouts[0]');
  });
});
