import { afterAll, describe, expect, test } from 'vitest';
import {
  add,
  ArgumentError,
  type Call,
  compile,
  compileGradient,
  type CompileOptions,
  diffRules,
  type DiffRules,
  div,
  evaluate,
  exp,
  type Expr,
  gradient,
  log,
  mul,
  parse,
  sin,
  size,
  sym,
  SymbolicError,
  tanh,
  variables,
} from '@crossgrad/symbolic';
import { resetCodegen } from '../src/compile.js';
import { random, randomExpr, TAME_NUMBERS, w4Dag } from './support.js';

/** The error `call()` throws (failing the test if it does not throw). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

/** Σ over i < n of sin(x_i · y_i) · exp(x_i) / (1 + y_i^2): pieces with variables of their own. */
function pieces(n: number): { pieces: Expr[]; vars: string[] } {
  const list: Expr[] = [];
  const vars: string[] = [];
  for (let i = 0; i < n; i++) {
    const [x, y] = [sym(`x${i}`), sym(`y${i}`)];
    list.push(div(mul(sin(mul(x, y)), exp(x)), add(1, mul(y, y))));
    vars.push(`x${i}`, `y${i}`);
  }
  return { pieces: list, vars };
}

const w4 = (ops: number): { e: Expr; vars: string[] } => w4Dag(ops, 'w');

describe('a compiled function called with bad arguments: an ArgumentError naming the argument', () => {
  // Small (generated code) and large (the tape): both check their arguments the same way.
  const small = parse('x * y + log(y)');
  const large = add(...pieces(800).pieces, mul(sym('x'), sym('y')));
  const largeVars = ['x', 'y', ...variables(large).filter((v) => v !== 'x' && v !== 'y')];

  test.each([
    ['compile, generated code', () => compile(small, ['x', 'y']), 'compile', 2],
    ['compileGradient, generated code', () => compileGradient(small, ['x', 'y']), 'compileGradient', 2],
    ['compile, tape', () => compile(large, largeVars), 'compile', largeVars.length],
    ['compileGradient, tape', () => compileGradient(large, largeVars), 'compileGradient', largeVars.length],
  ])('%s', (_, make, where, n) => {
    const f = make() as (...xs: unknown[]) => unknown;
    const rest = Array.from({ length: n - 2 }, () => 0.5);
    const list = n === 2 ? '(x, y)' : `(${largeVars.join(', ')})`;
    // Strings: 'a' + 'b' must not come back as 'ab'.
    let err = thrown(() => f('a', 'b', ...rest));
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as ArgumentError).argument).toBe('x');
    expect((err as ArgumentError).message).toBe(
      `${where}: argument 1 (x) must be a number, got the string "a"`,
    );
    err = thrown(() => f(1, undefined, ...rest));
    expect((err as ArgumentError).argument).toBe('y');
    expect((err as ArgumentError).message).toBe(`${where}: argument 2 (y) must be a number, got undefined`);
    err = thrown(() => f(1, 2n, ...rest));
    expect((err as ArgumentError).message).toBe(`${where}: argument 2 (y) must be a number, got bigint 2`);
    err = thrown(() => f(1));
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as ArgumentError).argument).toBe('y');
    expect((err as ArgumentError).message).toBe(
      `${where}: the function takes ${n} arguments ${list}, got 1: no value for y`,
    );
    err = thrown(() => f(1, 2, ...rest, 3));
    expect((err as ArgumentError).argument).toBe('arguments');
    expect((err as ArgumentError).message).toBe(
      `${where}: the function takes ${n} arguments ${list}, got ${n + 1}`,
    );
    expect(err).toBeInstanceOf(SymbolicError);
  });

  test('NaN and infinities are numbers, and pass', () => {
    expect(compile(small, ['x', 'y'])(NaN, 1)).toBeNaN();
    expect(compileGradient(small, ['x', 'y'])(Infinity, 1).value).toBe(Infinity);
  });
});

