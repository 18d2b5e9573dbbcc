import { afterEach, describe, expect, test } from 'vitest';
import {
  add,
  ArgumentError,
  asinh,
  atan,
  atan2,
  compile,
  compileGradient,
  div,
  type Expr,
  max,
  min,
  mul,
  num,
  parse,
  pow,
  sub,
  sym,
  variables,
} from '@crossgrad/symbolic';
import { setLoopsEverywhere } from '../src/loops.js';
import { propertySeed, random, randomExpr, TAME_NUMBERS, UNARY, w4Dag } from './support.js';

type Mode = 'tape' | 'loops' | 'auto';

/** Value and gradient through compileGradient in `mode`, then compile's value, at `point`. */
function numbers(e: Expr, vars: string[], point: number[], mode: Mode): number[] {
  const { value, gradient } = compileGradient(e, vars, { mode })(...point);
  return [value, ...gradient, compile(e, vars, { mode })(...point)];
}

/** Expect the same numbers bit for bit (NaN as NaN, -0 as -0), naming the first that differs. */
function expectSame(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const first = got.findIndex((x, i) => !Object.is(x, want[i]));
  expect(first === -1 ? 'same' : `${what}: entry ${first}: ${got[first]} vs ${want[first]}`).toBe('same');
}

/** The sources of the functions generated while `run` runs (through `new Function`). */
function generatedSources(run: () => void): string[] {
  const scope = globalThis as { Function: FunctionConstructor };
  const real = scope.Function;
  const sources: string[] = [];
  scope.Function = new Proxy(real, {
    construct(target, args: string[]) {
      sources.push(String(args[args.length - 1]));
      return Reflect.construct(target, args) as object;
    },
  });
  try {
    run();
  } finally {
    scope.Function = real;
  }
  return sources;
}

const w4 = (ops: number): { e: Expr; vars: string[] } => w4Dag(ops, 'l');

const UNARY_ALL: readonly ((a: Expr) => Expr)[] = [...UNARY, atan, asinh];
const BINARY: readonly ((a: Expr, b: Expr) => Expr)[] = [
  add,
  sub,
  mul,
  div,
  atan2,
  min,
  max,
  pow,
  (a) => pow(a, 2),
  (a) => pow(a, -1),
  (a, b) => add(a, b, a),
  (a, b) => mul(a, b, mul(b, b)),
];

/**
 * A DAG built by a loop, as a caller's code builds one: `steps` random operations, each on nodes a few places
 * back or on a constant (the same in every repetition, or one of its own), repeated `reps` times over 4 leaves.
 */
function repeatedDag(next: () => number, reps: number): { e: Expr; vars: string[] } {
  const vars = ['p0', 'p1', 'p2', 'p3'];
  const xs: Expr[] = vars.map((v) => sym(v));
  const count = 2 + Math.floor(next() * 7);
  const program = Array.from({ length: count }, () => {
    const unary = next() < 0.4;
    const f = unary
      ? UNARY_ALL[Math.floor(next() * UNARY_ALL.length)]
      : BINARY[Math.floor(next() * BINARY.length)];
    const back = [1 + Math.floor(next() * 4), 1 + Math.floor(next() * 4)];
    // An operand that is a constant: fixed (±0 and 0.5 included), or a new one in each repetition.
    const constant =
      next() < 0.25 ? [0.5, -0, 0, -1.5][Math.floor(next() * 4)] : next() < 0.15 ? NaN : undefined;
    return { unary, f, back, constant };
  });
  for (let r = 0; r < reps; r++) {
    for (const { unary, f, back, constant } of program) {
      const a = xs[xs.length - back[0]];
      const b =
        constant === undefined
          ? xs[xs.length - back[1]]
          : Number.isNaN(constant)
            ? num(0.25 + r / 64)
            : num(constant);
      xs.push(unary ? (f as (a: Expr) => Expr)(add(a, b)) : f(a, b));
    }
  }
  return { e: add(xs[xs.length - 1], xs[xs.length - 2], xs[xs.length - 3]), vars };
}

afterEach(() => setLoopsEverywhere(false));

