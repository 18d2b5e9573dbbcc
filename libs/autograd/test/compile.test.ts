import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  AutogradError,
  InvalidArgumentError,
  MLP,
  NonFiniteError,
  Random,
  Value,
  compileGraph as compileWith,
  makeMoons,
  maxMarginLoss,
  type FnName,
  type Fn2Name,
  FUNCTIONS,
  FUNCTIONS2,
  topologicalOrder,
  type CompiledGraph,
  type CompileOptions,
} from '@crossgrad/autograd';
import { W4Tape, buildW4, w4Eager, w4Inputs } from '../bench/w4.js';
import { setInlineFunctions } from '../src/codegen.js';
import { resetCodegen } from '../src/compile.js';
import { expectIdentical, propertySeed } from './support.js';
import { setLoopsEverywhere } from '../src/loops.js';

// Random graphs: a list of nodes, each an op on two earlier nodes (or one), leaves first.
// Every function of the rule table, so a new entry is in the random graphs without an edit here.
const unaryNames = Object.keys(FUNCTIONS) as FnName[];
const binaryNames = Object.keys(FUNCTIONS2) as Fn2Name[];
type Step =
  | { kind: 'unary'; fn: FnName; a: number }
  | { kind: 'fn2'; fn: Fn2Name; a: number; b: number }
  | { kind: 'binary'; op: 'add' | 'mul' | 'pow' | 'sub' | 'div'; a: number; b: number }
  | { kind: 'powk'; k: number; a: number }
  | { kind: 'const'; c: number; a: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('unary' as const), fn: fc.constantFrom(...unaryNames), a: fc.nat() }),
  fc.record({
    kind: fc.constant('binary' as const),
    op: fc.constantFrom('add' as const, 'mul' as const, 'pow' as const, 'sub' as const, 'div' as const),
    a: fc.nat(),
    b: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('fn2' as const),
    fn: fc.constantFrom(...binaryNames),
    a: fc.nat(),
    b: fc.nat(),
  }),
  fc.record({ kind: fc.constant('powk' as const), k: fc.constantFrom(-1, 0, 0.5, 2, 3), a: fc.nat() }),
  fc.record({
    kind: fc.constant('const' as const),
    c: fc.double({ min: -3, max: 3, noNaN: true }),
    a: fc.nat(),
  }),
);

function buildRandom(leaves: Value[], steps: readonly Step[]): Value {
  const nodes: Value[] = leaves.slice();
  for (const s of steps) {
    const a = nodes[s.a % nodes.length];
    if (s.kind === 'unary') nodes.push((a[s.fn] as () => Value).call(a));
    else if (s.kind === 'fn2') nodes.push(a[s.fn](nodes[s.b % nodes.length]));
    else if (s.kind === 'powk') nodes.push(a.pow(s.k));
    else if (s.kind === 'const') nodes.push(a.mul(s.c));
    else nodes.push(a[s.op](nodes[s.b % nodes.length]));
  }
  return nodes[nodes.length - 1];
}

// Every describe below runs once per execution path, forced: the interpreter, the generated WebAssembly and the
// generated JavaScript (for every graph, the parts that do not repeat written out once), each compared with eager
// backward bit for bit (so with each other too).
let mode: 'tape' | 'codegen' | 'loops' = 'tape';
const twoArgument = new Set(Object.values(FUNCTIONS2).map((rule) => rule.op));
function compileGraph(output: Value, inputs: readonly Value[], options: CompileOptions = {}): CompiledGraph {
  const compiled = compileWith(output, inputs, { mode, ...options });
  if (mode === 'loops') {
    // A leaf has no instruction to generate; checkFinite checks in eager's order on the interpreter.
    expect(compiled.mode).toBe(output.op === '' || options.checkFinite === true ? 'tape' : 'loops');
    return compiled;
  }
  // Two-argument functions (atan2, min, max) have no generated WebAssembly: such a graph runs on the interpreter.
  const interpreted = topologicalOrder(output).some((v) => twoArgument.has(v.op));
  expect(compiled.mode).toBe(interpreted ? 'tape' : mode);
  return compiled;
}

