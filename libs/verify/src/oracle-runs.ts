import { diff, evaluate, type Expr, gradient } from '@crossgrad/symbolic';
import type { ComplexStepDetail } from './complex-step.js';
import { finiteDifference, type FiniteDifferenceOptions } from './finite-difference.js';
import { outOfRange } from './range.js';
import { noiseProgram, realProgram, valuesProgram } from './real-eval.js';
import { pointValues, type Tape, tapeOf } from './tape.js';

/**
 * The rule table `diff` accepts, whatever @crossgrad/symbolic names its type.
 *
 * @example
 * ```ts
 * const rules: DiffRuleTable = { ...diffRules };
 * compareGradients('sin(x)', { x: 1 }, { rules });
 * ```
 */
export type DiffRuleTable = NonNullable<NonNullable<Parameters<typeof diff>[2]>['rules']>;

/**
 * Symbolic's derivative per variable, evaluated, and whether evaluating that derivative expression left the
 * floating-point range (its form can overflow or underflow where the expression's own values do not, such as
 * `(e^(2u) + 1)^-3` for a u of 125).
 *
 * @example
 * ```ts
 * symbolicGradient(parse('x^2'), ['x'], { x: 3 }, undefined); // { values: { x: 6 }, outOfRange: [] }
 * ```
 */
export function symbolicGradient(
  expr: Expr,
  variables: readonly string[],
  point: Readonly<Record<string, number>>,
  rules: DiffRuleTable | undefined,
): { values: Record<string, number>; outOfRange: string[] } {
  const derivatives = new Map<string, Expr>();
  if (rules === undefined) {
    const g = gradient(expr, variables);
    for (const v of variables) {
      const d = g.get(v);
      if (d !== undefined) derivatives.set(v, d);
    }
  } else {
    for (const v of variables) derivatives.set(v, diff(expr, v, { rules }));
  }
  const values: Record<string, number> = {};
  const lost: string[] = [];
  for (const [v, d] of derivatives) {
    values[v] = evaluate(d, point);
    const tape = tapeOf(d);
    if (outOfRange(tape, valuesProgram(tape)(pointValues(tape, point)))) lost.push(v);
  }
  return { values, outOfRange: lost };
}

/**
 * One variable's finite difference, or why there is none.
 * @example
 * ```ts
 * const o: FdOutcome = { skipped: 'the expression does not use this variable' };
 * ```
 */
export type FdOutcome = { value: number; error: number } | { skipped: string };

/**
 * Finite differences of the expression's own evaluation, for the variables in `wanted`, with its rounding bound as
 * the noise floor. The first step stays below half the shortest length scale of the expression (so an oscillation
 * is resolved, not averaged away) and below a quarter of the (linearised) distance to the nearest kink (so no probe
 * pair straddles one). Where that leaves less than 64 doubles between the point and its first probe, the
 * expression changes faster than the doubles near the point can show (`sin(x^30)` at 2.75): no finite difference
 * for that variable.
 *
 * @example
 * ```ts
 * finiteDifferences(tape, [0.5], complexStepDetail(tape, { x: 0.5 }), new Set(['x'])); // { x: { value, error } }
 * ```
 */
export function finiteDifferences(
  tape: Tape,
  x: readonly number[],
  cs: ComplexStepDetail,
  wanted: ReadonlySet<string>,
  opts: Omit<FiniteDifferenceOptions, 'step'> = {},
): Record<string, FdOutcome> {
  const out: Record<string, FdOutcome> = {};
  const active: { index: number; name: string; step: number; at: number }[] = [];
  tape.variables.forEach((name, index) => {
    if (!wanted.has(name)) return;
    const at = x[index] ?? NaN;
    let h = Math.min(0.1 * Math.max(Math.abs(at), 1), (cs.lengthScale[name] ?? Infinity) / 2);
    for (const k of cs.kinks) {
      const s = Math.abs(k.slope[name] ?? 0);
      if (s > 0) h = Math.min(h, Math.abs(k.argument) / s / 4);
    }
    if (h >= 64 * Math.max(Math.abs(at) * Number.EPSILON, Number.MIN_VALUE)) {
      active.push({ index, name, step: h, at });
    } else {
      out[name] = { skipped: 'the expression changes faster than the doubles near the point resolve' };
    }
  });
  if (active.length === 0) return out;
  const f = realProgram(tape);
  const noise = noiseProgram(tape);
  const probe = [...x];
  const place = (sub: readonly number[]): number[] => {
    active.forEach((a, k) => {
      probe[a.index] = sub[k] ?? NaN;
    });
    return probe;
  };
  const r = finiteDifference(
    (sub) => f(place(sub)),
    active.map((a) => a.at),
    { noise: (sub) => noise(place(sub)), ...opts, step: active.map((a) => a.step) },
  );
  active.forEach((a, k) => {
    const value = r.gradient[k] ?? NaN;
    const error = r.error[k] ?? Infinity;
    out[a.name] = Number.isFinite(value)
      ? { value, error }
      : { skipped: 'no finite estimate: the probes left the domain' };
  });
  return out;
}
