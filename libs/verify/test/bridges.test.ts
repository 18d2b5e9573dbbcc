import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileGraph, topologicalOrder, Value } from '@crossgrad/autograd';
import {
  add,
  compileGradient,
  diff,
  evaluate,
  type Expr,
  format,
  mul,
  num,
  parse,
  pow,
  sin,
  size,
  sym,
  tanh,
} from '@crossgrad/symbolic';
import {
  fromValue,
  InvalidInputError,
  MissingVariableError,
  pointFromValue,
  toValue,
} from '@crossgrad/verify';
import { buildW4, W4Tape, w4Inputs } from '../../autograd/bench/w4.js';
import { BUILDER2_BY_OP, BUILDER_BY_OP } from '../src/functions.js';
import { buildGraph, graphSteps } from './support/graphs.js';
import { points } from './support/oracles.js';

/** `fromValue`'s expression built the plain way, one builder call per graph node in topological order. */
function nodeByNode(root: Value): Expr {
  const done = new Map<Value, Expr>();
  for (const v of topologicalOrder(root)) {
    const [a, b] = v.children.map((k) => done.get(k) as Expr);
    let e: Expr | undefined;
    if (a === undefined) e = v.label !== '' ? sym(v.label) : num(v.data);
    else if (b === undefined)
      e = v.exponent !== undefined ? pow(a, v.exponent) : BUILDER_BY_OP.get(v.op)?.(a);
    else
      e =
        v.op === '+'
          ? add(a, b)
          : v.op === '*'
            ? mul(a, b)
            : v.op === '**'
              ? pow(a, b)
              : BUILDER2_BY_OP.get(v.op)?.(a, b);
    if (e === undefined) throw new Error(`no builder for ${v.op}`);
    done.set(v, e);
  }
  return done.get(root) as Expr;
}

/** Every node reachable from `root`, once each. */
function nodesOf(root: Value): Set<Value> {
  const seen = new Set<Value>();
  const stack = [root];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push(...v.children);
  }
  return seen;
}

describe('toValue', () => {
  test('builds the expression at the point; backward gives its gradient', () => {
    const { output, inputs } = toValue(parse('x^2 * sin(y) + exp(x*y)'), { x: 1.5, y: -0.5 });
    expect(output.data).toBeCloseTo(2.25 * Math.sin(-0.5) + Math.exp(-0.75), 15);
    output.backward();
    expect(inputs.x.grad).toBeCloseTo(3 * Math.sin(-0.5) - 0.5 * Math.exp(-0.75), 14);
    expect(inputs.y.grad).toBeCloseTo(2.25 * Math.cos(-0.5) + 1.5 * Math.exp(-0.75), 14);
    expect(inputs.x.label).toBe('x');
    expect(Object.keys(inputs).sort()).toEqual(['x', 'y']);
  });

  test('one leaf per variable, one Value per shared subexpression', () => {
    const x = sym('x');
    const s = sin(x);
    const e = add(mul(s, sym('y')), mul(s, sym('z')));
    const { output, inputs } = toValue(e, { x: 0.3, y: 2, z: 3 });
    const nodes = nodesOf(output);
    expect([...nodes].filter((v) => v.op === 'sin')).toHaveLength(1);
    expect([...nodes].filter((v) => v.label === 'x')).toEqual([inputs.x]);
    output.backward();
    expect(inputs.x.grad).toBeCloseTo(5 * Math.cos(0.3), 15);
  });

  test('a numeric exponent is a **k node, a symbolic one a ** node with [base, exponent]', () => {
    const k = toValue(pow(sym('x'), 3), { x: 2 }).output;
    expect(k.op).toBe('**3');
    expect(k.exponent).toBe(3);
    const v = toValue(pow(sym('x'), sym('y')), { x: 2, y: 3 }).output;
    expect(v.op).toBe('**');
    expect(v.children.map((c) => c.label)).toEqual(['x', 'y']);
    expect(v.data).toBe(8);
  });

  test("step and sign (symbolic's derivatives of relu and abs) become constants: derivative 0", () => {
    const d = diff(parse('x * relu(x) + abs(x)'), 'x');
    expect(format(d)).toMatch(/step\(x\)/);
    const { output, inputs } = toValue(d, { x: 1.5 });
    expect(output.data).toBeCloseTo(evaluate(d, { x: 1.5 }), 15);
    output.backward();
    expect(inputs.x.grad).toBeCloseTo(evaluate(diff(d, 'x'), { x: 1.5 }), 15);
  });

  test('a chain 100,000 deep converts without recursion', () => {
    let e = sym('x');
    for (let i = 0; i < 100_000; i++) e = tanh(e);
    const { output, inputs } = toValue(e, { x: 0.5 });
    output.backward();
    expect(inputs.x.grad).toBeGreaterThan(0);
    expect(inputs.x.grad).toBeLessThan(1);
  });

  test('every variable the point names keeps its leaf, with derivative 0 where simplification removed it', () => {
    const e = parse('(x/x)^2 + w');
    expect(format(e)).toBe('w + 1');
    const { output, inputs } = toValue(e, { x: 0.8, w: 1 });
    expect(Object.keys(inputs).sort()).toEqual(['w', 'x']);
    expect(inputs.x.data).toBe(0.8);
    expect(inputs.x.label).toBe('x');
    output.backward();
    expect(output.data).toBe(2);
    expect(inputs.x.grad).toBe(0);
    expect(inputs.w.grad).toBe(1);
    // The point's extra values are checked as the expression's own are.
    expect(() => toValue(e, { x: Infinity, w: 1 })).toThrow(
      'variable "x" must be a finite number, got Infinity',
    );
  });

  test('a missing or non-finite variable is a MissingVariableError naming it', () => {
    expect(() => toValue(parse('x + y'), { x: 1 })).toThrow(MissingVariableError);
    expect(() => toValue(parse('x + y'), { x: 1 })).toThrow('no value for variable "y" in the point');
    expect(() => toValue(parse('x'), { x: NaN })).toThrow('variable "x" must be a finite number, got NaN');
  });
});

