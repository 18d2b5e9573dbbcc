import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  abs,
  add,
  cos,
  div,
  exp,
  type Expr,
  log,
  mul,
  neg,
  num,
  pow,
  relu,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  step,
  sub,
  sym,
  tan,
  tanh,
} from '@crossgrad/symbolic';

/** The part of the repository's `cases/public.json` (the public reference values) these tests use. */
export interface SeedNeuron {
  expression: string;
  point: Record<string, number>;
  value: number;
  gradient: Record<string, number>;
}

/** The seed neuron's reference values from `cases/public.json` at the repository root. */
export function loadSeedNeuron(): SeedNeuron {
  const text = readFileSync(new URL('../../../cases/public.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { seedNeuron: SeedNeuron }).seedNeuron;
}

/** A small seeded generator (mulberry32), so random cases are reproducible from the seed in the test name. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Numbers that are hard to print losslessly or that the builders treat specially. */
export const AWKWARD_NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  -1,
  2,
  -2,
  0.5,
  -0.5,
  1 / 3,
  0.1 + 0.2,
  2.5,
  -2.5,
  1e21,
  1.2e-7,
  -1e-300,
  5e-324,
  1.7976931348623157e308,
  123456789012345680000,
  Math.E,
  -Math.E,
  Math.PI,
  -Math.PI,
  Infinity,
  -Infinity,
  NaN,
];

const NAMES = ['x', 'y', 'z', 'w1', 'alpha', 'x_2'];
/** The one-argument builders the random expressions use. */
export const UNARY: readonly ((a: Expr) => Expr)[] = [
  exp,
  log,
  sqrt,
  sin,
  cos,
  tan,
  tanh,
  softplus,
  sigmoid,
  relu,
  abs,
  step,
  sign,
  neg,
];
const BINARY: readonly ((a: Expr, b: Expr) => Expr)[] = [add, sub, mul, div, pow, (a, b) => add(a, b, a)];

/** Plain numbers, for checks of values rather than of printing. */
export const TAME_NUMBERS: readonly number[] = [0.5, 1, 2, 3, -1, -1.5, Math.PI];

/** A random expression over every builder, numbers from `numbers`; depth at most `depth`. */
export function randomExpr(next: () => number, depth: number, numbers = AWKWARD_NUMBERS): Expr {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  if (depth === 0 || next() < 0.2) return next() < 0.5 ? num(pick(numbers)) : sym(pick(NAMES));
  if (next() < 0.35) return pick(UNARY)(randomExpr(next, depth - 1, numbers));
  return pick(BINARY)(randomExpr(next, depth - 1, numbers), randomExpr(next, depth - 1, numbers));
}

/** Central difference, for checks where no closed form is at hand (the step suits values of order 1). */
export function centralDifference(f: (x: number) => number, x: number, h = 1e-6): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/** The variable names the random expressions use. */
export const VARIABLE_NAMES: readonly string[] = NAMES;

/**
 * A fast-check arbitrary of expressions over every builder (the same operations as {@link randomExpr}), numbers
 * from `numbers`, at most `depth` operations deep; it shrinks towards leaves.
 */
export function exprArbitrary(numbers: readonly number[] = TAME_NUMBERS, depth = 5): fc.Arbitrary<Expr> {
  const leaf = fc.oneof(
    fc.constantFrom(...numbers).map((v) => num(v)),
    fc.constantFrom(...NAMES).map((n) => sym(n)),
  );
  const { expr } = fc.letrec<{ expr: Expr; unary: Expr; binary: Expr }>((tie) => ({
    expr: fc.oneof({ maxDepth: depth, depthIdentifier: 'expr' }, leaf, tie('unary'), tie('binary')),
    unary: fc.tuple(fc.constantFrom(...UNARY), tie('expr')).map(([f, a]) => f(a)),
    binary: fc.tuple(fc.constantFrom(...BINARY), tie('expr'), tie('expr')).map(([f, a, b]) => f(a, b)),
  }));
  return expr;
}

/**
 * The seed of a property test: `FC_SEED` from the environment, else a fixed default; printed, so a failure can be
 * replayed with `FC_SEED=<seed>`.
 */
export function propertySeed(name: string, fallback: number): number {
  const fromEnv = Number(process.env.FC_SEED);
  const seed = Number.isInteger(fromEnv) ? fromEnv : fallback;
  console.log(`${name}: fast-check seed ${seed}`);
  return seed;
}

/**
 * A DAG shaped like the W4 workload: 100 leaves named `prefix0 … prefix99`, then `ops` operations cycling through
 * softplus, a sum of 4, a product and a softmax of the last 4 nodes.
 */
export function w4Dag(ops: number, prefix = 'w'): { e: Expr; vars: string[] } {
  const vars = Array.from({ length: 100 }, (_, i) => `${prefix}${i}`);
  const xs: Expr[] = vars.map((v) => sym(v));
  const at = (k: number): Expr => xs[xs.length + k];
  for (let i = 0; i < ops; i++) {
    if (i % 4 === 0) xs.push(softplus(at(-10)));
    else if (i % 4 === 1) xs.push(add(at(-30), at(-25), at(-20), at(-15)));
    else if (i % 4 === 2) xs.push(mul(at(-20), at(-10)));
    else {
      const es = [at(-4), at(-3), at(-2), at(-1)].map((u) => exp(u));
      const total = add(...es);
      for (const v of es) xs.push(div(v, total));
    }
  }
  return { e: xs[xs.length - 1], vars };
}
