import { describe, expect, test } from 'vitest';
import {
  Adam,
  AdamW,
  InvalidArgumentError,
  MLP,
  Optimizer,
  Random,
  SGD,
  Value,
  type AdamOptions,
  makeMoons,
  train,
} from '@crossgrad/autograd';

/** Runs `steps` steps of `make([p])` on f(p) = p² from p = 1 and returns p after each step. */
function quadratic(make: (params: Value[]) => Optimizer, steps = 3): number[] {
  const p = new Value(1, 'p');
  const opt = make([p]);
  const out: number[] = [];
  for (let k = 0; k < steps; k++) {
    opt.zeroGrad();
    p.mul(p).backward();
    opt.step();
    out.push(p.data);
  }
  return out;
}

function expectClose(actual: number[], expected: number[], digits = 14): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], digits));
}

// Expected values below were computed by hand (and checked in 40-digit arithmetic) from the update rules.
describe('SGD', () => {
  test('plain: p -= lr·grad, three steps on p² from 1 with lr 0.1 (0.8, 0.64, 0.512)', () => {
    expectClose(
      quadratic((ps) => new SGD(ps, { lr: 0.1 })),
      [0.8, 0.64, 0.512],
    );
  });

  test('momentum 0.9: the buffer starts at the gradient, then b = 0.9·b + g (0.8, 0.46, 0.062)', () => {
    expectClose(
      quadratic((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9 })),
      [0.8, 0.46, 0.062],
    );
  });

  test('Nesterov momentum 0.9: the step is g + 0.9·b (0.62, 0.2224, -0.108352)', () => {
    expectClose(
      quadratic((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true })),
      [0.62, 0.2224, -0.108352],
    );
  });

  test('weight decay 0.1 adds 0.1·p to the gradient (0.79, 0.6241, 0.493039)', () => {
    expectClose(
      quadratic((ps) => new SGD(ps, { lr: 0.1, weightDecay: 0.1 })),
      [0.79, 0.6241, 0.493039],
    );
  });

  test('momentum accumulates a constant gradient: steps of lr·g·(1 + μ + … + μ^k) → lr·g/(1 - μ)', () => {
    const p = new Value(1, 'p');
    const opt = new SGD([p], { lr: 0.1, momentum: 0.5 });
    const positions: number[] = [];
    for (let k = 0; k < 60; k++) {
      opt.zeroGrad();
      p.mul(3).backward(); // grad 3 at every step
      opt.step();
      positions.push(p.data);
    }
    // buffers 3, 4.5, 5.25: positions 0.7, 0.25, -0.275
    expectClose(positions.slice(0, 3), [0.7, 0.25, -0.275]);
    expect(positions[58] - positions[59]).toBeCloseTo((0.1 * 3) / (1 - 0.5), 12);
    expect(opt.steps).toBe(60);
  });

  test('without momentum or decay a step is exactly p.data -= lr * p.grad (bit for bit)', () => {
    const a = new Value(0.3, 'a');
    const b = new Value(-1.7, 'b');
    a.grad = 0.123456789;
    b.grad = -2.5e-7;
    new SGD([a, b], { lr: 0.37 }).step();
    expect(a.data).toBe(0.3 - 0.37 * 0.123456789);
    expect(b.data).toBe(-1.7 - 0.37 * -2.5e-7);
  });
});

describe('Adam', () => {
  test('three bias-corrected steps on p² from 1 with lr 0.1 and the default betas and eps', () => {
    expectClose(
      quadratic((ps) => new Adam(ps, { lr: 0.1 })),
      [0.9000000005, 0.8004122286917921, 0.7015862729460295],
    );
  });

  test('bias correction: the first step moves every parameter by lr against the sign of its gradient', () => {
    const grads = [6, -0.5, 100, 1e-3, -3e4];
    for (const betas of [
      [0.9, 0.999],
      [0.5, 0.9],
    ] as const) {
      const ps = grads.map((_, i) => new Value(1, `p${i}`));
      ps.forEach((p, i) => (p.grad = grads[i]));
      new Adam(ps, { lr: 0.01, betas }).step();
      ps.forEach((p, i) => {
        const moved = 1 - p.data;
        expect(Math.sign(moved)).toBe(Math.sign(grads[i]));
        // |Δ| = lr·|g| / (|g| + eps): lr up to a relative eps/|g| (1e-5 for g = 1e-3)
        expect(Math.abs(Math.abs(moved) - 0.01)).toBeLessThan(0.01 * 1.1e-5);
      });
    }
  });

  test('weightDecay is an L2 term in the gradient, so it is normalised like the gradient', () => {
    expectClose(
      quadratic((ps) => new Adam(ps, { lr: 0.1, weightDecay: 0.1 })),
      [0.9000000004761906, 0.8004122286431948, 0.7015862728718208],
    );
    // A parameter with no gradient: g = 0.1·p = 0.1, and the first step is still about lr.
    const q = new Value(1, 'q');
    new Adam([q], { lr: 0.1, weightDecay: 0.1 }).step();
    expect(q.data).toBeCloseTo(0.9, 6);
  });
});

