import { describe, expect, test } from 'vitest';
import { Value } from '@crossgrad/autograd';
import { checkGradient, gradcheck, InvalidInputError } from '@crossgrad/verify';

/** A missing input: a test failure, never a value. */
function missing(): never {
  throw new Error('missing input');
}

/** Entry `i`, or NaN where there is none. */
function at(v: readonly number[], i: number): number {
  return v[i] ?? NaN;
}

describe('gradcheck', () => {
  test('a correct function passes, with analytic and numeric gradients matching the known one', () => {
    // f(a, b) = a·b + exp(a) / b, ∂f/∂a = b + exp(a)/b, ∂f/∂b = a - exp(a)/b²
    const f = ([a = missing(), b = missing()]: Value[]): Value => a.mul(b).add(a.exp().div(b));
    const r = gradcheck(f, [0.5, 2]);
    expect(r.ok).toBe(true);
    expect(r.value).toBeCloseTo(1 + Math.exp(0.5) / 2, 14);
    expect(r.entries[0]?.analytic).toBeCloseTo(2 + Math.exp(0.5) / 2, 14);
    expect(r.entries[1]?.analytic).toBeCloseTo(0.5 - Math.exp(0.5) / 4, 14);
    for (const e of r.entries) {
      expect(e.absError).toBeLessThan(1e-9);
      expect(e.tolerance).toBeCloseTo(1e-5 + 1e-3 * Math.abs(e.numeric), 15);
    }
  });

  test('a function that builds its result wrongly fails, naming the entry', () => {
    // Meant: x·y + sin(x). The author detached y into a constant in the product, so ∂/∂y misses x.
    const wrong = ([x = missing(), y = missing()]: Value[]): Value => x.mul(new Value(y.data)).add(x.sin());
    const r = gradcheck(wrong, [1.5, -0.5]);
    expect(r.ok).toBe(false);
    expect(r.worst.index).toBe(1);
    expect(r.worst.analytic).toBe(0);
    expect(r.worst.numeric).toBeCloseTo(1.5, 10);
    expect(r.worst.absError).toBeCloseTo(1.5, 10);
    expect(r.worst.relError).toBeCloseTo(1, 10);
    expect(r.entries[0]?.ok).toBe(true);
    expect(r.summary).toMatch(
      // The numeric 1.5 to about 1e-13 either side (the steps are relative to y = -0.5).
      /^x\[1\]: analytic 0, numeric 1\.(?:5|4999999999)\d* \(abs error 1\.50, rel error 1\.00, tolerance 0\.00151\)$/,
    );
  });

  test('atol and rtol decide: a 1e-4 relative error passes the defaults but not rtol 1e-6', () => {
    const f = (x: readonly number[]): { value: number; gradient: number[] } => ({
      value: at(x, 0) ** 2,
      gradient: [2 * at(x, 0) * (1 + 1e-4)],
    });
    expect(checkGradient(f, [3]).ok).toBe(true);
    const strict = checkGradient(f, [3], { rtol: 1e-6, atol: 0 });
    expect(strict.ok).toBe(false);
    expect(strict.worst.relError).toBeCloseTo(1e-4, 8);
  });

  test('checkGradient catches a hand-written gradient with a sign error', () => {
    const f = (x: readonly number[]): { value: number; gradient: number[] } => ({
      value: at(x, 0) * Math.sin(at(x, 0)),
      gradient: [Math.sin(at(x, 0)) - at(x, 0) * Math.cos(at(x, 0))],
    });
    const r = checkGradient(f, [1]);
    expect(r.ok).toBe(false);
    expect(r.worst.numeric).toBeCloseTo(Math.sin(1) + Math.cos(1), 10);
    expect(r.worst.analytic).toBeCloseTo(Math.sin(1) - Math.cos(1), 14);
  });

  test('a NaN gradient is a failure, not a pass', () => {
    const r = checkGradient(() => ({ value: 1, gradient: [NaN] }), [1]);
    expect(r.ok).toBe(false);
    expect(r.worst.analytic).toBeNaN();
  });

  test('an entry whose numeric derivative cannot be taken is not judged, and says why', () => {
    // Defined at the point alone: every probe is NaN.
    const pinpoint = (x: readonly number[]) => ({ value: at(x, 0) === 1 ? 1 : NaN, gradient: [2] });
    const r = checkGradient(pinpoint, [1]);
    expect(r.entries[0]?.numeric).toBeNaN();
    expect(r.entries[0]?.unresolved).toBe(
      'no finite difference: every probe gave a value that is not a finite number',
    );
    expect(r.ok).toBe(true);
    expect(r.summary).toBe(
      'x[0]: no numeric derivative (no finite difference: every probe gave a value that is not a finite number); not judged',
    );
    // sqrt at 1e-300: the steps are relative to x, so the numeric derivative is there, and agrees.
    const sqrt = gradcheck(([x]) => x!.sqrt(), [1e-300]);
    expect(sqrt.ok).toBe(true);
    expect(sqrt.entries[0]?.numeric).toBeCloseTo(0.5e150, -140);
    expect(sqrt.entries[0]?.unresolved).toBeUndefined();
    // A NaN gradient beside an unresolvable numeric one is still a failure.
    expect(checkGradient((x) => ({ ...pinpoint(x), gradient: [NaN] }), [1]).ok).toBe(false);
  });

  test('leaves are fresh and labelled x0, x1, … on each call', () => {
    const labels: string[] = [];
    gradcheck(
      (xs) => {
        labels.push(...xs.map((x) => x.label));
        return (xs[0] ?? missing()).mul(xs[1] ?? missing());
      },
      [1, 2],
    );
    expect(labels.slice(0, 2)).toEqual(['x0', 'x1']);
  });

  test('bad input is a typed error naming the problem', () => {
    expect(() => gradcheck((xs) => xs[0] ?? missing(), [])).toThrow(InvalidInputError);
    expect(() => gradcheck((xs) => xs[0] ?? missing(), [])).toThrow('gradcheck needs at least one input');
    expect(() => gradcheck((xs) => xs[0] ?? missing(), [Infinity])).toThrow(
      'x[0] must be a finite number, got Infinity',
    );
    expect(() => gradcheck(() => 3 as unknown as Value, [1])).toThrow(
      'gradcheck: fn must return a Value, got number 3',
    );
    expect(() => checkGradient(() => ({ value: 1, gradient: [1, 2] }), [1])).toThrow(
      'checkGradient: f returned 2 gradient entries for 1 inputs',
    );
    expect(() => gradcheck((xs) => xs[0] ?? missing(), [1], { atol: -1 })).toThrow(
      'atol and rtol must be >= 0',
    );
  });

  test('a kink near the point: abs at 1e-7 passes (it failed with analytic 1, numeric 1.8e-6)', () => {
    const r = gradcheck(([x]) => (x ?? new Value(NaN)).abs(), [1e-7]);
    expect(r.ok).toBe(true);
    expect(r.worst).toMatchObject({ analytic: 1, kink: undefined });
    expect(Math.abs(r.worst.numeric - 1)).toBeLessThan(1e-9);
    // With only the first tableaus of large steps, the kink is inside them: the numeric side is retaken inside it.
    const short = gradcheck(([x]) => (x ?? new Value(NaN)).abs(), [1e-7], {
      finiteDifference: { restarts: 1 },
    });
    expect(short.ok).toBe(true);
    expect(Math.abs(short.worst.numeric - 1)).toBeLessThan(1e-9);
  });

  test('a kink at the point: reported as a kink within the step, not as a failure', () => {
    // relu'(0) is the convention 0, so backward gives 1; the finite difference averages the slopes 1 and 4.
    const r = gradcheck(
      ([x]) =>
        (x ?? new Value(NaN))
          .relu()
          .mul(3)
          .add(x ?? new Value(NaN)),
      [0],
    );
    expect(r.ok).toBe(true);
    expect(r.worst.ok).toBe(false);
    expect(r.worst.kink).toMatch(/^one-sided slopes 1\.00000 and 4\.00000 at step /);
    expect(r.summary).toMatch(
      /^x\[0\]: kink within the step \(one-sided slopes 1\.00000 and 4\.00000 at step .*\); not judged$/,
    );
    const hand = checkGradient(
      (x) => ({ value: Math.abs(x[0] ?? NaN) + 2 * (x[1] ?? NaN), gradient: [1, 2] }),
      [0, 1],
    );
    expect(hand.ok).toBe(true);
    expect(hand.entries.map((e) => e.kink === undefined)).toEqual([false, true]);
  });

  test('a wrong gradient next to a kink still fails', () => {
    const r = checkGradient((x) => ({ value: Math.abs(x[0] ?? NaN), gradient: [-1] }), [1e-7]);
    expect(r.ok).toBe(false);
    expect(r.worst).toMatchObject({ analytic: -1, kink: undefined });
    expect(r.worst.numeric).toBeCloseTo(1, 9);
  });
});
