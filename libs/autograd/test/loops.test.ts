import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import {
  FUNCTIONS,
  FUNCTIONS2,
  Value,
  compileGraph,
  topologicalOrder,
  type FnName,
  type Fn2Name,
} from '@crossgrad/autograd';
import { buildW4, w4Eager, w4Inputs } from '../bench/w4.js';
import { resetCodegen } from '../src/compile.js';
import { expectIdentical, propertySeed } from './support.js';

// A body of ops, each on nodes a fixed distance back from the newest (and on a few shared parameters), repeated:
// the tape that a loop in the caller's code records, which the generated code runs as a loop.
type Op =
  | { kind: 'fn'; fn: FnName; a: number }
  | { kind: 'fn2'; fn: Fn2Name; a: number; b: number }
  | { kind: 'bin'; op: 'add' | 'mul' | 'sub' | 'div' | 'pow'; a: number; b: number }
  | { kind: 'shared'; op: 'add' | 'mul'; a: number; p: number }
  | { kind: 'const'; c: number; a: number }
  | { kind: 'powk'; k: number; a: number }
  | { kind: 'sum'; a: number; b: number; c: number };

const back = fc.integer({ min: 1, max: 6 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('fn' as const),
    fn: fc.constantFrom(...(Object.keys(FUNCTIONS) as FnName[])),
    a: back,
  }),
  fc.record({
    kind: fc.constant('fn2' as const),
    fn: fc.constantFrom(...(Object.keys(FUNCTIONS2) as Fn2Name[])),
    a: back,
    b: back,
  }),
  fc.record({
    kind: fc.constant('bin' as const),
    op: fc.constantFrom('add' as const, 'mul' as const, 'sub' as const, 'div' as const, 'pow' as const),
    a: back,
    b: back,
  }),
  fc.record({
    kind: fc.constant('shared' as const),
    op: fc.constantFrom('add' as const, 'mul' as const),
    a: back,
    p: fc.nat(2),
  }),
  fc.record({ kind: fc.constant('const' as const), c: fc.double({ min: -2, max: 2, noNaN: true }), a: back }),
  fc.record({ kind: fc.constant('powk' as const), k: fc.constantFrom(-1, 0.5, 2, 3), a: back }),
  fc.record({ kind: fc.constant('sum' as const), a: back, b: back, c: back }),
);

/** `reps` repetitions of `body` on `inputs` (6 seeds, then 3 shared parameters); the last node. */
function buildRepeated(inputs: readonly Value[], body: readonly Op[], reps: number): Value {
  const nodes: Value[] = inputs.slice(0, 6);
  const shared = inputs.slice(6, 9);
  const at = (k: number): Value => nodes[nodes.length - k];
  for (let r = 0; r < reps; r++) {
    for (const op of body) {
      const a = at(op.a);
      let y: Value;
      if (op.kind === 'fn') y = (a[op.fn] as () => Value).call(a);
      else if (op.kind === 'fn2') y = a[op.fn](at(op.b));
      else if (op.kind === 'bin') y = a[op.op](at(op.b));
      else if (op.kind === 'shared') y = a[op.op](shared[op.p]);
      else if (op.kind === 'const') y = a.mul(op.c);
      else if (op.kind === 'powk') y = a.pow(op.k);
      else y = a.add(at(op.b)).add(at(op.c));
      // Keep values in a range where most functions are defined: tanh of the result.
      nodes.push(y.tanh());
    }
  }
  return nodes[nodes.length - 1];
}