describe('AdamW', () => {
  test('three steps on p² from 1 with lr 0.1 and weight decay 0.1', () => {
    expectClose(
      quadratic((ps) => new AdamW(ps, { lr: 0.1, weightDecay: 0.1 })),
      [0.8900000005, 0.7815718559365041, 0.675101221640069],
    );
  });

  test('the decay is decoupled from the gradient: p shrinks by exactly lr·λ·p, besides the Adam step', () => {
    // No gradient: only the decay acts, p ← (1 - lr·λ)·p = 0.99, 0.9801, 0.970299 (Adam's L2 term would move ~lr).
    const q = new Value(1, 'q');
    const opt = new AdamW([q], { lr: 0.1, weightDecay: 0.1 });
    const seen: number[] = [];
    for (let k = 0; k < 3; k++) {
      opt.step();
      seen.push(q.data);
    }
    expectClose(seen, [0.99, 0.9801, 0.970299], 15);
    // With a gradient: the first AdamW step is Adam's (no decay) minus lr·λ·p0 = 0.01.
    const adam = quadratic((ps) => new Adam(ps, { lr: 0.1 }), 1)[0];
    const adamw = quadratic((ps) => new AdamW(ps, { lr: 0.1, weightDecay: 0.1 }), 1)[0];
    expect(adamw).toBeCloseTo(adam - 0.01, 15);
  });

  test('defaults: lr 0.001, betas [0.9, 0.999], eps 1e-8, weightDecay 0.01 (Adam: 0)', () => {
    const w = new AdamW([new Value(1)]);
    expect([w.lr, w.betas, w.eps, w.weightDecay]).toEqual([0.001, [0.9, 0.999], 1e-8, 0.01]);
    expect(new Adam([new Value(1)]).weightDecay).toBe(0);
  });
});

describe('Optimizer', () => {
  test('takes a model or its parameters; zeroGrad clears every grad; lr can be rescheduled between steps', () => {
    const model = new MLP(2, [3, 1], { random: 4 });
    const byModel = new SGD(model, { lr: 0.1 });
    expect(byModel.parameters).toEqual(model.parameters());
    for (const p of model.parameters()) p.grad = 1;
    byModel.zeroGrad();
    expect(model.parameters().every((p) => p.grad === 0)).toBe(true);
    byModel.lr = 0.05;
    expect(byModel.lr).toBe(0.05);
    const x = new Value(2);
    const opt = new SGD([x], { lr: 0.5 });
    x.grad = 1;
    opt.step();
    opt.lr = 0.25;
    opt.step();
    expect(x.data).toBe(2 - 0.5 - 0.25);
  });

  test('bad hyper-parameters and parameter lists are InvalidArgumentErrors naming the argument', () => {
    const ps = [new Value(1)];
    const cases: [() => unknown, string, string][] = [
      [() => new SGD(ps, { lr: -0.1 }), 'lr', 'lr must be a finite number >= 0, got -0.1'],
      [() => new SGD(ps, { lr: NaN }), 'lr', 'lr must be a finite number >= 0, got NaN'],
      [() => new SGD(ps, {} as { lr: number }), 'lr', 'lr must be a finite number >= 0, got undefined'],
      [() => new SGD(ps, { lr: 0.1, momentum: 1 }), 'momentum', 'momentum must be a number in [0, 1), got 1'],
      [
        () => new SGD(ps, { lr: 0.1, momentum: -0.5 }),
        'momentum',
        'momentum must be a number in [0, 1), got -0.5',
      ],
      [
        () => new SGD(ps, { lr: 0.1, nesterov: true }),
        'nesterov',
        'nesterov momentum needs momentum > 0, got momentum 0',
      ],
      [
        () => new SGD(ps, { lr: 0.1, weightDecay: -1 }),
        'weightDecay',
        'weightDecay must be a finite number >= 0, got -1',
      ],
      [() => new Adam(ps, { betas: [1, 0.999] }), 'betas', 'beta1 must be in [0, 1), got 1'],
      [() => new Adam(ps, { betas: [0.9, -0.1] }), 'betas', 'beta2 must be in [0, 1), got -0.1'],
      [
        () => new Adam(ps, { betas: [0.9] as unknown as [number, number] }),
        'betas',
        'betas must be a pair [beta1, beta2], got an array of length 1',
      ],
      [() => new Adam(ps, { eps: 0 }), 'eps', 'eps must be a finite number > 0, got 0'],
      [
        () => new AdamW(ps, { weightDecay: Infinity }),
        'weightDecay',
        'weightDecay must be a finite number >= 0, got Infinity',
      ],
      [() => new Adam(ps, { lr: -1 }), 'lr', 'lr must be a finite number >= 0, got -1'],
      [() => new Adam([]), 'params', 'an optimizer needs at least one parameter, got none'],
      [
        () => new Adam([ps[0], ps[0]]),
        'params',
        'params[1] appears twice (it would be updated twice per step)',
      ],
      [() => new Adam([1] as unknown as Value[]), 'params', 'params[0] must be a Value, got 1'],
      [
        () => new Adam(3 as unknown as Value[]),
        'params',
        'params must be a Module or an iterable of Values, got 3',
      ],
      [() => new Adam(ps, null as unknown as AdamOptions), 'options', 'options must be an object, got null'],
      [
        () => {
          new SGD(ps, { lr: 1 }).lr = -2;
        },
        'lr',
        'lr must be a finite number >= 0, got -2',
      ],
    ];
    for (const [make, argument, message] of cases) {
      let caught: unknown;
      try {
        make();
      } catch (e) {
        caught = e;
      }
      expect(caught, message).toBeInstanceOf(InvalidArgumentError);
      expect((caught as InvalidArgumentError).argument).toBe(argument);
      expect((caught as Error).message).toBe(message);
    }
  });
});