describe('fromValue', () => {
  test('labelled leaves become variables, other leaves constants; every op maps', () => {
    const x = new Value(0.5, 'x');
    const y = new Value(2, 'y');
    const parts = [
      x.add(y),
      x.mul(3),
      x.pow(3),
      x.pow(y),
      x.exp(),
      y.log(),
      y.sqrt(),
      x.sin(),
      x.cos(),
      x.tanh(),
      x.sigmoid(),
      x.relu(),
      x.neg().abs(),
      x.sub(y).div(y),
    ];
    for (const v of parts) {
      const e = fromValue(v);
      expect(evaluate(e, { x: 0.5, y: 2 }), `${v.op} → ${format(e)}`).toBeCloseTo(v.data, 15);
    }
    expect(format(fromValue(x.relu()))).toBe('relu(x)');
    expect(format(fromValue(x.mul(3)))).toBe('3 * x');
    expect(fromValue(new Value(7))).toBe(num(7));
  });

  test('shared nodes stay shared: the Expr DAG is as small as the graph', () => {
    const x = new Value(0.3, 'x');
    const s = x.sin();
    const root = s.mul(s.add(1)).add(s.exp());
    const e = fromValue(root);
    // Interned: the same structure is the same object.
    expect(e).toBe(parse('sin(x) * (sin(x) + 1) + exp(sin(x))'));
    expect(size(e).dag).toBeLessThanOrEqual(nodesOf(root).size);
  });

  test('variables may name an interior node; its subgraph is not entered', () => {
    const x1 = new Value(2, 'x1');
    const w1 = new Value(-3, 'w1');
    const n = x1.mul(w1).add(new Value(6.5, 'b'));
    n.label = 'n';
    const o = n.tanh().add(x1);
    expect(format(fromValue(o, { variables: ['n', 'x1'] }))).toBe('x1 + tanh(n)');
    expect(pointFromValue(o, { variables: ['n', 'x1'] })).toEqual({ n: 0.5, x1: 2 });
    // Listed labels only: here x1 is a constant.
    expect(format(fromValue(o, { variables: ['n'] }))).toBe('tanh(n) + 2');
  });

  test('a chain 100,000 deep converts without recursion', () => {
    let v = new Value(0.5, 'x');
    for (let i = 0; i < 100_000; i++) v = v.sin();
    const e = fromValue(v);
    expect(evaluate(e, { x: 0.5 })).toBe(v.data);
  });

  test('W4 (softplus, sums, products, softmax; 2,000 ops) converts: same value, and compileGradient gives the tape gradient', () => {
    const nOps = 2_000;
    const xs = w4Inputs();
    const names = Array.from(xs, (_, i) => `x${i}`);
    const leaves = names.map((name, i) => new Value(xs[i], name));
    const output = buildW4(leaves, nOps);
    const e = fromValue(output);
    // Every node once: fewer expression nodes than graph nodes (x - m folds into one sum, shared nodes stay shared).
    expect(size(e).dag).toBeLessThan(compileGraph(output, leaves).size);
    const point = Object.fromEntries(names.map((name, i) => [name, xs[i]]));
    // The leaves the last node reaches (W4 reads only some of the 100), each at its value.
    const reached = pointFromValue(output);
    expect(Object.keys(reached).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(reached)) expect(value).toBe(point[name]);
    const symbolic = compileGradient(e, names)(...xs);
    const tape = new W4Tape(nOps).run(xs);
    expect(symbolic.value).toBeCloseTo(tape.value, 14);
    expect(symbolic.value).toBeCloseTo(output.data, 14);
    tape.gradient.forEach((g, i) => expect(symbolic.gradient[i]).toBeCloseTo(g, 14));
    // The last node depends on the leaves (through 2,000 ops its gradient has not vanished yet).
    expect(Math.max(...tape.gradient.map(Math.abs))).toBeGreaterThan(0);
  });

  test('a sum or product written as nested binary nodes becomes one flat node, with no node per level', () => {
    const names = ['p1', 'p2', 'p3', 'p4'];
    const [a, b, c, d] = names.map((name, i) => new Value(i + 1, name));
    // How many expression nodes `f` makes: ids count every node made (a fresh constant marks the count).
    let fresh = 0.123456;
    const made = (f: () => unknown): number => {
      const before = num((fresh += 1e-9)).id;
      f();
      return num((fresh += 1e-9)).id - before - 1;
    };
    const variables = names.map((name) => sym(name)); // made now, and held
    let e: Expr | undefined;
    // The sum only: no p1 + p2, p3 + p4 or p1 + p2 + p3 + p4 in another order.
    expect(made(() => (e = fromValue(a.add(b).add(c.add(d)))))).toBe(1);
    expect(e).toBe(parse('p1 + p2 + p3 + p4'));
    // sin(p4) and the product: no p1·p2 or p1·p2·p3.
    expect(made(() => (e = fromValue(a.mul(b).mul(c).mul(d.sin()))))).toBe(2);
    expect(e).toBe(parse('p1 * p2 * p3 * sin(p4)'));
    expect(variables.length).toBe(4);
  });

  test('where terms or factors merge, node by node as written (the rounding of coefficients depends on it)', () => {
    const x = new Value(0.7, 'x');
    const y = new Value(2, 'y');
    const [sx, sy] = [sym('x'), sym('y')];
    // (0.3x + 0.2x) + 0.1x: 0.5x + 0.1x = 0.6x, where 0.1 + 0.2 + 0.3 in one flat sum would round to 0.6000000000000001.
    const e = fromValue(x.mul(0.3).add(x.mul(0.2)).add(x.mul(0.1)));
    expect(e).toBe(add(add(mul(0.3, sx), mul(0.2, sx)), mul(0.1, sx)));
    expect(format(e)).toBe('0.6 * x');
    expect(fromValue(x.mul(0.3).add(x.mul(0.2)).add(x.mul(0.1)).add(y))).toBe(
      add(add(add(mul(0.3, sx), mul(0.2, sx)), mul(0.1, sx)), sy),
    );
    // (0.2s + 0.7s) + 0.1s of a sum s of three terms: 0.9999999999999999·s as written, where one flat sum would
    // collect to 1·s, that is s's own three terms, as many as the flat sum had.
    const s = x.add(y).add(x.sin());
    const ss = fromValue(s);
    expect(fromValue(s.mul(0.2).add(s.mul(0.7)).add(s.mul(0.1)))).toBe(mul(0.9999999999999999, ss));
    // Two constants: (x + 0.1) + 0.2 adds them as written.
    expect(fromValue(x.add(0.1).add(0.2))).toBe(add(add(sx, 0.1), 0.2));
    // A factor twice: x·y·x = x²·y; and coefficients multiplied as written.
    expect(fromValue(x.mul(y).mul(x))).toBe(parse('x^2 * y'));
    expect(fromValue(x.mul(0.1).mul(y).mul(3))).toBe(mul(mul(mul(sx, 0.1), sy), 3));
  });

  test('random graphs: the same expression as converting node by node', () => {
    // Graphs of sums, differences and products of shared nodes, constants and the variables, where flattening
    // and merging meet, and the graphs of every op.
    const constants = [0.1, 0.2, 0.3, -1, 2, 0.5];
    const sumsAndProducts = fc.array(
      fc.record({
        op: fc.constantFrom('add', 'sub', 'mul', 'neg', 'square'),
        a: fc.nat({ max: 40 }),
        b: fc.nat({ max: 40 }),
        k: fc.option(fc.constantFrom(...constants), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 30 },
    );
    fc.assert(
      fc.property(sumsAndProducts, (steps) => {
        const nodes = ['x', 'y', 'z'].map((name, i) => new Value(0.3 * (i + 1), name));
        for (const { op, a, b, k } of steps) {
          const u = nodes[a % nodes.length];
          const v = k !== undefined ? new Value(k) : nodes[b % nodes.length];
          nodes.push(
            op === 'add'
              ? u.add(v)
              : op === 'sub'
                ? u.sub(v)
                : op === 'mul'
                  ? u.mul(v)
                  : op === 'neg'
                    ? u.neg()
                    : u.pow(2),
          );
        }
        const root = nodes[nodes.length - 1];
        expect(fromValue(root)).toBe(nodeByNode(root));
      }),
      { seed: 2_026_1207, numRuns: 400 },
    );
    fc.assert(
      fc.property(graphSteps(), points, (steps, p) => {
        const { output } = buildGraph(steps, p);
        expect(fromValue(output)).toBe(nodeByNode(output));
      }),
      { seed: 7_1207, numRuns: 200 },
    );
  });

  test('ambiguous or missing variables and non-Values are typed errors', () => {
    const a = new Value(1, 'x');
    const b = new Value(2, 'x');
    expect(() => fromValue(a.add(b))).toThrow(InvalidInputError);
    expect(() => fromValue(a.add(b))).toThrow('two different nodes are labelled "x"');
    expect(() => fromValue(a.mul(2), { variables: ['y'] })).toThrow(
      'variable "y" labels no node of the graph',
    );
    expect(() => fromValue(a, { variables: ['x', 'x'] })).toThrow('variable "x" is listed twice');
    expect(() => fromValue({} as Value)).toThrow('fromValue expects a Value from @crossgrad/autograd');
  });
});