describe('generated loops', () => {
  const seed = propertySeed();
  test(`a repeated body runs as a loop, bit for bit as eager: value, gradient, backward() and dataOf (seed ${seed})`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }),
        fc.array(opArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 20, max: 60 }),
        (start, body, reps) => {
          const inputs = start.map((x) => new Value(x));
          const out = buildRepeated(inputs, body, reps);
          const compiled = compileGraph(out, inputs, { mode: 'loops' });
          expect(compiled.mode).toBe('loops');
          for (const shift of [0, 0.25]) {
            const xs = start.map((x) => x - shift);
            const fresh = xs.map((x) => new Value(x));
            const eager = buildRepeated(fresh, body, reps);
            eager.backward();
            const got = compiled.run(xs);
            expectIdentical([got.value, ...got.gradient], [eager.data, ...fresh.map((v) => v.grad)]);
            // Every node's value, the merged ones the loops do not store included.
            const mine = topologicalOrder(out);
            const theirs = topologicalOrder(eager);
            expectIdentical(
              mine.map((v) => compiled.dataOf(v)),
              theirs.map((v) => v.data),
            );
          }
          // backward() adds into the inputs' grads as eager backward does, from -0 too (where a skipped 0·g
          // would have turned -0 into +0).
          const startGrad = (k: number): number => (k % 2 === 0 ? -0 : 0.5);
          inputs.forEach((v, k) => (v.grad = startGrad(k)));
          const fresh = inputs.map((v) => new Value(v.data));
          fresh.forEach((v, k) => (v.grad = startGrad(k)));
          const eager = buildRepeated(fresh, body, reps);
          eager.backward();
          expect(Object.is(compiled.backward(), eager.data)).toBe(true);
          expectIdentical(
            inputs.map((v) => v.grad),
            fresh.map((v) => v.grad),
          );
        },
      ),
      { seed, numRuns: 60 },
    );
  }, 120_000);

  test("W4 runs as one loop of W4's cycle, after the first ops that read the leaves", () => {
    const leaves = Array.from(w4Inputs(), (x) => new Value(x));
    const compiled = compileGraph(buildW4(leaves, 2_000), leaves, { mode: 'loops' });
    expect(compiled.mode).toBe('loops');
    const want = w4Eager(w4Inputs(), 2_000);
    const got = compiled.run(w4Inputs());
    expectIdentical([got.value, ...got.gradient], [want.value, ...want.gradient]);
    // Elsewhere (softmax's shift is a constant of the graph, so eager would build another graph): the interpreter.
    const xs = w4Inputs().map((x) => 1 - x);
    const tape = compileGraph(buildW4(leaves, 2_000), leaves, { mode: 'tape' }).run(xs);
    const loops = compiled.run(xs);
    expectIdentical([loops.value, ...loops.gradient], [tape.value, ...tape.gradient]);
  });

  test("'loops' on a graph that does not repeat enough: the interpreter", () => {
    const x = new Value(0.5);
    const y = new Value(2);
    const f = compileGraph(x.mul(y).sin().add(x.exp()), [x, y], { mode: 'loops' });
    expect(f.mode).toBe('tape');
    expect(f.run([0.5, 2]).value).toBe(Math.sin(1) + Math.exp(0.5));
    // checkFinite checks every node in eager's order, on the interpreter.
    const leaves = Array.from(w4Inputs(), (v) => new Value(v));
    expect(compileGraph(buildW4(leaves, 400), leaves, { mode: 'loops', checkFinite: true }).mode).toBe(
      'tape',
    );
  });

  describe('under a Content-Security-Policy that forbids new Function', () => {
    const scope = globalThis as { Function: FunctionConstructor };
    const real = scope.Function;
    afterAll(() => {
      scope.Function = real;
      resetCodegen();
    });

    test("'loops' and 'auto' run on the interpreter with the same numbers, and do not try again", () => {
      const leaves = Array.from(w4Inputs(), (x) => new Value(x));
      const out = buildW4(leaves, 1_000);
      const xs = w4Inputs();
      const want = w4Eager(xs, 1_000);
      let attempts = 0;
      resetCodegen();
      scope.Function = function refused() {
        attempts++;
        throw new EvalError('Code generation from strings disallowed for this context');
      } as unknown as FunctionConstructor;
      try {
        for (const mode of ['loops', 'auto', 'loops'] as const) {
          const got = compileGraph(out, leaves, { mode });
          expect(got.mode).toBe('tape');
          const r = got.run(xs);
          expectIdentical([r.value, ...r.gradient], [want.value, ...want.gradient]);
        }
      } finally {
        scope.Function = real;
      }
      expect(attempts).toBe(1);
      // Remembered until forgotten.
      expect(compileGraph(out, leaves, { mode: 'loops' }).mode).toBe('tape');
      resetCodegen();
      expect(compileGraph(out, leaves, { mode: 'loops' }).mode).toBe('loops');
    });
  });
});