for (const path of ['tape', 'codegen', 'loops'] as const) {
  describe(`mode '${path}'`, () => {
    beforeAll(() => {
      mode = path;
      setLoopsEverywhere(path === 'loops');
    });
    afterAll(() => {
      setLoopsEverywhere(false);
    });

    describe('compileGraph: run', () => {
      test('value and gradient at new inputs, identical to rebuilding the graph and calling backward', () => {
        const f = (a: Value, b: Value) => a.mul(b).sin().add(a.pow(3)).div(b.exp().add(1)).tanh();
        const a = new Value(0.3, 'a');
        const b = new Value(-1.2, 'b');
        const compiled = compileGraph(f(a, b), [a, b]);
        for (const [x, y] of [
          [0.3, -1.2],
          [2, 0.5],
          [-1, 3],
        ]) {
          const ea = new Value(x);
          const eb = new Value(y);
          const out = f(ea, eb);
          out.backward();
          const { value, gradient } = compiled.run([x, y]);
          expect(Object.is(value, out.data)).toBe(true);
          expectIdentical(gradient, [ea.grad, eb.grad]);
        }
      });

      test('the result object and array are reused by the next call', () => {
        const x = new Value(1);
        const compiled = compileGraph(x.mul(x), [x]);
        const first = compiled.run([3]);
        expect([first.value, first.gradient[0]]).toEqual([9, 6]);
        const second = compiled.run([4]);
        expect(second).toBe(first);
        expect(second.gradient).toBe(first.gradient);
        expect([first.value, first.gradient[0]]).toEqual([16, 8]);
      });

      test('constants and leaves that are not inputs are frozen at their data', () => {
        const x = new Value(1, 'x');
        const w = new Value(5, 'w');
        const compiled = compileGraph(x.mul(w).add(2), [x]);
        w.data = 100; // after compiling: no effect
        const { value, gradient } = compiled.run([3]);
        expect([value, gradient[0]]).toEqual([17, 5]);
      });

      test('an input the output does not depend on gets gradient 0; the output may be an input', () => {
        const x = new Value(1, 'x');
        const unused = new Value(7, 'unused');
        const compiled = compileGraph(x.sin(), [unused, x]);
        const { value, gradient } = compiled.run([1, 0.5]);
        expect(value).toBe(Math.sin(0.5));
        expectIdentical(gradient, [0, Math.cos(0.5)]);
        const leaf = compileGraph(x, [x]);
        expect(leaf.run([4])).toEqual({ value: 4, gradient: Float64Array.of(1) });
        expect(compileGraph(x.add(1), []).run([])).toEqual({ value: 2, gradient: new Float64Array(0) });
      });

      test('a 10^6-deep chain compiles and runs without recursion', () => {
        const a = new Value(0.5, 'a');
        const c = new Value(0.25, 'c');
        let y = a;
        for (let i = 0; i < 1_000_000; i++) y = y.add(c);
        // One merged sum of 10^6 terms: past the size of one WebAssembly function, so it stays on the interpreter;
        // the generated JavaScript runs it as a loop over its operands.
        const compiled = compileWith(y, [a, c], { mode });
        expect(compiled.mode).toBe(mode === 'loops' ? 'loops' : 'tape');
        const { value, gradient } = compiled.run([1, 0.5]);
        expect(value).toBe(1 + 500_000);
        expectIdentical(gradient, [1, 1_000_000]);
      }, 120_000);
    });

    describe('compileGraph: backward', () => {
      test("adds into the inputs' grads exactly as eager backward, and returns the value", () => {
        const build = () => {
          const a = new Value(0.7, 'a');
          const b = new Value(-0.4, 'b');
          const y = a.mul(b).add(a.softplus()).mul(a.tan()).add(b.abs().sqrt());
          return { a, b, y };
        };
        const eager = build();
        const compiled = build();
        const tape = compileGraph(compiled.y, [compiled.a, compiled.b]);
        for (const [x, z] of [
          [0.7, -0.4],
          [0.1, 2],
        ]) {
          // Leaves accumulate: start both from the same odd grads so rounding of the sum shows.
          eager.a.grad = compiled.a.grad = 0.1;
          eager.b.grad = compiled.b.grad = -1 / 3;
          eager.a.data = compiled.a.data = x;
          eager.b.data = compiled.b.data = z;
          const fresh = build();
          fresh.a.data = x;
          fresh.b.data = z;
          const out = fresh.a
            .mul(fresh.b)
            .add(fresh.a.softplus())
            .mul(fresh.a.tan())
            .add(fresh.b.abs().sqrt());
          fresh.a.grad = 0.1;
          fresh.b.grad = -1 / 3;
          out.backward();
          expect(Object.is(tape.backward(), out.data)).toBe(true);
          expectIdentical([compiled.a.grad, compiled.b.grad], [fresh.a.grad, fresh.b.grad]);
        }
      });

      test('frozen leaves keep their grad; interior nodes keep data and grad', () => {
        const x = new Value(2, 'x');
        const w = new Value(3, 'w');
        const h = x.mul(w);
        const tape = compileGraph(h.exp(), [x]);
        x.data = 0;
        expect(tape.backward()).toBe(1);
        expect([x.grad, w.grad, h.data, h.grad]).toEqual([3, 0, 6, 0]);
        expect(tape.dataOf(h)).toBe(0);
        expect(() => tape.dataOf(new Value(1))).toThrow('leaf (unlabelled) is not in the compiled graph');
      });

      // Merged instructions (a neuron b + Σ w·x, a chain of sums, a unary op after either) and skipped zero grads
      // must keep eager's signed zeros and NaNs: each graph below is one where a shortcut would differ from eager.
      test('merged instructions and zero grads: signed zeros, NaN from 0·∞, intermediate values', () => {
        const cases: { name: string; build: (a: Value, b: Value) => Value; at: [number, number] }[] = [
          // sqrt'(0) = ∞ meets a zero grad: 0·∞ = NaN reaches both inputs.
          { name: 'sqrt of a sum times 0', build: (a, b) => a.add(b).sqrt().mul(0).add(a), at: [1, -1] },
          // cos'(0) = -0: the sum's grad is 0 + (-0)·1 = +0, and -0 + +0 = +0 in an input that starts at -0.
          { name: 'cos of a sum at 0', build: (a, b) => a.add(b).cos(), at: [0.5, -0.5] },
          // A dead ReLU of a neuron: the neuron gets grad 0, its weights 0·x.
          {
            name: 'dead ReLU of b + w·x',
            build: (a, b) => b.add(a.mul(3)).add(a.mul(-2)).relu(),
            at: [-1, -1],
          },
          // A zero grad meets an infinite local derivative or operand: 0·∞ = NaN again.
          { name: 'sqrt at 0 times 0', build: (a, b) => a.sqrt().mul(0).add(b), at: [0, 1] },
          { name: 'product with ∞ times 0', build: (a, b) => a.mul(b).mul(0).add(b), at: [Infinity, 2] },
          {
            name: 'neuron with ∞ times 0',
            build: (a, b) => b.add(a.mul(2)).mul(0).add(b),
            at: [Infinity, 1],
          },
        ];
        for (const { name, build, at } of cases) {
          for (const start of [0, -0, 0.25]) {
            const a = new Value(0, 'a');
            const b = new Value(0, 'b');
            const tape = compileGraph(build(a, b), [a, b]);
            [a.data, b.data] = at;
            a.grad = b.grad = start;
            const ea = new Value(at[0], 'a');
            const eb = new Value(at[1], 'b');
            ea.grad = eb.grad = start;
            const out = build(ea, eb);
            out.backward();
            expect(Object.is(tape.backward(), out.data), name).toBe(true);
            expectIdentical([a.grad, b.grad], [ea.grad, eb.grad]);
            if (start === 0) {
              const { value, gradient } = tape.run(at);
              expect(Object.is(value, out.data), name).toBe(true);
              expectIdentical(gradient, [ea.grad, eb.grad]);
            }
          }
        }
        // Every node of a merged neuron still has its value for dataOf.
        const x = new Value(2, 'x');
        const w = new Value(3, 'w');
        const p1 = w.mul(x);
        const s1 = new Value(1, 'b').add(p1);
        const p2 = x.mul(x);
        const s2 = s1.add(p2);
        const tape = compileGraph(s2.tanh(), [x, w]);
        tape.run([5, 7]);
        expect([p1, s1, p2, s2].map((v) => tape.dataOf(v))).toEqual([35, 36, 25, 61]);
      });
    });

    describe('compileGraph: a Value exponent at a zero base', () => {
      test("d/db a^b at a = 0 is the table's: 0 where b >= 0, NaN at the pole b < 0 (found by the random graphs)", () => {
        const a = new Value(1, 'a');
        const b = new Value(1, 'b');
        const tape = compileGraph(a.pow(b).exp(), [a, b]);
        for (const [u, v] of [
          [0, -5e-324],
          [0, -1],
          [0, 0],
          [0, 2],
          [-0, 0.5],
          [2, 3],
        ]) {
          const ea = new Value(u);
          const eb = new Value(v);
          const out = ea.pow(eb).exp();
          out.backward();
          const { value, gradient } = tape.run([u, v]);
          expectIdentical([value, ...gradient], [out.data, ea.grad, eb.grad]);
        }
        expect(tape.run([0, -1]).gradient[1]).toBeNaN();
        expect(Object.is(tape.run([0, 2]).gradient[1], 0)).toBe(true);
      });
    });

    describe('compileGraph: two-argument functions', () => {
      test('atan2, min and max (ties and the origin included) run as eager, bit for bit', () => {
        const build = (x: Value, y: Value) =>
          y
            .atan2(x)
            .mul(x.max(y))
            .add(x.min(y.mul(2)).asinh())
            .add(x.max(x).mul(y.min(0)).atan());
        const x = new Value(1, 'x');
        const y = new Value(2, 'y');
        const tape = compileGraph(build(x, y), [x, y]);
        for (const [u, v] of [
          [1, 2],
          [0.5, 0.5],
          [0, 0],
          [-1, 0],
          [-0, -0],
          [3, -2],
        ]) {
          const ex = new Value(u);
          const ey = new Value(v);
          const out = build(ex, ey);
          out.backward();
          const { value, gradient } = tape.run([u, v]);
          expectIdentical([value, ...gradient], [out.data, ex.grad, ey.grad]);
        }
        // At the origin atan2 has no derivative: NaN, as eager gives.
        expect(tape.run([0, 0]).gradient[0]).toBeNaN();
      });

      test('checkFinite: a NaN partial of atan2 at the origin is the same NonFiniteError as eager', () => {
        const x = new Value(1, 'x');
        const y = new Value(1, 'y');
        const tape = compileGraph(y.atan2(x).mul(x.max(y)), [x, y], { checkFinite: true });
        const ex = new Value(0, 'x');
        const ey = new Value(0, 'y');
        const eager = ey.atan2(ex).mul(ex.max(ey));
        let want: unknown;
        try {
          eager.backward({ checkFinite: true });
        } catch (e) {
          want = e;
        }
        expect(want).toBeInstanceOf(NonFiniteError);
        expect(() => tape.run([0, 0])).toThrow((want as Error).message);
        // Away from the origin both run through.
        expect(tape.run([1, 2]).value).toBe(Math.atan2(2, 1) * 2);
      });
    });

    describe('compileGraph: errors', () => {
      const x = new Value(1, 'x');
      const y = new Value(2, 'y');
      const out = x.mul(y).add(1);

      test('inputs that are not leaves, not Values, or repeated', () => {
        const h = x.mul(y);
        h.label = 'h';
        expect(() => compileGraph(out, [x, h])).toThrow(
          new InvalidArgumentError('inputs', `inputs[1] must be a leaf, got '*' node "h"`),
        );
        expect(() => compileGraph(out, [x, h])).toThrow(InvalidArgumentError);
        expect(() => compileGraph(out, [x, 2 as unknown as Value])).toThrow(
          'inputs[1] must be a Value, got 2',
        );
        expect(() => compileGraph(out, [x, y, x])).toThrow('inputs[2] is the same leaf as inputs[0]');
        expect(() => compileGraph(3 as unknown as Value, [x])).toThrow('output must be a Value, got 3');
      });

      test('run with a wrong number of values or a value that is not a number', () => {
        const tape = compileGraph(out, [x, y]);
        expect(() => tape.run([1])).toThrow(new InvalidArgumentError('xs', 'expected 2 input values, got 1'));
        expect(() => tape.run([1, 2, 3])).toThrow('expected 2 input values, got 3');
        expect(() => tape.run([1, '2' as unknown as number])).toThrow(
          'xs[1] must be a number, got string "2"',
        );
        expect(() => tape.run(undefined as unknown as number[])).toThrow(
          'xs must be an array of numbers, got undefined',
        );
        expect(() => tape.run([1, 2])).not.toThrow(AutogradError);
      });

      test('checkFinite: the same error as eager, values first, then gradients in backward order', () => {
        const build = () => {
          const a = new Value(1, 'a');
          const b = new Value(3, 'b');
          const bb = b.mul(b);
          const y = bb.add(a.sqrt().mul(a.add(2)));
          return { a, b, y };
        };
        const eager = build();
        const compiled = build();
        const tape = compileGraph(compiled.y, [compiled.a, compiled.b], { checkFinite: true });
        for (const at of [-1, 0]) {
          eager.a.data = compiled.a.data = at;
          eager.a.grad = compiled.a.grad = 0;
          eager.b.grad = compiled.b.grad = 0;
          const fresh = build();
          fresh.a.data = at;
          const rebuilt = fresh.b.mul(fresh.b).add(fresh.a.sqrt().mul(fresh.a.add(2)));
          let want: unknown;
          try {
            rebuilt.backward({ checkFinite: true });
          } catch (e) {
            want = e;
          }
          let got: unknown;
          try {
            tape.backward();
          } catch (e) {
            got = e;
          }
          expect(want).toBeInstanceOf(NonFiniteError);
          expect(got).toBeInstanceOf(NonFiniteError);
          const [w, g] = [want as NonFiniteError, got as NonFiniteError];
          expect([g.message, g.quantity, g.value]).toEqual([w.message, w.quantity, w.value]);
          expect(g.message).toBe(
            at < 0 ? `value of 'sqrt' node (unlabelled) is NaN` : 'gradient of leaf "a" is Infinity',
          );
          expect([compiled.a.grad, compiled.b.grad]).toEqual([fresh.a.grad, fresh.b.grad]);
        }
        // Without the option the non-finite numbers just flow through.
        const loose = compileGraph(compiled.y, [compiled.a, compiled.b]);
        expect(loose.run([-1, 3]).value).toBeNaN();
      });
    });

    describe('compiled = eager, bit for bit, on the benchmark workloads', () => {
      test('W1: MLP(2, [16, 16, 1]) on 100 moons, max-margin loss, gradient in every parameter', () => {
        const model = new MLP(2, [16, 16, 1], { random: new Random(1337) });
        const data = makeMoons(100, { noise: 0.1, seed: 1337 });
        const params = model.parameters();
        const tape = compileGraph(maxMarginLoss(model, data).loss, params);
        const random = new Random(7);
        for (let step = 0; step < 3; step++) {
          const xs = params.map((p) => p.data);
          const { value, gradient } = tape.run(xs);
          model.zeroGrad();
          const { loss } = maxMarginLoss(model, data);
          loss.backward();
          expect(Object.is(value, loss.data)).toBe(true);
          expectIdentical(
            gradient,
            params.map((p) => p.grad),
          );
          for (const p of params) p.data += random.uniform(-0.3, 0.3);
        }
      });

      test('W2: x = tanh(x·1.0001 + 0.0001), 10^5 times', () => {
        const chain = (x0: Value) => {
          let x = x0;
          for (let i = 0; i < 100_000; i++) x = x.mul(1.0001).add(0.0001).tanh();
          return x;
        };
        const x0 = new Value(0.5);
        const tape = compileGraph(chain(x0), [x0]);
        for (const start of [0.5, -0.2]) {
          const fresh = new Value(start);
          const out = chain(fresh);
          out.backward();
          const { value, gradient } = tape.run([start]);
          expectIdentical([value, gradient[0]], [out.data, fresh.grad]);
        }
      });

      test('W3: Σ a_i·b_i over 10^4 pairs as a left fold', () => {
        const random = new Random(3);
        const xs = Array.from({ length: 20_000 }, () => random.uniform(-1, 1));
        const dot = (vs: Value[]) => {
          let s = vs[0].mul(vs[1]);
          for (let i = 2; i < vs.length; i += 2) s = s.add(vs[i].mul(vs[i + 1]));
          return s;
        };
        const leaves = xs.map((x) => new Value(x));
        const tape = compileGraph(dot(leaves), leaves);
        const shifted = xs.map((x) => x + 0.5);
        const fresh = shifted.map((x) => new Value(x));
        const out = dot(fresh);
        out.backward();
        const { value, gradient } = tape.run(shifted);
        expect(Object.is(value, out.data)).toBe(true);
        expectIdentical(
          gradient,
          fresh.map((v) => v.grad),
        );
      });

      test('W4: 10,000 ops of softplus, sum, product and softmax; and the hand-written tape agrees to 1e-12', () => {
        const w4Leaves = Array.from(w4Inputs(), (x) => new Value(x));
        const tape = compileGraph(buildW4(w4Leaves), w4Leaves);
        // At the inputs it was built at, the compiled graph is eager's, bit for bit. At other inputs it is not the
        // graph eager builds there: each softmax subtracts the largest input's data as a constant, fixed when the
        // graph was built, and a different constant rounds differently; there the two agree to 1e-12.
        for (const shift of [0, 0.37]) {
          const xs = w4Inputs().map((x) => x + shift);
          const eager = w4Eager(xs);
          const compiled = tape.run(xs);
          if (shift === 0) {
            expect(Object.is(compiled.value, eager.value)).toBe(true);
            expectIdentical(compiled.gradient, eager.gradient);
          } else expect(compiled.value).toBeCloseTo(eager.value, 12);
          expect(new W4Tape().run(xs).value).toBeCloseTo(eager.value, 12);
        }
        // At 10,000 ops the leaves' gradients underflow to 0; at 200 they do not, so compare them there.
        const xs = w4Inputs();
        const short = w4Eager(xs, 200);
        const byHand = new W4Tape(200).run(xs);
        const scale = Math.max(...short.gradient.map(Math.abs));
        expect(scale).toBeGreaterThan(0);
        short.gradient.forEach((g, i) =>
          expect(Math.abs(g - byHand.gradient[i])).toBeLessThanOrEqual(1e-12 * scale),
        );
        const leaves = Array.from(xs, (x) => new Value(x));
        const small = compileGraph(buildW4(leaves, 200), leaves).run(xs);
        expectIdentical(small.gradient, short.gradient);
      }, 120_000);
    });

    describe('compiled = eager on random graphs (fast-check)', () => {
      const seed = propertySeed();
      process.stdout.write(`compile.test.ts: fast-check seed ${seed} (replay with AUTOGRAD_SEED=${seed})\n`);

      test(`value and gradient identical, and backward() adds the same (seed ${seed})`, () => {
        fc.assert(
          fc.property(
            fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 4 }),
            fc.array(stepArb, { minLength: 1, maxLength: 40 }),
            fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 4, maxLength: 4 }),
            (start, steps, moved) => {
              const leaves = start.map((x, i) => new Value(x, `x${i}`));
              const tape = compileGraph(buildRandom(leaves, steps), leaves);
              const xs = start.map((_, i) => moved[i]);
              const fresh = xs.map((x) => new Value(x));
              const out = buildRandom(fresh, steps);
              out.backward();
              const { value, gradient } = tape.run(xs);
              expectIdentical([value, ...gradient], [out.data, ...fresh.map((v) => v.grad)]);
              // backward() on the compiled inputs adds to their grads as a second eager backward does.
              leaves.forEach((v, i) => (v.data = xs[i]));
              leaves.forEach((v, i) => (v.grad = fresh[i].grad));
              out.backward();
              expectIdentical(
                [tape.backward(), ...leaves.map((v) => v.grad)],
                [out.data, ...fresh.map((v) => v.grad)],
              );
            },
          ),
          { seed, numRuns: 300 },
        );
      });
    });
  });
}