describe('rules that walk expressions themselves', () => {
  test('a rule that evaluates, compiles and sizes expressions while compileGradient runs changes nothing', () => {
    // compileGradient finds nodes by marks its walk leaves on them; walks inside a rule mark over some of them.
    const busy: DiffRules = {
      ...diffRules,
      sin: {
        ...diffRules.sin,
        derive: (e: Call, d: readonly Expr[]) => {
          evaluate(e, { x: 0.5, y: 0.25 });
          compile(add(e, e.arg), ['x', 'y']);
          size(e);
          return diffRules.sin.derive(e, d);
        },
      },
    };
    const e = parse('sin(x * y) * exp(sin(x)) + sin(sin(y)) / (1 + x^2)');
    for (const mode of ['codegen', 'tape'] as const) {
      const plain = compileGradient(e, ['x', 'y'], { mode })(0.3, -1.2);
      const walked = compileGradient(e, ['x', 'y'], { mode, rules: busy })(0.3, -1.2);
      expect(Object.is(walked.value, plain.value)).toBe(true);
      walked.gradient.forEach((g, i) => expect(Object.is(g, plain.gradient[i])).toBe(true));
    }
  });
});

describe('the tape (large DAGs) computes what the generated code and evaluate compute, bit for bit', () => {
  test('a sum of 1,500 independent pieces: each partial equals that of its piece compiled alone', () => {
    const { pieces: list, vars } = pieces(1500);
    const e = add(...list);
    const f = compileGradient(e, vars);
    const next = random(3);
    const point = vars.map(() => 3 * next() - 1.5);
    const { value, gradient: g } = f(...point);
    expect(Object.is(value, evaluate(e, Object.fromEntries(vars.map((v, i) => [v, point[i]]))))).toBe(true);
    expect(Object.is(compile(e, vars)(...point), value)).toBe(true);
    for (let i = 0; i < list.length; i += 37) {
      const alone = compileGradient(list[i], [vars[2 * i], vars[2 * i + 1]])(point[2 * i], point[2 * i + 1]);
      expect(Object.is(g[2 * i], alone.gradient[0]), `d/d${vars[2 * i]}`).toBe(true);
      expect(Object.is(g[2 * i + 1], alone.gradient[1]), `d/d${vars[2 * i + 1]}`).toBe(true);
    }
  }, 120_000);

  test('an adjoint is 0 plus what it receives: a -0 contribution reads +0, in the code and on the tape', () => {
    const { pieces: list, vars } = pieces(1500);
    const small = mul(sym('u'), sym('v'));
    const point = [-0, 1];
    const fromCode = compileGradient(small, ['u', 'v'])(...point);
    const fromTape = compileGradient(add(small, ...list), ['u', 'v', ...vars])(
      ...point,
      ...vars.map(() => 1),
    );
    // d/dv (u · v) = u = -0, received by an adjoint that starts at 0: 0 + -0 = +0.
    expect(Object.is(fromCode.gradient[1], 0)).toBe(true);
    expect(Object.is(fromTape.gradient[1], 0)).toBe(true);
    expect(Object.is(fromCode.gradient[0], 1)).toBe(true);
    expect(Object.is(fromTape.gradient[0], 1)).toBe(true);
  }, 120_000);

  test('random expressions summed into one large DAG agree with the symbolic gradient', () => {
    const next = random(19);
    const terms: Expr[] = [];
    for (let i = 0; i < 400; i++) terms.push(tanh(randomExpr(next, 4, TAME_NUMBERS)));
    const e = add(...terms);
    const vars = variables(e);
    const point = vars.map(() => 0.25 + 2 * next());
    const scope = Object.fromEntries(vars.map((v, j) => [v, point[j]]));
    const { value, gradient: g } = compileGradient(e, vars)(...point);
    expect(Object.is(value, evaluate(e, scope))).toBe(true);
    const symbolic = gradient(e, vars);
    vars.forEach((v, j) => {
      const expected = evaluate(symbolic.get(v) as Expr, scope);
      if (Number.isFinite(expected))
        expect(Math.abs(g[j] - expected)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(expected)));
    });
  }, 120_000);

  test('a W4-shaped DAG of 10^5 nodes compiles and runs; repeated calls give the same numbers', () => {
    const { e, vars } = w4(40_000);
    expect(size(e).dag).toBeGreaterThan(100_000);
    const point = vars.map((_, i) => i / 100);
    const value = compile(e, vars);
    const both = compileGradient(e, vars);
    const first = both(...point);
    expect(Object.is(first.value, value(...point))).toBe(true);
    expect(Object.is(first.value, evaluate(e, Object.fromEntries(vars.map((v, i) => [v, point[i]]))))).toBe(
      true,
    );
    // 40,000 operations deep, the adjoints of the leaves underflow to 0 (products of softmax outputs).
    expect(first.gradient.every((d) => Number.isFinite(d))).toBe(true);
    // The tape's arrays are reused: another point in between must not leave anything behind.
    both(...point.map((p) => p + 1));
    const again = both(...point);
    expect(again.value).toBe(first.value);
    again.gradient.forEach((d, i) => expect(Object.is(d, first.gradient[i])).toBe(true));
    // The last node is a softmax output, so its log's gradient is the same DAG walked once more.
    expect(Number.isFinite(compileGradient(log(e), vars)(...point).value)).toBe(true);
  }, 120_000);

  test('a W4-shaped DAG of 2,000 operations: the gradient from the tape agrees with the symbolic gradient', () => {
    const { e, vars } = w4(2000);
    const point = vars.map((_, i) => i / 100);
    const scope = Object.fromEntries(vars.map((v, i) => [v, point[i]]));
    const { gradient: g } = compileGradient(e, vars)(...point);
    const symbolic = gradient(e, vars);
    let nonzero = 0;
    vars.forEach((v, j) => {
      const expected = evaluate(symbolic.get(v) as Expr, scope);
      expect(Math.abs(g[j] - expected), `d/d${v}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected) + 1e-300);
      if (expected !== 0) nonzero++;
    });
    expect(nonzero).toBeGreaterThan(10);
  }, 120_000);
});

describe('mode: generated code and the tape, forced, give the same numbers; the tape where code generation is refused', () => {
  /** Value and gradient of `e` at `point` through `compileGradient` in `mode`, and `compile`'s value. */
  const run = (e: Expr, vars: string[], point: number[], mode: 'codegen' | 'tape' | 'loops') => {
    const { value, gradient: g } = compileGradient(e, vars, { mode })(...point);
    return [value, compile(e, vars, { mode })(...point), ...g];
  };
  const same = (a: number[], b: number[]) =>
    expect(a.map((x, i) => (Object.is(x, b[i]) ? 'same' : `${x} vs ${b[i]}`))).toEqual(a.map(() => 'same'));

  test('random expressions, and a W4-shaped DAG past 4,000 instructions', () => {
    const next = random(29);
    for (let k = 0; k < 200; k++) {
      const e = randomExpr(next, 4, TAME_NUMBERS);
      const vars = variables(e);
      const point = vars.map(() => 4 * next() - 2);
      same(run(e, vars, point, 'codegen'), run(e, vars, point, 'tape'));
    }
    const { e, vars } = w4(1000);
    const point = vars.map((_, i) => i / 100 - 0.3);
    same(run(e, vars, point, 'codegen'), run(e, vars, point, 'tape'));
  }, 120_000);

  test('a mode that is not one of the four is a SymbolicError', () => {
    expect(() => compileGradient(parse('x'), ['x'], { mode: 'fast' as 'auto' })).toThrow(
      new SymbolicError(
        `compileGradient: mode must be 'auto', 'codegen', 'tape' or 'loops', got the string "fast"`,
      ),
    );
    expect(() => compile(parse('x'), ['x'], null as unknown as CompileOptions)).toThrow(
      'compile: options must be an object, got null',
    );
  });

  describe('under a Content-Security-Policy that forbids new Function', () => {
    const scope = globalThis as { Function: FunctionConstructor };
    const real = scope.Function;
    afterAll(() => {
      scope.Function = real;
      resetCodegen();
    });

    test('compile and compileGradient run on the tape, with the same numbers, and do not try again', () => {
      const e = parse('x * exp(-x^2) + softplus(y) * sin(x*y)');
      const vars = ['x', 'y'];
      const want = run(e, vars, [0.5, 2], 'codegen');
      // The generated loops too: a W4-shaped DAG past 4,000 instructions, forced to 'loops'.
      const big = w4(400);
      const point = big.vars.map((_, i) => i / 70);
      const bigWant = run(big.e, big.vars, point, 'tape');
      let attempts = 0;
      scope.Function = function refused() {
        attempts++;
        throw new EvalError('Code generation from strings disallowed for this context');
      } as unknown as FunctionConstructor;
      try {
        same(run(e, vars, [0.5, 2], 'codegen'), want);
        const { value, gradient: g } = compileGradient(e, vars)(0.5, 2);
        same([value, ...g], [want[0], ...want.slice(2)]);
        same(run(big.e, big.vars, point, 'loops'), bigWant);
      } finally {
        scope.Function = real;
      }
      expect(attempts).toBe(1);
      resetCodegen();
    });
  });
});
