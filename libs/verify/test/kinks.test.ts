import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  abs,
  add,
  diff,
  evaluate,
  type Expr,
  mul,
  neg,
  num,
  pow,
  relu,
  sin,
  sub,
  sym,
} from '@crossgrad/symbolic';
import { compareGradients, exprArbitrary, formatReport, type GradientRow } from '@crossgrad/verify';
import { runs } from './support/runs.js';

/** The row of `variable`, or a test failure. */
function rowOf(rows: readonly GradientRow[], variable: string): GradientRow {
  const row = rows.find((r) => r.variable === variable);
  if (row === undefined) throw new Error(`no row for ${variable}`);
  return row;
}

describe('at a relu/abs kink the one-sided slopes decide whether the derivative exists', () => {
  test('abs(x)^2, relu(x)*x, x*abs(x), relu(x)^2, abs(x)^3 at 0: the derivative exists, 0, and every oracle agrees', () => {
    for (const e of ['abs(x)^2', 'relu(x)*x', 'x*abs(x)', 'relu(x)^2', 'abs(x)^3', 'cos(relu(x))']) {
      const r = compareGradients(e, { x: 0 });
      expect(r.verdict, formatReport(r)).toBe('agree');
      const row = rowOf(r.rows, 'x');
      expect(row.oneSided, e).toEqual({ left: 0, right: 0 });
      expect(
        [row.symbolic, row.autograd, row.complexStep].map((v) => v + 0),
        e,
      ).toEqual([0, 0, 0]);
      expect(row.comparisons.filter((c) => c.reference === 'oneSided').map((c) => c.oracle)).toEqual([
        'symbolic',
        'autograd',
        'complexStep',
      ]);
      // The central difference straddles the kink: the one-sided slopes stand in for it.
      expect(row.finiteDifference).toBeUndefined();
      expect(row.finiteDifferenceSkipped).toBe(
        'not run: a kink at the point (the one-sided slopes stand in)',
      );
    }
  });

  test('abs(x), relu(x), abs(x + x^2), x*sign(x) at 0: not differentiable, both one-sided slopes in the reason', () => {
    const cases: [string, string, number, number][] = [
      ['abs(x)', 'abs(x)', -1, 1],
      ['relu(x)', 'relu(x)', 0, 1],
      ['relu(-3*x)', 'relu(-3 * x)', -3, 0],
      // The argument's real part moves by -h² under the complex step: the branch follows the first-order move.
      ['abs(x + x^2)', 'abs(x + x^2)', -1, 1],
      ['x*sign(x)', 'sign(x)', -1, 1],
    ];
    for (const [e, node, left, right] of cases) {
      const r = compareGradients(e, { x: 0 });
      expect(r.verdict, e).toBe('not-differentiable');
      expect(r.reason).toBe(`∂/∂x: ${node} is at its kink (argument 0): left ${left}, right ${right}`);
      expect(rowOf(r.rows, 'x').oneSided).toEqual({ left, right });
    }
  });

  test('a jump is not differentiable, though the slope is 0 on both sides: sign(x) at 0', () => {
    const r = compareGradients('sign(x) + x', { x: 0 });
    expect(r.verdict).toBe('not-differentiable');
    expect(r.reason).toBe(
      '∂/∂x: sign(x) is at its kink (argument 0): the value jumps (left -1, here 0, right 1)',
    );
  });

  test('sqrt(x) at 0 stays not differentiable, an infinite slope, also beside a kink whose sides agree', () => {
    const r = compareGradients('sqrt(x) + abs(x)^2', { x: 0 });
    expect(r.verdict).toBe('not-differentiable');
    expect(r.reason).toBe('∂/∂x: sqrt(x) has an infinite slope here');
  });

  test('several variables: one at a kink without a derivative, one at a kink with one, one clear of it', () => {
    // ∂/∂x: x·|x| has slope 0 on both sides; ∂/∂y: relu(y) has 0 and 1; ∂/∂z: 2z·1 = 3.
    const r = compareGradients('x*abs(x)*z + relu(y) + z^2', { x: 0, y: 0, z: 1.5 });
    expect(r.rows.map((row) => [row.variable, row.verdict])).toEqual([
      ['x', 'agree'],
      ['y', 'not-differentiable'],
      ['z', 'agree'],
    ]);
    expect(rowOf(r.rows, 'y').reason).toBe('relu(y) is at its kink (argument 0): left 0, right 1');
    expect(rowOf(r.rows, 'z').oneSided).toBeUndefined();
    expect(rowOf(r.rows, 'z').complexStep).toBe(3);
    expect(r.verdict).toBe('not-differentiable');
    // |x - y| at x = y: no derivative in either, the slopes mirrored.
    const d = compareGradients('abs(x - y) + x', { x: 1, y: 1 });
    expect(d.rows.map((row) => [row.verdict, row.oneSided])).toEqual([
      ['not-differentiable', { left: 0, right: 2 }],
      ['not-differentiable', { left: -1, right: 1 }],
    ]);
    // |x·y|² at (0, 2): a derivative in both, 0 in x and 0 in y (the kink's argument moves in x only).
    const s = compareGradients('abs(x*y)^2', { x: 0, y: 2 });
    expect(s.verdict, formatReport(s)).toBe('agree');
  });

  test('where the sides agree, a convention that is not the derivative disagrees: relu(x) - relu(-x) at 0', () => {
    // The function is x, its derivative 1; the oracles' relu' = step gives step(0) + step(0) = 0.
    const r = compareGradients('relu(x) - relu(-x)', { x: 0 });
    expect(rowOf(r.rows, 'x').oneSided).toEqual({ left: 1, right: 1 });
    expect(r.verdict).toBe('disagree');
    expect(r.reason).toMatch(
      /^∂\/∂x: (symbolic|autograd|complexStep) 0 vs the one-sided slopes 1 at the kink \(rel error 1\.00\)$/,
    );
  });

  test('next to a kink: judged where the slopes of its two sides agree, skipped where they differ', () => {
    const smooth = compareGradients('abs(x)^2', { x: 1e-10 });
    expect(smooth.verdict, formatReport(smooth)).toBe('agree');
    expect(rowOf(smooth.rows, 'x').complexStep).toBe(2e-10);
    const kinked = compareGradients('abs(x)', { x: 1e-10 });
    expect(kinked.verdict).toBe('skipped');
    expect(kinked.reason).toBe(
      '∂/∂x: a abs argument is 1e-10, within 1e-8 of its kink at 0: left -1, right 1',
    );
  });
});