describe("compileGraph: libm's exp in every mode", () => {
  // The WebAssembly module has its own exp (libm's operations on its tables in memory); the loops write libm's code
  // in; the interpreter and eager call libm's function. Arguments on both sides of every branch: the fast path's
  // ends (±708), the wide path (overflow, subnormal results, underflow to 0), ±0, NaN, ±Infinity.
  const edges = [
    0,
    -0,
    1,
    -1,
    0.5,
    -2.5,
    1e-300,
    -1e-300,
    2 ** -53,
    708,
    -708,
    708.0000000000001,
    -708.0000000000001,
    709.78,
    709.79,
    -720,
    -745.13,
    -745.14,
    -800,
    800,
    Infinity,
    -Infinity,
    NaN,
  ];
  const xs = [
    ...edges,
    ...Array.from({ length: 400 }, (_, k) => -745 + (1455 * k) / 399 + 0.001 * Math.sin(k)),
  ];

  for (const fn of ['exp', 'sigmoid', 'softplus'] as const) {
    for (const mode of ['tape', 'codegen', 'loops'] as const) {
      test(`${fn}, mode '${mode}': eager's value and gradient, bit for bit`, () => {
        const x = new Value(0);
        // Two uses of the function so the graph has something to add: y = f(x) + f(x)·x.
        const f = x[fn]();
        const y = f.add(f.mul(x));
        const compiled = compileWith(y, [x], { mode });
        if (mode !== 'loops') expect(compiled.mode).toBe(mode);
        for (const v of xs) {
          const a = new Value(v);
          const fa = a[fn]();
          const ya = fa.add(fa.mul(a));
          ya.backward();
          const got = compiled.run([v]);
          expect(Object.is(got.value, ya.data), `${fn}(${v}) value`).toBe(true);
          expect(Object.is(got.gradient[0], a.grad), `${fn}(${v}) gradient`).toBe(true);
        }
      });
    }
  }
});

