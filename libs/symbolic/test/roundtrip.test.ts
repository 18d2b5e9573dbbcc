import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  abs,
  add,
  cos,
  div,
  exp,
  type Expr,
  format,
  log,
  mul,
  neg,
  num,
  parse,
  pow,
  relu,
  sigmoid,
  sign,
  sin,
  sqrt,
  step,
  sub,
  sym,
  tanh,
} from '@crossgrad/symbolic';
import { AWKWARD_NUMBERS } from './support.js';

// A fixed default, so every run checks the same cases; FC_SEED=<n> replays a seed, FC_SEED=random explores.
const seed =
  process.env.FC_SEED === undefined || process.env.FC_SEED === ''
    ? 20261207
    : process.env.FC_SEED === 'random'
      ? Date.now() % 2 ** 31
      : Number(process.env.FC_SEED);
console.log(`roundtrip.test.ts: fast-check seed ${seed} (set FC_SEED=${seed} to replay)`);

const UNARY: readonly ((a: Expr) => Expr)[] = [
  exp,
  log,
  sqrt,
  sin,
  cos,
  tanh,
  sigmoid,
  relu,
  abs,
  step,
  sign,
  neg,
];
const BINARY: readonly ((a: Expr, b: Expr) => Expr)[] = [add, sub, mul, div, pow];

const numbers = fc.oneof(
  fc.constantFrom(...AWKWARD_NUMBERS),
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
);
const names = fc.constantFrom('x', 'y', 'z', 'w1', 'alpha', 'x_2', 'E1', '$b', 'x_y');

/** Random expressions over every builder, with chains of ^ (also long ones) among them. */
const exprs: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', maxDepth: 5, withCrossShrink: true },
    numbers.map((v) => num(v)),
    names.map((n) => sym(n)),
    fc.tuple(fc.constantFrom(...UNARY), tie('e')).map(([f, a]) => f(a)),
    fc.tuple(fc.constantFrom(...BINARY), tie('e'), tie('e')).map(([f, a, b]) => f(a, b)),
    fc
      .tuple(fc.array(tie('e'), { minLength: 2, maxLength: 6 }), fc.integer({ min: 0, max: 300 }), names)
      .map(([terms, extra, name]) => {
        // A right-nested chain t0^t1^…, lengthened by `extra` copies of a variable (past 200, printing with a
        // level of parentheses per ^ would exceed the parser's nesting limit).
        const all = [...terms, ...Array.from({ length: extra }, () => sym(name))];
        let e = all[all.length - 1];
        for (let i = all.length - 2; i >= 0; i--) e = pow(all[i], e);
        return e;
      }),
  ),
})).e;

describe('parse(format(e)) === e, as a property over random expressions', () => {
  test('every expression the builders make prints to text that parses back to the same node', () => {
    fc.assert(
      fc.property(exprs, (e) => {
        const printed = format(e);
        expect(parse(printed), printed).toBe(e);
      }),
      { seed, numRuns: 500 },
    );
  }, 120_000);

  test('and every expression that parses, printed, parses back to itself', () => {
    const fragments = fc.constantFrom('x', 'y', '2', '0.5', 'e', 'pi', '(', ')', '+', '-', '*', '/', '^', ' ',
      'sin(', 'log(', ',', '1e-3', 'x_2'); // prettier-ignore
    fc.assert(
      fc.property(fc.array(fragments, { minLength: 1, maxLength: 20 }), (parts) => {
        let e: Expr;
        try {
          e = parse(parts.join(''));
        } catch {
          return; // not an expression: nothing to round-trip
        }
        expect(parse(format(e))).toBe(e);
      }),
      { seed, numRuns: 3000 },
    );
  }, 120_000);
});