describe("mode 'loops': the tape's numbers bit for bit", () => {
  test('every instruction written out (random expressions over every builder, awkward numbers)', () => {
    setLoopsEverywhere(true);
    const seed = propertySeed('loops: random expressions', 20_261_207);
    const next = random(seed);
    let generated = 0;
    for (let k = 0; k < 300; k++) {
      const e = randomExpr(next, 5);
      const vars = variables(e);
      const point = vars.map(() => 4 * next() - 2);
      const want = numbers(e, vars, point, 'tape');
      const sources = generatedSources(() => expectSame(numbers(e, vars, point, 'loops'), want, `${e}`));
      generated += sources.length;
    }
    // Two functions (compileGradient's and compile's) per expression, none for one the builders reduced to a
    // lone variable or number (no instructions): 470 of 600 with the default seed.
    expect(generated).toBeGreaterThan(400);
  }, 120_000);

  test('DAGs built by a loop: found as loops, same numbers (random programs repeated, with a printed seed)', () => {
    const seed = propertySeed('loops: repeated programs', 7_12_2026);
    const next = random(seed);
    let looped = 0;
    const runs = 120;
    for (let k = 0; k < runs; k++) {
      const { e, vars } = repeatedDag(next, 20 + Math.floor(next() * 30));
      for (const point of [vars.map(() => 2 * next() - 1), vars.map((_, i) => TAME_NUMBERS[i])]) {
        const want = numbers(e, vars, point, 'tape');
        const sources = generatedSources(() =>
          expectSame(numbers(e, vars, point, 'loops'), want, `case ${k}`),
        );
        if (sources.some((s) => s.includes('for(let r=0;'))) looped++;
      }
    }
    expect(looped).toBeGreaterThan(runs);
  }, 120_000);

  test("softplus keeps its exp(-|u|) for its derivative's sigmoid: the tape's numbers at every edge", () => {
    setLoopsEverywhere(true);
    const e = parse('softplus(x * y) + y * softplus(x)');
    const vars = ['x', 'y'];
    const edges = [-0, 0, NaN, Infinity, -Infinity, -800, 800, -1e-300, 1e-300, 3, -3, 0.5];
    let sources: string[] = [];
    for (const x of edges) {
      for (const y of [1, -0, -2.5]) {
        const want = numbers(e, vars, [x, y], 'tape');
        sources = generatedSources(() =>
          expectSame(numbers(e, vars, [x, y], 'loops'), want, `x = ${x}, y = ${y}`),
        );
      }
    }
    // Both softpluses keep their exp, and both sigmoids (their derivatives) read it.
    expect(sources[0].match(/let e,l;\{const \$x=-Math\.abs\(u\);/g)?.length).toBe(2);
    expect(sources[0].match(/u>=0\?1\/\(1\+v\[/g)?.length).toBe(2);
  });

  test('W4 (1,000 ops): forward and backward as loops, same numbers, -0 arguments included', () => {
    const { e, vars } = w4(1000);
    for (const point of [
      vars.map((_, i) => i / 100 - 0.3),
      vars.map((_, i) => (i % 3 === 0 ? -0 : i / 50)),
    ]) {
      const want = numbers(e, vars, point, 'tape');
      const sources = generatedSources(() => expectSame(numbers(e, vars, point, 'loops'), want, 'W4'));
      expect(sources.join('').match(/for\(let r=0;r<\d+;r\+\+\)/g)?.length).toBeGreaterThanOrEqual(4);
      expect(sources.every((s) => s.length < 100_000)).toBe(true);
    }
  }, 120_000);

  test("'auto' runs the tape, then the loops from the 100th call on, with the same numbers", () => {
    const { e, vars } = w4(1000);
    const point = vars.map((_, i) => Math.sin(i));
    const tape = compileGradient(e, vars, { mode: 'tape' })(...point);
    const want = [tape.value, ...tape.gradient];
    let f: ((...xs: number[]) => { value: number; gradient: number[] }) | undefined;
    expect(generatedSources(() => (f = compileGradient(e, vars)))).toEqual([]);
    const call = f as (...xs: number[]) => { value: number; gradient: number[] };
    for (let i = 1; i <= 99; i++) {
      const sources = generatedSources(() => {
        const r = call(...point);
        if (i % 33 === 0) expectSame([r.value, ...r.gradient], want, `call ${i}`);
      });
      expect(sources).toEqual([]);
    }
    const at100 = generatedSources(() => {
      const r = call(...point);
      expectSame([r.value, ...r.gradient], want, 'call 100');
    });
    expect(at100.length).toBe(1);
    const later = call(...point);
    expectSame([later.value, ...later.gradient], want, 'after');
    expect(() => call(...point.slice(1))).toThrow(ArgumentError);
  }, 120_000);

  test('arguments are checked as on the tape: an ArgumentError naming the argument', () => {
    const { e, vars } = w4(200);
    const f = compileGradient(e, vars, { mode: 'loops' });
    const args: unknown[] = vars.map(() => 0.5);
    args[7] = '0.5';
    expect(() => (f as (...xs: unknown[]) => unknown)(...args)).toThrow(
      new ArgumentError('l7', 'compileGradient: argument 8 (l7) must be a number, got the string "0.5"'),
    );
  });
});