describe('compileGraph: modes', () => {
  const leavesOf = () => Array.from(w4Inputs(), (x) => new Value(x));

  test("'auto': the interpreter, and loops from the 100th run for a graph of 400 nodes or more that repeats", () => {
    const seen: [number, string, string][] = [];
    for (const ops of [50, 100, 600, 10_000]) {
      const leaves = leavesOf();
      const compiled = compileWith(buildW4(leaves, ops), leaves);
      const want = w4Eager(w4Inputs(), ops);
      for (let k = 1; k < 100; k++) compiled.run(w4Inputs());
      const before = compiled.mode;
      const got = compiled.run(w4Inputs()); // the 100th
      expectIdentical([got.value, ...got.gradient], [want.value, ...want.gradient]);
      // backward() on the loops after runs on the interpreter: the grads start from 0 again.
      for (const v of leaves) v.grad = 0;
      expect(compiled.backward()).toBe(want.value);
      expectIdentical(
        leaves.map((v) => v.grad),
        want.gradient,
      );
      seen.push([compiled.size, before, compiled.mode]);
    }
    expect(seen).toEqual([
      [234, 'tape', 'tape'],
      [612, 'tape', 'loops'],
      [3_612, 'tape', 'loops'],
      [60_012, 'tape', 'loops'],
    ]);
  }, 120_000);

  test("'auto' on a graph that does not repeat: the interpreter, and WebAssembly from the 2,000th run for 400 to 4,000 nodes", () => {
    // Each op on the last node and a random earlier one: no stretch of the tape repeats with fixed steps.
    const rng = new Random(7);
    const randomGraph = (leaves: Value[], ops: number): Value => {
      const nodes = leaves.slice();
      for (let i = 0; i < ops; i++) {
        const a = nodes[nodes.length - 1];
        const b = nodes[Math.floor(rng.uniform(0, nodes.length))];
        const r = rng.uniform(0, 3);
        nodes.push(r < 1 ? a.add(b) : r < 2 ? a.mul(b).tanh() : a.sub(b).exp());
      }
      return nodes[nodes.length - 1];
    };
    const xs = w4Inputs().map((x) => x - 0.2);
    const seen: [number, string, string][] = [];
    for (const ops of [50, 300, 1_500, 3_000]) {
      const leaves = leavesOf();
      const out = randomGraph(leaves, ops);
      const compiled = compileWith(out, leaves);
      const before = compiled.mode;
      const first = compiled.run(xs);
      const want = [first.value, ...first.gradient];
      for (let k = 1; k < 1_999; k++) compiled.run(xs);
      expect(compiled.mode).toBe('tape');
      const last = compiled.run(xs); // the 2,000th
      expectIdentical([last.value, ...last.gradient], want);
      seen.push([compiled.size, before, compiled.mode]);
    }
    expect(seen.map(([size, before, after]) => [size >= 400 && size <= 4_000, before, after])).toEqual([
      [false, 'tape', 'tape'],
      [true, 'tape', 'codegen'],
      [true, 'tape', 'codegen'],
      [false, 'tape', 'tape'],
    ]);
  }, 120_000);

  test('a mode that is not one of the four is an InvalidArgumentError', () => {
    const x = new Value(1, 'x');
    expect(() => compileWith(x.exp(), [x], { mode: 'fast' as 'auto' })).toThrow(
      new InvalidArgumentError(
        'options',
        `mode must be 'auto', 'codegen', 'loops' or 'tape', got string "fast"`,
      ),
    );
  });

  const seed = propertySeed();
  test(`a function without a case of its own in the generator (called through the table's closures) gives the same numbers (seed ${seed})`, () => {
    setInlineFunctions(false);
    try {
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 4 }),
          // Two-argument functions have no generated form (such a graph stays on the interpreter, tested above).
          fc.array(
            stepArb.filter((s) => s.kind !== 'fn2'),
            { minLength: 1, maxLength: 40 },
          ),
          (start, steps) => {
            const leaves = start.map((x) => new Value(x));
            const out = buildRandom(leaves, steps);
            const generated = compileWith(out, leaves, { mode: 'codegen' });
            const interpreted = compileWith(out, leaves, { mode: 'tape' });
            expect(generated.mode).toBe('codegen');
            const xs = start.map((x) => x / 2);
            const a = generated.run(xs);
            const b = interpreted.run(xs);
            expectIdentical([a.value, ...a.gradient], [b.value, ...b.gradient]);
          },
        ),
        { seed, numRuns: 100 },
      );
    } finally {
      setInlineFunctions(true);
    }
  });

  describe('where WebAssembly is refused, both paths fall back to the interpreter, with the same numbers', () => {
    // The global as this test changes it (the library's TypeScript lib has no WebAssembly types).
    type Wasm = { Module: new (bytes: Uint8Array) => object; CompileError: new (message: string) => Error };
    const scope = globalThis as { WebAssembly?: Wasm };
    const real = scope.WebAssembly as Wasm;
    afterAll(() => {
      scope.WebAssembly = real;
      resetCodegen();
    });

    test('no WebAssembly at all, then a CompileError (as a Content-Security-Policy gives); the refusal is remembered', () => {
      const leaves = leavesOf();
      const out = buildW4(leaves, 1_000);
      const xs = w4Inputs().map((x) => x + 0.1);
      const want = compileWith(out, leaves, { mode: 'codegen' });
      expect(want.mode).toBe('codegen');
      const wanted = want.run(xs);
      let compiles = 0;
      const refusals: (() => void)[] = [
        () => {
          scope.WebAssembly = undefined;
        },
        () => {
          scope.WebAssembly = Object.assign(Object.create(real) as Wasm, {
            Module: class {
              constructor() {
                compiles++;
                throw new real.CompileError('WebAssembly.Module(): refused by Content-Security-Policy');
              }
            },
          });
        },
      ];
      for (const refuse of refusals) {
        resetCodegen();
        refuse();
        for (const m of ['codegen', 'auto'] as const) {
          const got = compileWith(out, leaves, { mode: m });
          expect(got.mode).toBe('tape');
          const r = got.run(xs);
          expectIdentical([r.value, ...r.gradient], [wanted.value, ...wanted.gradient]);
        }
        // Remembered: the later graphs did not try again, and with WebAssembly back they keep to the interpreter
        // until the refusal is forgotten.
        scope.WebAssembly = real;
        expect(compileWith(out, leaves, { mode: 'codegen' }).mode).toBe('tape');
      }
      expect(compiles).toBe(1);
      resetCodegen();
      expect(compileWith(out, leaves, { mode: 'codegen' }).mode).toBe('codegen');
    });
  });
});
