import { describe, expect, test } from 'vitest';
import {
  type Call,
  diffRules,
  type DiffRules,
  type Expr,
  mul,
  parse,
  ParseError,
  sin,
} from '@crossgrad/symbolic';
import { compareGradients, InvalidInputError, MissingVariableError } from '@crossgrad/verify';

describe('compareGradients', () => {
  test('a smooth expression: every oracle, every variable, verdict agree', () => {
    const r = compareGradients('x * exp(-x^2) + sin(x*y)', { x: 0.5, y: 2 });
    expect(r.verdict).toBe('agree');
    expect(r.reason).toBe('all oracles agree within tolerance');
    expect(r.flags).toEqual({
      nonFinite: false,
      nearKink: false,
      nearSingularity: false,
      derivativeOutOfRange: [],
    });
    expect(r.mathjs).toEqual({ applicable: true });
    expect(r.value).toBeCloseTo(0.5 * Math.exp(-0.25) + Math.sin(1), 15);
    const [dx, dy] = r.rows;
    const exact = { x: Math.exp(-0.25) * (1 - 2 * 0.25) + 2 * Math.cos(1), y: 0.5 * Math.cos(1) };
    expect(dx!.variable).toBe('x');
    for (const v of [dx!.symbolic, dx!.autograd, dx!.complexStep, dx!.finiteDifference!, dx!.mathjs!]) {
      expect(v).toBeCloseTo(exact.x, 12);
    }
    expect(dy!.complexStep).toBeCloseTo(exact.y, 14);
    expect(dx!.finiteDifferenceError).toBeGreaterThan(0);
    expect(dx!.finiteDifferenceError).toBeLessThan(1e-10);
    expect(dx!.comparisons.map((c) => `${c.oracle}~${c.reference}`)).toEqual([
      'symbolic~autograd',
      'symbolic~complexStep',
      'autograd~complexStep',
      'mathjs~complexStep',
      'finiteDifference~complexStep',
      'finiteDifference~symbolic',
      'finiteDifference~autograd',
      'finiteDifference~mathjs',
    ]);
  });

  test('a broken rule passed to diff is a disagreement that names the variable and the oracles', () => {
    const rules: DiffRules = {
      ...diffRules,
      cos: { ...diffRules.cos, derive: (e: Call, d: readonly Expr[]) => mul(sin(e.arg), d[0]!) },
    };
    const r = compareGradients('cos(x) * y', { x: 1, y: 2 }, { rules, mathjs: false });
    expect(r.verdict).toBe('disagree');
    expect(r.reason).toMatch(
      /^∂\/∂x: symbolic 1\.68\d* vs (autograd|complexStep) -1\.68\d* \(rel error 2\.00\)$/,
    );
    expect(r.rows[0]!.ok).toBe(false);
    expect(r.rows[1]!.ok).toBe(true);
  });

  test('cancellation: 1e10·(sin² + cos²) has derivative 0, rounding in it is judged against the magnitude', () => {
    const r = compareGradients('1e10 * (sin(x)^2 + cos(x)^2)', { x: 0.3 });
    expect(r.verdict).toBe('agree');
    const row = r.rows[0]!;
    expect(Math.abs(row.complexStep)).toBeLessThan(1e-5);
    expect(row.magnitude).toBeCloseTo(2e10 * 2 * Math.sin(0.3) * Math.cos(0.3), -2);
  });

  test('tanh saturated: the derivative 4e-26 passes against the 1 - tanh² rounding of the rule-based oracles', () => {
    const r = compareGradients('tanh(x*y + 1)', { x: 30, y: 1 });
    expect(r.verdict).toBe('agree');
    expect(r.rows[0]!.complexStep).toBeGreaterThan(0);
  });

  test('non-finite values are flagged and skipped, numbers still reported', () => {
    const r = compareGradients('sqrt(x)', { x: 0 });
    expect(r.verdict).toBe('skipped');
    expect(r.flags.nonFinite).toBe(true);
    expect(r.reason).toBe('a value or local slope is not finite (or underflows) at this point');
    expect(r.rows[0]!.symbolic).toBe(Infinity);
    expect(r.rows[0]!.finiteDifference).toBeUndefined();
    expect(r.rows[0]!.finiteDifferenceSkipped).toBe('not run: the point is skipped');
  });

  test('a point closer to a singularity than the complex step can resolve is flagged and skipped', () => {
    const r = compareGradients('log(x)', { x: 1e-300 });
    expect(r.flags.nearSingularity).toBe(true);
    expect(r.verdict).toBe('skipped');
    expect(r.reason).toBe('the point is within 1e-17 of a singularity, too close for the complex step');
    expect(r.rows[0]!.symbolic).toBeCloseTo(1e300, -290);
    expect(compareGradients('log(x)', { x: 1e-12 }).verdict).toBe('agree');
  });

  test('a branch point is a singularity too: x^2.5 at 0 is skipped, though the exact oracles agree', () => {
    const r = compareGradients('x^2.5 + y', { x: 0, y: 1 });
    expect(r.verdict).toBe('skipped');
    expect(r.flags.nearSingularity).toBe(true);
    expect(r.rows[0]).toMatchObject({
      variable: 'x',
      symbolic: 0,
      autograd: 0,
      complexStep: 0,
      finiteDifference: undefined,
    });
  });

  test('underflow under a large factor is flagged: the expanded tanh at 300', () => {
    const r = compareGradients('(exp(2*x) - 1) / (exp(2*x) + 1)', { x: 300 });
    expect(r.verdict).toBe('skipped');
    expect(r.flags.nonFinite).toBe(true);
    expect(r.reason).toBe('a value or local slope is not finite (or underflows) at this point');
  });

  test("symbolic's derivative expression underflowing where the expression does not is flagged", () => {
    // gradient writes (e^(2u) - 1)^2·(e^(2u) + 1)^-3, and e^250 cubed is beyond the double range: that form says 4
    // where the derivative is 1e-108. The other oracles stay in range (autograd within its rounding).
    const r = compareGradients('((exp(2*u) - 1)/(exp(2*u) + 1))^2', { u: 125 });
    expect(r.flags.derivativeOutOfRange).toEqual(['u']);
    expect(r.flags.nonFinite).toBe(false);
    expect(r.verdict).toBe('skipped');
    expect(r.reason).toBe("symbolic's expression for ∂/∂u over- or underflows at this point");
    expect(r.rows[0]!.symbolic).toBeCloseTo(4, 10);
    expect(Math.abs(r.rows[0]!.autograd)).toBeLessThan(1e-14);
    expect(Math.abs(r.rows[0]!.complexStep)).toBeLessThan(1e-100);
  });

  test('a relu argument at its kink is flagged and skipped', () => {
    const r = compareGradients('relu(x - y) + y', { x: 1, y: 1 });
    expect(r.verdict).toBe('skipped');
    expect(r.flags.nearKink).toBe(true);
    expect(r.reason).toBe('a relu/abs argument is within 1e-8 of its kink at 0');
    // The conventions still agree there: relu'(0) = 0.
    expect(r.rows.map((row) => row.autograd)).toEqual([0, 1]);
    expect(r.rows.map((row) => row.complexStep)).toEqual([0, 1]);
  });

  test('near a kink but clear of it, finite differences keep their steps on one side', () => {
    const r = compareGradients('relu(x - 1) * 1000 + x', { x: 1 + 1e-6 });
    expect(r.verdict).toBe('agree');
    expect(r.rows[0]!.finiteDifference).toBeCloseTo(1001, 6);
  });

  test('faster than the doubles near the point: no finite difference, the exact oracles still judged', () => {
    const r = compareGradients('sin((x^2)^exp(x))', { x: 2.75 }, { mathjs: false });
    expect(r.verdict).toBe('agree');
    expect(r.rows[0]!.finiteDifference).toBeUndefined();
    expect(r.rows[0]!.finiteDifferenceSkipped).toBe(
      'the expression changes faster than the doubles near the point resolve',
    );
    expect(r.rows[0]!.comparisons.map((c) => c.oracle)).not.toContain('finiteDifference');
  });

  test('a fast oscillation is resolved, not averaged away, by finite differences', () => {
    const r = compareGradients('sin(exp(x^2 + 8))', { x: 0.7 }, { mathjs: false });
    expect(r.verdict).toBe('agree');
    expect(Math.abs(r.rows[0]!.finiteDifference! - r.rows[0]!.complexStep)).toBeLessThan(
      1e-6 * Math.abs(r.rows[0]!.complexStep),
    );
  });

  test('mathjs is not applicable with sigmoid or relu, and can be turned off', () => {
    const r = compareGradients('sigmoid(x) + relu(y)', { x: 0.5, y: 1 });
    expect(r.mathjs).toEqual({ applicable: false, reason: 'mathjs has no derivative for relu, sigmoid' });
    expect(r.rows[0]!.mathjs).toBeUndefined();
    expect(compareGradients('x', { x: 1 }, { mathjs: false }).mathjs).toEqual({
      applicable: false,
      reason: 'not asked for',
    });
  });

  test('deep expressions: mathjs (recursive) stays out, every other oracle runs', () => {
    let e = parse('x');
    for (let i = 0; i < 1000; i++) e = sin(e);
    const r = compareGradients(e, { x: 0.5 });
    expect(r.mathjs).toEqual({ applicable: false, reason: 'expression is nested more than 200 deep' });
    expect(r.verdict).toBe('agree');
    expect(r.rows[0]!.autograd).toBeCloseTo(r.rows[0]!.complexStep, 14);
  });

  test('variables may add one the expression lacks (derivative 0 everywhere) or pick a subset', () => {
    const r = compareGradients('x^2', { x: 3, z: 1 }, { variables: ['x', 'z'] });
    expect(r.verdict).toBe('agree');
    expect(r.rows[1]).toMatchObject({ variable: 'z', symbolic: 0, autograd: 0, complexStep: 0 });
    expect(
      compareGradients('x*y', { x: 1, y: 2 }, { variables: ['y'] }).rows.map((row) => row.variable),
    ).toEqual(['y']);
  });

  test('value rounding: a bound on the rounding error of the value, large where it cancels', () => {
    // exp(x) ≈ 1 carries eps of rounding, the sum adds eps·(1 + 1): about 3 eps against a value of 1e-10.
    const r = compareGradients('exp(x) - 1', { x: 1e-10 });
    expect(r.valueRounding / Number.EPSILON).toBeGreaterThan(2);
    expect(r.valueRounding / Number.EPSILON).toBeLessThan(4);
    expect(compareGradients('x * y', { x: 2, y: 3 }).valueRounding).toBeCloseTo(2 * 6 * Number.EPSILON, 30);
  });

  test('bad input: missing variable, bad text, bad options', () => {
    expect(() => compareGradients('x * y', { x: 1 })).toThrow(MissingVariableError);
    expect(() => compareGradients('x * (y', { x: 1, y: 2 })).toThrow(ParseError);
    expect(() => compareGradients('x', { x: 1 }, { rtol: -1 })).toThrow(InvalidInputError);
    expect(() => compareGradients('x', { x: 1 }, { variables: ['x', 'x'] })).toThrow(
      'variable "x" is listed twice',
    );
  });

  test('an Expr works as well as a string', () => {
    expect(compareGradients(parse('x^3'), { x: 2 }).rows[0]!.symbolic).toBe(12);
  });
});
