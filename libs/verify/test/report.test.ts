import { describe, expect, test } from 'vitest';
import { type Call, diffRules, type Expr, mul, sin } from '@crossgrad/symbolic';
import { compareGradients, formatReport } from '@crossgrad/verify';

describe('formatReport', () => {
  test('a header, the verdict, and one aligned row per variable', () => {
    const text = formatReport(compareGradients('x^2 * y', { x: 3, y: 0.5 }));
    const lines = text.split('\n');
    expect(lines[0]).toBe('f = x^2 * y   at x = 3, y = 0.5   f = 4.5');
    expect(lines[1]).toBe('verdict: agree (all oracles agree within tolerance)');
    expect(lines[2]).toBe('');
    expect(lines[3]).toMatch(
      /^var {2}symbolic {2}autograd {2}complex step {2}finite diff ± error +mathjs {2}max rel {2}ok$/,
    );
    expect(lines[4]).toMatch(/^x {4}3 {9}3 {9}3 {13}3 ± \d\.\de-\d+ +3 {7}0 {8}ok$/);
    expect(lines[5]).toMatch(/^y {4}9 {9}9 {9}9 {13}9 ± \d\.\de-\d+ +9 {7}0 {8}ok$/);
    // Columns line up: every cell of a column starts at the same offset.
    const start = lines[3]!.indexOf('complex step');
    expect(lines[4]![start]).toBe('3');
    expect(lines[5]![start]).toBe('9');
  });

  test('flags, mathjs not applicable, and FAIL on a disagreement', () => {
    const rules = {
      ...diffRules,
      cos: { ...diffRules.cos, derive: (e: Call, d: readonly Expr[]) => mul(sin(e.arg), d[0]!) },
    };
    const text = formatReport(compareGradients('cos(x) + relu(y)', { x: 1, y: 2 }, { rules }));
    expect(text).toContain('verdict: disagree (∂/∂x: symbolic');
    expect(text).toContain('mathjs: mathjs has no derivative for relu');
    expect(text.split('\n').find((l) => l.startsWith('x '))).toMatch(/FAIL$/);
    expect(text.split('\n').find((l) => l.startsWith('y '))).toMatch(/ok$/);
    const skipped = formatReport(compareGradients('relu(x)', { x: 0 }));
    expect(skipped).toContain('flag: next to a relu/abs kink');
    expect(skipped.split('\n').find((l) => l.startsWith('x '))).toContain(' - ');
    expect(formatReport(compareGradients('log(x)', { x: 0 }))).toContain('flag: non-finite value or slope');
  });
});