/**
 * Every relu/abs/step/sign argument in `e`, `a - b` of every min(a, b) and max(a, b) (0 at a tie), and for atan2(y,
 * x) `x² + y²` (0 at the origin, where it has no derivative) and `y` (0 on its cut, which matters where x < 0).
 */
function kinkArguments(e: Expr): Expr[] {
  const out: Expr[] = [];
  const stack: Expr[] = [e];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n.kind === 'call') {
      if (['relu', 'abs', 'step', 'sign'].includes(n.fn)) out.push(n.arg);
      stack.push(n.arg);
    } else if (n.kind === 'call2') {
      if (n.fn === 'min' || n.fn === 'max') out.push(sub(n.args[0], n.args[1]));
      if (n.fn === 'atan2') out.push(add(pow(n.args[0], 2), pow(n.args[1], 2)), n.args[0]);
      stack.push(...n.args);
    } else if (n.kind === 'add') stack.push(...n.terms);
    else if (n.kind === 'mul') stack.push(...n.factors);
    else if (n.kind === 'pow') stack.push(n.base, n.exponent);
  }
  return out;
}

/** A kinked function: itself, and its branch on each side of 0 (`abs` is `u` and `-u`, `relu` is `u` and `0`). */
interface Kinked {
  readonly name: string;
  readonly fn: (u: Expr) => Expr;
  readonly right: (u: Expr) => Expr;
  readonly left: (u: Expr) => Expr;
}

