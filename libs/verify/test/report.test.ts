import { describe, expect, test } from 'vitest';
import { type Call, diffRules, type Expr, mul, num, sin } from '@crossgrad/symbolic';
import { compareGradients, formatReport } from '@crossgrad/verify';

/** `value`, or a test failure naming what is missing. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

describe('formatReport', () => {
  test('a header, the verdict, and one aligned row per variable', () => {
    const text = formatReport(compareGradients('x^2 * y', { x: 3, y: 0.5 }));
    const lines = text.split('\n');
    expect(lines[0]).toBe('f = x^2 * y   at x = 3, y = 0.5   f = 4.5');
    expect(lines[1]).toBe('verdict: agree (all oracles agree within tolerance)');
    expect(lines[2]).toBe('');
    expect(lines[3]).toMatch(
      /^var {2}symbolic {2}autograd {2}complex step {2}finite diff ± error +mathjs {2}max rel {2}verdict$/,
    );
    expect(lines[4]).toMatch(/^x {4}3 {9}3 {9}3 {13}3 ± \d\.\de-\d+ +3 {7}0 {8}agree$/);
    expect(lines[5]).toMatch(/^y {4}9 {9}9 {9}9 {13}9 ± \d\.\de-\d+ +9 {7}0 {8}agree$/);
    expect(lines).toHaveLength(6);
    // Columns line up: every cell of a column starts at the same offset.
    const start = must(lines[3], 'header').indexOf('complex step');
    expect(lines[4]?.[start]).toBe('3');
    expect(lines[5]?.[start]).toBe('9');
  });

  test('flags, mathjs not applicable, and each row verdict, with the reasons of the rows that do not agree', () => {
    const rules = {
      ...diffRules,
      cos: { ...diffRules.cos, derive: (e: Call, d: readonly Expr[]) => mul(sin(e.arg), d[0] ?? num(0)) },
    };
    const text = formatReport(compareGradients('cos(x) + relu(y)', { x: 1, y: 2 }, { rules }));
    const lines = text.split('\n');
    expect(text).toContain('verdict: disagree (∂/∂x: symbolic');
    expect(text).toContain('mathjs: mathjs has no derivative for relu');
    expect(lines.find((l) => l.startsWith('x '))).toMatch(/ disagree$/);
    expect(lines.find((l) => l.startsWith('y '))).toMatch(/ agree$/);
    expect(lines[lines.length - 1]).toMatch(
      /^∂\/∂x: disagree: symbolic 0\.841\d* vs \w+ -0\.841\d* \(rel error 2\.00\)$/,
    );
  });

  test('the report and every row show the same verdicts: no row fails under a report that says skipped', () => {
    const kink = formatReport(compareGradients('relu(x) + y', { x: 0, y: 1 }));
    expect(kink).toContain(
      'verdict: not-differentiable (∂/∂x: relu(x) is at its kink (argument 0): left 0, right 1)',
    );
    expect(kink).toContain('flag: next to a relu/abs kink');
    expect(kink.split('\n').find((l) => l.startsWith('x '))).toMatch(/ - .* not-differentiable$/);
    expect(kink.split('\n').find((l) => l.startsWith('y '))).toMatch(/ agree$/);
    expect(kink).toContain('∂/∂x: not-differentiable: relu(x) is at its kink (argument 0)');
    const log = formatReport(compareGradients('log(x)', { x: -1 }));
    expect(log).toContain('verdict: undefined (log(x) is not a real number here (NaN))');
    expect(log).toContain('flag: non-finite value or slope');
    expect(log.split('\n').find((l) => l.startsWith('x '))).toMatch(/ undefined$/);
    // The expanded tanh at 300 underflows: skipped, and its row says skipped too (it used to say FAIL).
    const skipped = formatReport(compareGradients('(exp(2*x) - 1) / (exp(2*x) + 1)', { x: 300 }));
    expect(skipped).toMatch(/^verdict: skipped \(/m);
    expect(skipped.split('\n').find((l) => l.startsWith('x '))).toMatch(/ skipped$/);
    expect(skipped).not.toContain('FAIL');
  });
});
