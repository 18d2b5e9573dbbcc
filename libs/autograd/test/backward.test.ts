import { describe, expect, test } from 'vitest';
import { AutogradError, NonFiniteError, Value, flatGraph, topologicalOrder } from '@crossgrad/autograd';

describe('accumulation and reuse', () => {
  test('a + a and a * a get both contributions', () => {
    const a = new Value(3, 'a');
    a.add(a).backward();
    expect(a.grad).toBe(2);
    const b = new Value(3, 'b');
    b.mul(b).backward();
    expect(b.grad).toBe(6);
  });

  test('a node reused through two paths: d/da of (a*b) + (a*b)*a', () => {
    const a = new Value(2);
    const b = new Value(5);
    const ab = a.mul(b);
    const y = ab.add(ab.mul(a)); // ab + a²b
    y.backward();
    expect(ab.grad).toBe(1 + 2); // 1 + a
    expect(a.grad).toBe(5 + 2 * 2 * 5); // b + 2ab
    expect(b.grad).toBe(2 + 4); // a + a²
  });

  test('backward twice: interior grads are reset, leaves accumulate', () => {
    const a = new Value(2, 'a');
    const b = new Value(-3, 'b');
    const ab = a.mul(b);
    const y = ab.tanh();
    y.backward();
    const first = { a: a.grad, b: b.grad, ab: ab.grad, y: y.grad };
    y.backward();
    expect(y.grad).toBe(1);
    expect(ab.grad).toBe(first.ab);
    expect(a.grad).toBe(2 * first.a);
    expect(b.grad).toBe(2 * first.b);
  });

  test('zeroGrad clears every node reachable from the root, then accumulation restarts', () => {
    const a = new Value(2);
    const y = a.mul(a).add(a);
    y.backward();
    y.backward();
    expect(a.grad).toBe(10);
    y.zeroGrad();
    for (const v of topologicalOrder(y)) expect(v.grad).toBe(0);
    y.backward();
    expect(a.grad).toBe(5);
  });

  test('backward on a leaf accumulates 1; interior grads of a shared subgraph are those of the last root', () => {
    const a = new Value(1);
    a.backward();
    a.backward();
    expect(a.grad).toBe(2);
    const x = new Value(3);
    const h = x.mul(2);
    const y1 = h.mul(10);
    const y2 = h.mul(100);
    y1.backward();
    y2.backward();
    expect(h.grad).toBe(100);
    expect(x.grad).toBe(20 + 200);
  });
});

describe('deep graphs: no recursion', () => {
  test('a chain of 10^6 additions: backward, zeroGrad and topologicalOrder', () => {
    const a = new Value(0.5, 'a');
    const c = new Value(0.25, 'c');
    let x = a;
    for (let i = 0; i < 1_000_000; i++) x = x.add(c);
    x.backward();
    expect(x.data).toBe(0.5 + 250_000);
    expect(a.grad).toBe(1);
    expect(c.grad).toBe(1_000_000);
    x.zeroGrad();
    expect([a.grad, c.grad, x.grad]).toEqual([0, 0, 0]);
    const order = topologicalOrder(x);
    expect(order).toHaveLength(1_000_002);
    expect(order[order.length - 1]).toBe(x);
  });

  test('a chain of 10^5 tanh: the gradient is the product of the local derivatives', () => {
    const x0 = new Value(0.5);
    let x = x0;
    const locals: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      x = x.mul(1.0001).add(0.0001).tanh();
      locals.push(1.0001 * (1 - x.data * x.data));
    }
    x.backward();
    let want = 1;
    for (let i = locals.length - 1; i >= 0; i--) want *= locals[i];
    expect(x0.grad).toBeCloseTo(want, 14);
    expect(x0.grad).toBeGreaterThan(0);
  });
});

describe('topologicalOrder', () => {
  test('children before parents, each node once', () => {
    const a = new Value(2, 'a');
    const y = a.mul(a).add(1);
    expect(topologicalOrder(y).map((v) => v.op)).toEqual(['', '*', '', '+']);
    const order = topologicalOrder(y.tanh());
    const position = new Map(order.map((v, i) => [v, i]));
    expect(position.size).toBe(order.length);
    for (const v of order)
      for (const c of v.children) expect(position.get(c)).toBeLessThan(position.get(v) as number);
  });
});

