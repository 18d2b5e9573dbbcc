import { describe, expect, test } from 'vitest';
import {
  type Call,
  diffRules,
  type DiffRules,
  type Expr,
  mul,
  num,
  parse,
  ParseError,
  sin,
} from '@crossgrad/symbolic';
import { compareGradients, InvalidInputError, MissingVariableError } from '@crossgrad/verify';

/** `value`, or a test failure naming what is missing. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

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
    const dx = must(r.rows[0], 'row x');
    const dy = must(r.rows[1], 'row y');
    const exact = { x: Math.exp(-0.25) * (1 - 2 * 0.25) + 2 * Math.cos(1), y: 0.5 * Math.cos(1) };
    expect(dx.variable).toBe('x');
    for (const v of [
      dx.symbolic,
      dx.autograd,
      dx.complexStep,
      must(dx.finiteDifference, 'finite difference'),
      must(dx.mathjs, 'mathjs'),
    ]) {
      expect(v).toBeCloseTo(exact.x, 12);
    }
    expect(dy.complexStep).toBeCloseTo(exact.y, 14);
    expect(dx.finiteDifferenceError).toBeGreaterThan(0);
    expect(dx.finiteDifferenceError).toBeLessThan(1e-10);
    expect(dx.comparisons.map((c) => `${c.oracle}~${c.reference}`)).toEqual([
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

  test('a listed variable that simplification removed is a row of zeros that agrees', () => {
    const r = compareGradients(parse('(x/x)^2 + w'), { x: 0.8, w: 1 }, { variables: ['x', 'w'] });
    const x = r.rows[0];
    expect([x?.variable, x?.symbolic, x?.autograd, x?.complexStep, x?.mathjs]).toEqual(['x', 0, 0, 0, 0]);
    expect(x?.finiteDifferenceSkipped).toBe('the expression does not use this variable');
    expect(x?.verdict).toBe('agree');
    expect(r.verdict).toBe('agree');
  });

  test('a broken rule passed to diff is a disagreement that names the variable and the oracles', () => {
    const rules: DiffRules = {
      ...diffRules,
      cos: {
        ...diffRules.cos,
        derive: (e: Call, d: readonly Expr[]) => mul(sin(e.arg), must(d[0], 'operand derivative')),
      },
    };
    const r = compareGradients('cos(x) * y', { x: 1, y: 2 }, { rules, mathjs: false });
    expect(r.verdict).toBe('disagree');
    expect(r.reason).toMatch(
      /^∂\/∂x: symbolic 1\.68\d* vs (autograd|complexStep) -1\.68\d* \(rel error 2\.00\)$/,
    );
    expect(r.rows[0]?.verdict).toBe('disagree');
    expect(r.rows[0]?.reason).toMatch(
      /^symbolic 1\.68\d* vs (autograd|complexStep) -1\.68\d* \(rel error 2\.00\)$/,
    );
    expect(r.rows[1]).toMatchObject({ verdict: 'agree', reason: '' });
  });

  test('cancellation: 1e10·(sin² + cos²) has derivative 0, rounding in it is judged against the magnitude', () => {
    const r = compareGradients('1e10 * (sin(x)^2 + cos(x)^2)', { x: 0.3 });
    expect(r.verdict).toBe('agree');
    const row = must(r.rows[0], 'row');
    expect(Math.abs(row.complexStep)).toBeLessThan(1e-5);
    expect(row.magnitude).toBeCloseTo(2e10 * 2 * Math.sin(0.3) * Math.cos(0.3), -2);
  });

  test('tanh saturated: the derivative 4e-26 passes against the 1 - tanh² rounding of the rule-based oracles', () => {
    const r = compareGradients('tanh(x*y + 1)', { x: 30, y: 1 });
    expect(r.verdict).toBe('agree');
    expect(must(r.rows[0], 'row').complexStep).toBeGreaterThan(0);
  });

  test('sqrt(x) at 0: not differentiable (an infinite slope), numbers still reported, no finite difference', () => {
    const r = compareGradients('sqrt(x)', { x: 0 });
    expect(r.verdict).toBe('not-differentiable');
    expect(r.reason).toBe('∂/∂x: sqrt(x) has an infinite slope here');
    expect(r.rows[0]).toMatchObject({
      verdict: 'not-differentiable',
      reason: 'sqrt(x) has an infinite slope here',
      symbolic: Infinity,
      finiteDifference: undefined,
      finiteDifferenceSkipped: 'not run: not-differentiable',
    });
  });

  test('log(x) at -1 and 1/x at 0: undefined, whatever the oracles say', () => {
    const log = compareGradients('log(x)', { x: -1 });
    expect(log.verdict).toBe('undefined');
    expect(log.reason).toBe('log(x) is not a real number here (NaN)');
    expect(log.rows[0]).toMatchObject({ verdict: 'undefined', symbolic: -1, autograd: -1 });
    const pole = compareGradients('1/x', { x: 0 });
    expect(pole.verdict).toBe('undefined');
    expect(pole.reason).toBe('1 / x has a pole here (Infinity)');
    expect(pole.flags.nonFinite).toBe(true);
    // A pole inside the expression makes it undefined though the limit exists: exp(-1/x²) at 0.
    const inner = compareGradients('exp(-1/x^2)', { x: 0 });
    expect(inner.verdict).toBe('undefined');
    expect(inner.reason).toBe('1 / x^2 has a pole here (Infinity)');
  });

  test.each([
    ['x/0', 1, Infinity],
    ['x*1e308*10', 1, Infinity],
    ['1e309*x', 1, Infinity],
    ['x*Infinity', -2, -Infinity],
    ['x/0', 0, NaN],
  ])('%s at x = %d: the IEEE value %d and undefined, as a pole', (src, x, value) => {
    const r = compareGradients(src, { x });
    expect(r.value).toBe(value);
    expect(r.verdict).toBe('undefined');
    expect(r.reason).toBe(
      'the constant Infinity (a division by 0 or a number past the double range, folded as the expression was ' +
        'built) is a pole, not a real number',
    );
    expect(r.rows[0]).toMatchObject({ verdict: 'undefined', symbolic: Infinity, autograd: Infinity });
    expect(r.flags.nonFinite).toBe(true);
  });

  test('x^y at x = 0, y = 2: every oracle gives the limit 0 for ∂/∂y (logz(0) = 0), and they agree', () => {
    const r = compareGradients('x^y', { x: 0, y: 2 });
    expect(r.verdict).toBe('agree');
    expect(r.rows.map((row) => [row.variable, row.symbolic, row.autograd, row.complexStep])).toEqual([
      ['x', 0, 0, 0],
      ['y', 0, 0, 0],
    ]);
    expect(r.flags.derivativeOutOfRange).toEqual([]);
    // mathjs's own formula is 0 · log(0) = NaN there: it sits out, and the row shows its NaN.
    expect(r.rows[1]?.mathjs).toBeNaN();
    expect(r.rows[1]?.comparisons.map((c) => c.oracle)).not.toContain('mathjs');
  });

  test('abs and relu at 0: not differentiable (a kink), in the partials whose argument moves', () => {
    for (const [e, left, right] of [
      ['abs(x)', -1, 1],
      ['relu(x)', 0, 1],
    ] as const) {
      const r = compareGradients(e, { x: 0 });
      expect(r.verdict).toBe('not-differentiable');
      expect(r.reason).toBe(`∂/∂x: ${e} is at its kink (argument 0): left ${left}, right ${right}`);
      expect(r.rows[0]?.oneSided).toEqual({ left, right });
      // The conventions still agree there: the derivative at the kink is 0.
      expect([r.rows[0]?.autograd, r.rows[0]?.complexStep, r.rows[0]?.symbolic]).toEqual([0, 0, 0]);
    }
    const r = compareGradients('relu(x - 1) + y', { x: 1, y: 2 });
    expect(r.rows.map((row) => row.verdict)).toEqual(['not-differentiable', 'agree']);
    expect(r.verdict).toBe('not-differentiable');
  });

  test('next to a kink but not at it: skipped where the slopes on its two sides differ, with the argument in the reason', () => {
    const r = compareGradients('relu(x - 1) + y', { x: 1 + 1e-9, y: 2 });
    expect(r.rows[0]?.verdict).toBe('skipped');
    expect(r.rows[0]?.reason).toMatch(
      /^a relu argument is 1\.000000082\d*e-9, within 1e-8 of its kink at 0: left 0, right 1$/,
    );
    expect(r.rows[1]?.verdict).toBe('agree');
    expect(r.verdict).toBe('skipped');
    expect(r.flags.nearKink).toBe(true);
  });

  test('the end of the domain is not differentiable: x^2.5 at 0, though the exact oracles agree', () => {
    const r = compareGradients('x^2.5 + y', { x: 0, y: 1 });
    expect(r.verdict).toBe('not-differentiable');
    expect(r.reason).toBe('∂/∂x: x^2.5: the domain ends at 0 (a one-sided slope)');
    expect(r.rows[0]).toMatchObject({
      symbolic: 0,
      autograd: 0,
      complexStep: 0,
      finiteDifference: undefined,
    });
    expect(r.rows[1]?.verdict).toBe('agree');
  });

  test('precedence: undefined over disagree over not-differentiable over skipped over agree', () => {
    const rules: DiffRules = {
      ...diffRules,
      cos: { ...diffRules.cos, derive: (e: Call, d: readonly Expr[]) => mul(sin(e.arg), d[0] ?? num(0)) },
    };
    // ∂/∂x disagrees (the broken cos rule), ∂/∂y is at a kink: the report says disagree.
    const r = compareGradients('cos(x) + abs(y)', { x: 1, y: 0 }, { rules, mathjs: false });
    expect(r.rows.map((row) => row.verdict)).toEqual(['disagree', 'not-differentiable']);
    expect(r.verdict).toBe('disagree');
    // The same with a value that is NaN: undefined wins.
    const u = compareGradients('cos(x) + abs(y) + log(z)', { x: 1, y: 0, z: -1 }, { rules, mathjs: false });
    expect(u.rows.map((row) => row.verdict)).toEqual(['undefined', 'undefined', 'undefined']);
    expect(u.verdict).toBe('undefined');
    // not-differentiable over skipped.
    const k = compareGradients('abs(x) + relu(y)', { x: 0, y: 1e-9 });
    expect(k.rows.map((row) => row.verdict)).toEqual(['not-differentiable', 'skipped']);
    expect(k.verdict).toBe('not-differentiable');
  });

  test('log(x) at 1e-300: the complex step scales its step, so the point is judged and agrees', () => {
    const r = compareGradients('log(x)', { x: 1e-300 });
    expect(r.verdict).toBe('agree');
    expect(r.rows[0]?.complexStep).toBe(1 / 1e-300);
    expect(r.flags.nearSingularity).toBe(false);
  });

  test('magnitudes at tiny arguments come from a step scaled to the argument: sqrt at 1e-300 is 5e149', () => {
    // With the slope's own step fixed at 1e-20 the magnitude was 7.8e9, and the length scales built on it were wrong.
    const r = compareGradients('sin(sqrt(x))', { x: 1e-300 });
    expect(r.verdict).toBe('agree');
    expect(Math.abs(must(r.rows[0], 'row').magnitude - 5e149) / 5e149).toBeLessThan(1e-12);
  });

  test('underflow under a large factor is skipped: the expanded tanh at 300', () => {
    const r = compareGradients('(exp(2*x) - 1) / (exp(2*x) + 1)', { x: 300 });
    expect(r.verdict).toBe('skipped');
    expect(r.flags.nonFinite).toBe(true);
    expect(r.reason).toMatch(/^∂\/∂x: .* underflows under a chain rule$/);
    expect(r.rows[0]?.finiteDifferenceSkipped).toBe('not run: skipped');
  });

  test("symbolic's derivative expression underflowing where the expression does not is skipped", () => {
    // gradient writes (e^(2u) - 1)^2·(e^(2u) + 1)^-3, and e^250 cubed is beyond the double range: that form says 4
    // where the derivative is 1e-108. The other oracles stay in range (autograd within its rounding).
    const r = compareGradients('((exp(2*u) - 1)/(exp(2*u) + 1))^2', { u: 125 });
    expect(r.flags.derivativeOutOfRange).toEqual(['u']);
    expect(r.flags.nonFinite).toBe(false);
    expect(r.verdict).toBe('skipped');
    expect(r.reason).toBe("∂/∂u: symbolic's expression for the derivative over- or underflows at this point");
    expect(r.rows[0]?.symbolic).toBeCloseTo(4, 10);
    expect(Math.abs(r.rows[0]?.autograd ?? NaN)).toBeLessThan(1e-14);
    expect(Math.abs(r.rows[0]?.complexStep ?? NaN)).toBeLessThan(1e-100);
  });

  test('near a kink but clear of it, finite differences keep their steps on one side', () => {
    const r = compareGradients('relu(x - 1) * 1000 + x', { x: 1 + 1e-6 });
    expect(r.verdict).toBe('agree');
    expect(must(r.rows[0], 'row').finiteDifference).toBeCloseTo(1001, 6);
  });

  test('faster than the doubles near the point: no finite difference, the exact oracles still judged', () => {
    const r = compareGradients('sin((x^2)^exp(x))', { x: 2.75 }, { mathjs: false });
    expect(r.verdict).toBe('agree');
    expect(must(r.rows[0], 'row').finiteDifference).toBeUndefined();
    expect(must(r.rows[0], 'row').finiteDifferenceSkipped).toBe(
      'the expression changes faster than the doubles near the point resolve',
    );
    expect(must(r.rows[0], 'row').comparisons.map((c) => c.oracle)).not.toContain('finiteDifference');
  });

  test('a fast oscillation is resolved, not averaged away, by finite differences', () => {
    const r = compareGradients('sin(exp(x^2 + 8))', { x: 0.7 }, { mathjs: false });
    expect(r.verdict).toBe('agree');
    expect(
      Math.abs(must(r.rows[0]?.finiteDifference, 'finite difference') - must(r.rows[0], 'row').complexStep),
    ).toBeLessThan(1e-6 * Math.abs(must(r.rows[0], 'row').complexStep));
  });

  test('mathjs is not applicable with sigmoid or relu, and can be turned off', () => {
    const r = compareGradients('sigmoid(x) + relu(y)', { x: 0.5, y: 1 });
    expect(r.mathjs).toEqual({ applicable: false, reason: 'mathjs has no derivative for relu, sigmoid' });
    expect(must(r.rows[0], 'row').mathjs).toBeUndefined();
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
    expect(must(r.rows[0], 'row').autograd).toBeCloseTo(must(r.rows[0], 'row').complexStep, 14);
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
    expect(must(compareGradients(parse('x^3'), { x: 2 }).rows[0], 'row').symbolic).toBe(12);
  });
});