describe('property: at points placed exactly on a kink, the verdict follows the one-sided slopes', () => {
  const kinked = fc.constantFrom<Kinked>(
    { name: 'abs', fn: abs, right: (u) => u, left: (u) => neg(u) },
    { name: 'relu', fn: relu, right: (u) => u, left: () => num(0) },
  );
  /** A kink argument that is exactly 0 at the point: `x - a`, `a - x`, `3·(x - a)` at x = a, or `x - y` at x = y. */
  const argument = fc.constantFrom<{ readonly make: (a: number) => Expr; readonly yOnX: boolean }>(
    { make: (a) => sub(sym('x'), num(a)), yOnX: false },
    { make: (a) => sub(num(a), sym('x')), yOnX: false },
    { make: (a) => mul(num(3), sub(sym('x'), num(a))), yOnX: false },
    { make: () => sub(sym('x'), sym('y')), yOnX: true },
  );
  /** What the kink is wrapped in: some keep a derivative at 0, some do not, one keeps it with a wrong convention. */
  const wrap = fc.constantFrom<(k: (u: Expr) => Expr, u: Expr) => Expr>(
    (k, u) => k(u),
    (k, u) => pow(k(u), num(2)),
    (k, u) => pow(k(u), num(3)),
    (k, u) => mul(k(u), u),
    (k, u) => sin(k(u)),
    (k, u) => add(k(u), u),
    (k, u) => sub(k(u), k(neg(u))),
  );
  const cases = fc.record({
    a: exprArbitrary({ variables: ['x', 'y'], maxDepth: 2 }),
    b: exprArbitrary({ variables: ['x', 'y'], maxDepth: 2 }),
    k: kinked,
    arg: argument,
    wrap,
    at: fc.oneof(
      fc.integer({ min: -8, max: 8 }).map((i) => i / 4),
      fc.double({ min: -3, max: 3, noNaN: true }),
    ),
    y: fc.double({ min: -3, max: 3, noNaN: true }),
  });

  test("never 'agree' where the one-sided slopes differ, never 'not-differentiable' where they agree", () => {
    const seen = { differ: 0, same: 0 };
    fc.assert(
      fc.property(cases, (c) => {
        const u = c.arg.make(c.at);
        const point = { x: c.at, y: c.arg.yOnX ? c.at : c.y };
        // Only the kink placed here sits at 0: one in the random parts would make the references conventions too.
        const others = [...kinkArguments(c.a), ...kinkArguments(c.b)];
        fc.pre(others.every((w) => Math.abs(evaluate(w, point)) > 1e-6));
        const e = add(c.a, mul(c.b, c.wrap(c.k.fn, u)));
        const report = compareGradients(e, point, { mathjs: false });
        for (const row of report.rows) {
          const v = row.variable;
          // The one-sided slopes exactly, by symbolic rules on each side's branch: moving v to the right (left),
          // each kink argument w moves with (against) the sign of ∂w/∂v.
          const side = (dir: 1 | -1): number => {
            const branch = (w: Expr): Expr =>
              dir * evaluate(diff(w, v), point) >= 0 ? c.k.right(w) : c.k.left(w);
            return evaluate(diff(add(c.a, mul(c.b, c.wrap(branch, u))), v), point);
          };
          const left = side(-1);
          const right = side(1);
          if (!Number.isFinite(left) || !Number.isFinite(right)) continue;
          const size = Math.max(Math.abs(left), Math.abs(right), row.magnitude);
          const context = `∂/∂${v}: left ${left}, right ${right}\n${formatReport(report)}`;
          // Between the two bands the answer rests on where rtol (1e-9) falls: no claim either way.
          if (Math.abs(left - right) > 1e-7 * size + 1e-29) {
            seen.differ++;
            expect(row.verdict, context).not.toBe('agree');
          } else if (Math.abs(left - right) <= 1e-12 * size) {
            seen.same++;
            expect(row.verdict, context).not.toBe('not-differentiable');
          }
        }
      }),
      { numRuns: runs(300) },
    );
    // Both kinds of point were met often enough for the property to mean something.
    expect(seen.differ).toBeGreaterThan(runs(300) / 10);
    expect(seen.same).toBeGreaterThan(runs(300) / 10);
  }, 120_000);
});