describe('train with an optimizer', () => {
  const data = makeMoons(100, { noise: 0.1, seed: 1337 });
  const fresh = () => new MLP(2, [16, 16, 1], { random: new Random(1337) });

  test('Adam (lr 0.03) on 100 moons reaches the 100% training accuracy of the default schedule', () => {
    const reference = train(fresh(), data, { steps: 100, compile: true });
    const model = fresh();
    const opt = new Adam(model, { lr: 0.03 });
    const history = train(model, data, { steps: 100, compile: true, optimizer: opt });
    expect(reference[99].accuracy).toBe(1);
    expect(history[99].accuracy).toBe(1);
    expect(history[99].loss).toBeLessThan(history[0].loss / 10);
    expect(history.every((s) => s.learningRate === 0.03)).toBe(true);
    expect(opt.steps).toBe(100);
  }, 60_000);

  test('compile: true with an optimizer gives the eager trajectory bit for bit', () => {
    const run = (compile: boolean) => {
      const model = fresh();
      const optimizer = new AdamW(model, { lr: 0.02, weightDecay: 0.05 });
      const history = train(model, data, { steps: 15, compile, optimizer });
      return { history, params: model.parameters().map((p) => p.data) };
    };
    const eager = run(false);
    const compiled = run(true);
    expect(compiled.history.map((s) => s.loss)).toEqual(eager.history.map((s) => s.loss));
    expect(compiled.history.map((s) => s.accuracy)).toEqual(eager.history.map((s) => s.accuracy));
    expect(compiled.params).toEqual(eager.params);
    expect(eager.history[14].loss).toBeLessThan(eager.history[0].loss);
  });

  test('the history records the optimizer lr, which onStep may reschedule', () => {
    const model = new MLP(2, [4, 1], { random: 2 });
    const optimizer = new SGD(model, { lr: 0.2, momentum: 0.5 });
    const history = train(model, makeMoons(20, { seed: 3 }), {
      steps: 4,
      optimizer,
      onStep: ({ step }) => (optimizer.lr = 0.2 / (step + 2)),
    });
    expect(history.map((s) => s.learningRate)).toEqual([0.2, 0.1, 0.2 / 3, 0.05]);
  });

  test('an optimizer that is not an Optimizer is an InvalidArgumentError', () => {
    const model = new MLP(2, [1]);
    expect(() =>
      train(
        model,
        { X: [[1, 2]], y: [1] },
        { optimizer: { step() {}, zeroGrad() {} } as unknown as Optimizer },
      ),
    ).toThrow('optimizer must be an Optimizer (SGD, Adam, AdamW, ...), got an object (Object)');
  });
});