describe('flatGraph', () => {
  test("topologicalOrder's nodes, each operand's position in them; a leaf and a one-operand op have -1", () => {
    const a = new Value(2, 'a');
    const y = a.mul(a).add(1);
    const flat = flatGraph(y);
    expect(flat.nodes.map((v) => v.op)).toEqual(['', '*', '', '+']);
    expect([...flat.first]).toEqual([-1, 0, -1, 1]);
    expect([...flat.second]).toEqual([-1, 0, -1, 2]);
    expect(flatGraph(a)).toEqual({ nodes: [a], first: Int32Array.of(-1), second: Int32Array.of(-1) });
    const t = flatGraph(y.tanh());
    expect([t.first.at(-1), t.second.at(-1)]).toEqual([3, -1]);
  });

  test('random graphs with shared nodes: the positions are those of the operands, whatever marks earlier traversals left', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 20; k++) {
      const pool = Array.from({ length: 5 }, (_, i) => new Value(next(), `x${i}`));
      for (let i = 0; i < 200; i++) {
        const u = pool[Math.floor(next() * pool.length)];
        const w = pool[Math.floor(next() * pool.length)];
        pool.push(next() < 0.3 ? u.tanh() : next() < 0.5 ? u.mul(w) : u.add(w));
      }
      const root = pool[pool.length - 1];
      // Earlier traversals leave marks of their own: the positions must not depend on them.
      if (k % 2 === 0) root.backward();
      const { nodes, first, second } = flatGraph(root);
      const order = topologicalOrder(root);
      expect(nodes).toEqual(order);
      const position = new Map(nodes.map((v, p) => [v, p]));
      nodes.forEach((v, p) => {
        const [c0, c1] = v.children;
        expect(first[p]).toBe(c0 === undefined ? -1 : position.get(c0));
        expect(second[p]).toBe(c1 === undefined ? -1 : position.get(c1));
      });
    }
  });

  test('a chain of 10^6 nodes, without recursion', () => {
    let x = new Value(0.5);
    for (let i = 0; i < 1_000_000; i++) x = x.add(1);
    const { nodes, first, second } = flatGraph(x);
    expect(nodes).toHaveLength(2_000_001);
    expect([first.at(-1), second.at(-1)]).toEqual([nodes.length - 3, nodes.length - 2]);
  });
});

describe('backward({ checkFinite: true })', () => {
  test('names the first node whose value is not finite, by op and label, before touching any grad', () => {
    const x = new Value(-1, 'x');
    const y = x.log();
    y.label = 'y';
    const z = y.mul(2).add(x.sqrt());
    let error: unknown;
    try {
      z.backward({ checkFinite: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(error).toBeInstanceOf(AutogradError);
    const e = error as NonFiniteError;
    expect(e.message).toBe('value of \'log\' node "y" is NaN');
    expect(e.name).toBe('NonFiniteError');
    expect([e.node, e.quantity, e.value]).toEqual([y, 'data', NaN]);
    expect(x.grad).toBe(0);
  });

  test('names a non-finite gradient in backward order; unlabelled nodes and leaves are named too', () => {
    const x = new Value(0, 'x');
    const s = x.sqrt(); // finite value 0, local derivative Infinity
    const y = s.mul(3);
    expect(() => y.backward({ checkFinite: true })).toThrow(new NonFiniteError(x, 'grad', Infinity));
    expect(() => y.backward({ checkFinite: true })).toThrow('gradient of leaf "x" is Infinity');
    const u = new Value(Infinity).mul(1);
    expect(() => u.backward({ checkFinite: true })).toThrow('value of leaf (unlabelled) is Infinity');
    const w = new Value(1e308).mul(10);
    expect(() => w.backward({ checkFinite: true })).toThrow("value of '*' node (unlabelled) is Infinity");
  });

  test('after an aborted backward every traversal count is restored: the next backward is right', () => {
    const x = new Value(0, 'x');
    const b = new Value(3, 'b');
    const bb = b.mul(b);
    // The sqrt branch is processed first, so the error leaves the b·b branch pending.
    const y = bb.add(x.sqrt());
    expect(() => y.backward({ checkFinite: true })).toThrow('gradient of leaf "x" is Infinity');
    expect(b.grad).toBe(0);
    x.grad = 0;
    y.backward();
    expect([bb.grad, b.grad, x.grad]).toEqual([1, 6, Infinity]);
    expect(topologicalOrder(y)).toHaveLength(5);
  });

  test('when everything is finite it gives the same grads as without the check', () => {
    const build = () => {
      const a = new Value(0.3);
      const b = new Value(-1.7);
      const y = a.mul(b).tanh().add(a.exp().mul(b)).pow(2);
      return { a, b, y };
    };
    const plain = build();
    plain.y.backward();
    const checked = build();
    checked.y.backward({ checkFinite: true });
    expect([checked.a.grad, checked.b.grad]).toEqual([plain.a.grad, plain.b.grad]);
  });
});
