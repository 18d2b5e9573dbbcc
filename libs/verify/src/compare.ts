import { diff, evaluate, type Expr, format, gradient, parse } from '@crossgrad/symbolic';
import { COMPLEX_STEP, complexStepDetail, type ComplexStepDetail } from './complex-step.js';
import { InvalidInputError } from './errors.js';
import { finiteDifference, type FiniteDifferenceOptions } from './finite-difference.js';
import { mathjsGradient, mathjsNotApplicable } from './mathjs-oracle.js';
import { outOfRange } from './range.js';
import { noiseProgram, realProgram, valuesProgram } from './real-eval.js';
import { checkVariableList, pointValues, type Tape, tapeOf } from './tape.js';
import { toValue, type ValueGraph } from './to-value.js';

/**
 * The ways of computing a derivative that {@link compareGradients} puts side by side.
 *
 * @example
 * ```ts
 * const r = compareGradients('x^2', { x: 3 });
 * r.rows[0]!.comparisons.map((c) => `${c.oracle} ~ ${c.reference}`); // ['symbolic ~ autograd', …]
 * ```
 */
export type Oracle = 'symbolic' | 'autograd' | 'complexStep' | 'finiteDifference' | 'mathjs';

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
 * Options of {@link compareGradients}.
 *
 * @example
 * ```ts
 * compareGradients('x * y', { x: 1, y: 2 }, { variables: ['y'], rtol: 1e-12, mathjs: false });
 * ```
 */
export interface CompareOptions {
  /** The partial derivatives to compare. Default: every variable of the expression. */
  readonly variables?: readonly string[];
  /**
   * Relative tolerance between exact oracles (symbolic, autograd, complex step, mathjs). Default 1e-9. It is relative
   * to the larger of the two values and the derivative's magnitude (see {@link GradientRow.magnitude}), which is the
   * floor for derivatives near 0.
   */
  readonly rtol?: number;
  /**
   * Absolute floor of every tolerance. Default 1e-30: below it the complex step's own `h²` and underflow errors
   * (h = 1e-20) can show, so a smaller difference is no evidence.
   */
  readonly atol?: number;
  /** Finite differences pass within `safety ×` their own error estimate. Default 4. */
  readonly safety?: number;
  /** A relu/abs argument within this distance of 0 marks the point as next to a kink. Default 1e-8. */
  readonly kinkTolerance?: number;
  /** Ask mathjs too (where it applies). Default true. mathjs is loaded on first use. */
  readonly mathjs?: boolean;
  /**
   * A rule table for the symbolic oracle: then each partial is `diff(e, v, { rules })` instead of `gradient`. For
   * testing the tests: a wrong rule here must make the comparison fail.
   */
  readonly rules?: DiffRuleTable;
  /** Passed to {@link finiteDifference}. `step` is ignored: it is chosen per variable, and kept clear of kinks. */
  readonly finiteDifference?: Omit<FiniteDifferenceOptions, 'step'>;
}

/**
 * One oracle's derivative against another's.
 *
 * @example
 * ```ts
 * const [c] = compareGradients('x^2', { x: 3 }).rows[0]!.comparisons;
 * c!.ok; // true: symbolic 6 vs autograd 6
 * ```
 */
export interface Comparison {
  readonly oracle: Oracle;
  readonly reference: Oracle;
  /** `|a - b|`. */
  readonly absError: number;
  /** `max(|a|, |b|, magnitude)`: what the relative error is relative to. */
  readonly scale: number;
  /** `|a - b| / scale`; 0 when equal. */
  readonly relError: number;
  /**
   * The largest `absError` that passes: `rtol·max(|a|, |b|, magnitude) + 4·rounding + atol`, plus `safety ×` the
   * error estimate for finite differences.
   */
  readonly tolerance: number;
  /** `absError <= tolerance` (false for NaN). */
  readonly ok: boolean;
}

/**
 * Every oracle's ∂f/∂variable, and how they compare.
 *
 * @example
 * ```ts
 * const row = compareGradients('x * sin(y)', { x: 2, y: 0 }).rows[1]!;
 * row.variable; // 'y'
 * row.autograd; // 2
 * ```
 */
export interface GradientRow {
  readonly variable: string;
  readonly symbolic: number;
  readonly autograd: number;
  readonly complexStep: number;
  /** undefined when there is no finite difference; `finiteDifferenceSkipped` says why. */
  readonly finiteDifference: number | undefined;
  /** The finite difference's own error estimate. */
  readonly finiteDifferenceError: number | undefined;
  /**
   * Why there is no finite difference: the point is skipped; the expression does not use the variable; it changes
   * faster than the doubles near the point resolve; or every probe left the domain.
   */
  readonly finiteDifferenceSkipped: string | undefined;
  /** undefined when mathjs does not apply (see {@link GradientReport.mathjs}). */
  readonly mathjs: number | undefined;
  /**
   * The size of the derivative computation: the derivative with every local slope and factor taken in absolute
   * value. Rounding in any oracle is a small multiple of `eps · magnitude`, so this is the scale tolerances use.
   */
  readonly magnitude: number;
  /**
   * A first-order bound on the rounding error of this derivative computed by the chain rule (from the rounding of
   * the values it multiplies). Tolerances add 4× this, which matters only where those values cancel.
   */
  readonly rounding: number;
  readonly comparisons: readonly Comparison[];
  /** Every comparison passed. */
  readonly ok: boolean;
}

/**
 * What {@link compareGradients} found.
 *
 * @example
 * ```ts
 * const report = compareGradients('relu(x)', { x: 0 });
 * report.verdict; // 'skipped'
 * report.flags.nearKink; // true
 * ```
 */
export interface GradientReport {
  /** The expression as symbolic prints it. */
  readonly expression: string;
  readonly point: Readonly<Record<string, number>>;
  /** f(point), from this package's own evaluator. */
  readonly value: number;
  /**
   * A first-order bound on the rounding error in `value` (forward error analysis over the expression): two
   * evaluations of `f` in different orders, such as symbolic's and autograd's, differ by about this much.
   */
  readonly valueRounding: number;
  readonly rows: readonly GradientRow[];
  readonly flags: {
    /**
     * Some value or local slope in the expression is NaN or infinite at this point, or underflows where a chain
     * rule would multiply it by a large number.
     */
    readonly nonFinite: boolean;
    /** Some relu/abs argument is within `kinkTolerance` of 0. */
    readonly nearKink: boolean;
    /**
     * Some log, sqrt, power or other function is within 1000·h (h = 1e-20, in the variable's units) of where it
     * changes on its own scale, such as `log(x)` at `x = 1e-300`: the complex step's perturbation is not small there.
     */
    readonly nearSingularity: boolean;
    /**
     * The variables whose symbolic derivative expression over- or underflows at this point though the expression's
     * own values do not (`(e^(2u) + 1)^-3` at u = 125): that oracle's number means nothing there.
     */
    readonly derivativeOutOfRange: readonly string[];
  };
  /** Whether mathjs took part, and why not. */
  readonly mathjs: { readonly applicable: boolean; readonly reason?: string };
  /**
   * `agree`: every comparison passed. `disagree`: some failed at a point where all oracles are meaningful.
   * `skipped`: one of the flags is set, and disagreement there is no evidence (the numbers are still reported).
   */
  readonly verdict: 'agree' | 'disagree' | 'skipped';
  /** One line saying why the verdict is what it is. */
  readonly reason: string;
}

const EXACT: readonly [Oracle, Oracle][] = [
  ['symbolic', 'autograd'],
  ['symbolic', 'complexStep'],
  ['autograd', 'complexStep'],
  ['mathjs', 'complexStep'],
];
const NUMERIC: readonly Oracle[] = ['complexStep', 'symbolic', 'autograd', 'mathjs'];

/**
 * Differentiates one expression at one point in every way this project knows and compares the results:
 * 1. symbolic: `gradient` (or `diff`) of @crossgrad/symbolic, evaluated;
 * 2. autograd: the expression built as a `Value` graph ({@link toValue}), `backward()`;
 * 3. complex step ({@link complexStep}): exact to rounding, independent of both rule sets;
 * 4. finite differences ({@link finiteDifference}) with their error estimate;
 * 5. mathjs `derivative`, when the expression uses only functions mathjs knows.
 *
 * Exact oracles (1, 2, 3, 5) must agree to `rtol` (1e-9) relative to the derivative's magnitude; finite differences
 * within `safety ×` their own error estimate. Points where a value is non-finite or underflows, symbolic's
 * derivative expression leaves the double range, a singularity is closer than the complex step can resolve, or a
 * relu/abs argument is next to 0 are reported with verdict `skipped`.
 *
 * @param input - an expression or its source text.
 * @throws MissingVariableError when `point` lacks a variable; symbolic's `ParseError` for bad text.
 * @example
 * ```ts
 * const report = compareGradients('tanh(x1*w1 + x2*w2 + b)', { x1: 2, x2: 0, w1: -3, w2: 1, b: 6.8813735870195432 });
 * report.verdict; // 'agree'
 * report.rows.find((r) => r.variable === 'x1')?.autograd; // -1.5
 * console.log(formatReport(report));
 * ```
 */
export function compareGradients(
  input: Expr | string,
  point: Readonly<Record<string, number>>,
  opts: CompareOptions = {},
): GradientReport {
  const expr = typeof input === 'string' ? parse(input) : input;
  const rtol = opts.rtol ?? 1e-9;
  const atol = opts.atol ?? 1e-30;
  const safety = opts.safety ?? 4;
  const kinkTolerance = opts.kinkTolerance ?? 1e-8;
  if (!(rtol >= 0) || !(atol >= 0) || !(safety >= 0) || !(kinkTolerance >= 0)) {
    throw new InvalidInputError(`rtol, atol, safety and kinkTolerance must be >= 0`);
  }
  const tape = tapeOf(expr);
  const variables = opts.variables ?? tape.variables;
  checkVariableList(variables);
  const x = pointValues(tape, point);
  const cs = complexStepDetail(tape, point);
  const nearKink = cs.kinks.some((k) => !(Math.abs(k.argument) > kinkTolerance));
  const nearSingularity = Object.values(cs.lengthScale).some((l) => !(l > 1e3 * COMPLEX_STEP));
  const { values: symbolic, outOfRange: derivativeOutOfRange } = symbolicGradient(
    expr,
    variables,
    point,
    opts.rules,
  );
  const judged = !cs.nonFinite && !nearKink && !nearSingularity && derivativeOutOfRange.length === 0;
  const graph = toValue(expr, point);
  graph.output.backward();

  const fd: Record<string, FdOutcome> = judged ? finiteDifferences(tape, x, cs, opts.finiteDifference) : {};

  let mathjs: GradientReport['mathjs'] = { applicable: false, reason: 'not asked for' };
  let mathjsValues: Record<string, number> | undefined;
  if (opts.mathjs !== false) {
    const reason = mathjsNotApplicable(tape);
    mathjs = reason === undefined ? { applicable: true } : { applicable: false, reason };
    if (reason === undefined) {
      try {
        mathjsValues = mathjsGradient(tape, point, variables);
      } catch (e) {
        // An outside library's failure is not a disagreement of ours: report it and go on without it.
        mathjs = {
          applicable: false,
          reason: `mathjs failed: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
    }
  }

  const tolerances = { rtol, atol, safety };
  const rows = variables.map((variable) =>
    rowOf(variable, { symbolic, graph, cs, fd: fd[variable], judged, mathjs: mathjsValues }, tolerances),
  );
  const flags = { nonFinite: cs.nonFinite, nearKink, nearSingularity, derivativeOutOfRange };
  const { verdict, reason } = judge(flags, rows, kinkTolerance);
  return {
    expression: format(expr),
    point: { ...point },
    value: cs.value,
    valueRounding: noiseProgram(tape)(x),
    rows,
    flags,
    mathjs,
    verdict,
    reason,
  };
}

/** What one row is built from. */
interface RowSources {
  readonly symbolic: Readonly<Record<string, number>>;
  readonly graph: ValueGraph;
  readonly cs: ComplexStepDetail;
  readonly fd: FdOutcome | undefined;
  readonly judged: boolean;
  readonly mathjs: Readonly<Record<string, number>> | undefined;
}

/** One variable's numbers from every oracle, and their comparisons. */
function rowOf(
  variable: string,
  src: RowSources,
  tol: { readonly rtol: number; readonly atol: number; readonly safety: number },
): GradientRow {
  const magnitude = src.cs.magnitude[variable] ?? 0;
  const rounding = src.cs.rounding[variable] ?? 0;
  const values: Record<Oracle, number | undefined> = {
    symbolic: src.symbolic[variable]!,
    autograd: src.graph.inputs[variable]?.grad ?? 0,
    complexStep: src.cs.gradient[variable] ?? 0,
    finiteDifference: undefined,
    mathjs: src.mathjs?.[variable],
  };
  let fdError: number | undefined;
  let fdSkipped: string | undefined;
  if (src.fd === undefined) {
    fdSkipped = src.judged ? 'the expression does not use this variable' : 'not run: the point is skipped';
  } else if ('skipped' in src.fd) {
    fdSkipped = src.fd.skipped;
  } else {
    values.finiteDifference = src.fd.value;
    fdError = src.fd.error;
  }
  const floor = tol.atol + ROUNDING_SAFETY * rounding;
  const comparisons: Comparison[] = [];
  for (const [a, b] of EXACT) {
    const va = values[a];
    const vb = values[b];
    if (va !== undefined && vb !== undefined)
      comparisons.push(compare(a, b, va, vb, magnitude, tol.rtol, floor));
  }
  const fdValue = values.finiteDifference;
  if (fdValue !== undefined && fdError !== undefined) {
    for (const ref of NUMERIC) {
      const v = values[ref];
      if (v === undefined) continue;
      comparisons.push(
        compare('finiteDifference', ref, fdValue, v, magnitude, tol.rtol, floor + tol.safety * fdError),
      );
    }
  }
  return {
    variable,
    symbolic: values.symbolic!,
    autograd: values.autograd!,
    complexStep: values.complexStep!,
    finiteDifference: fdValue,
    finiteDifferenceError: fdError,
    finiteDifferenceSkipped: fdSkipped,
    mathjs: values.mathjs,
    magnitude,
    rounding,
    comparisons,
    ok: comparisons.every((c) => c.ok),
  };
}

/** The verdict: the first flag that makes the point no evidence, else whether every comparison passed. */
function judge(
  flags: GradientReport['flags'],
  rows: readonly GradientRow[],
  kinkTolerance: number,
): { verdict: GradientReport['verdict']; reason: string } {
  if (flags.nonFinite) {
    return {
      verdict: 'skipped',
      reason: 'a value or local slope is not finite (or underflows) at this point',
    };
  }
  if (flags.derivativeOutOfRange.length > 0) {
    const v = flags.derivativeOutOfRange[0]!;
    return {
      verdict: 'skipped',
      reason: `symbolic's expression for ∂/∂${v} over- or underflows at this point`,
    };
  }
  if (flags.nearSingularity) {
    return {
      verdict: 'skipped',
      reason: 'the point is within 1e-17 of a singularity, too close for the complex step',
    };
  }
  if (flags.nearKink) {
    return { verdict: 'skipped', reason: `a relu/abs argument is within ${kinkTolerance} of its kink at 0` };
  }
  const failed = rows.flatMap((row) => row.comparisons.filter((c) => !c.ok).map((c) => ({ row, c })));
  if (failed.length === 0) return { verdict: 'agree', reason: 'all oracles agree within tolerance' };
  const { row, c } = failed.reduce((w, f) => (badness(f.c) > badness(w.c) ? f : w));
  const value = (o: Oracle): number => row[o]!;
  return {
    verdict: 'disagree',
    reason:
      `∂/∂${row.variable}: ${c.oracle} ${value(c.oracle)} vs ${c.reference} ${value(c.reference)} ` +
      `(rel error ${c.relError.toPrecision(3)})`,
  };
}

/** Two oracles can each be off by the rounding bound, and the bound is first order: some room on top. */
const ROUNDING_SAFETY = 4;

function badness(c: Comparison): number {
  return Number.isNaN(c.absError) ? Infinity : c.absError / Math.max(c.tolerance, Number.MIN_VALUE);
}

function compare(
  oracle: Oracle,
  reference: Oracle,
  a: number,
  b: number,
  magnitude: number,
  rtol: number,
  atol: number,
): Comparison {
  const scale = Math.max(Math.abs(a), Math.abs(b), magnitude);
  if (a === b)
    return { oracle, reference, absError: 0, scale, relError: 0, tolerance: rtol * scale + atol, ok: true };
  const absError = Math.abs(a - b);
  const relError = absError / scale;
  const tolerance = rtol * scale + atol;
  return { oracle, reference, absError, scale, relError, tolerance, ok: absError <= tolerance };
}

/**
 * Symbolic's derivative per variable, evaluated, and whether evaluating that derivative expression left the
 * floating-point range (its form can overflow or underflow where the expression's own values do not, such as
 * `(e^(2u) + 1)^-3` for a u of 125).
 */
function symbolicGradient(
  expr: Expr,
  variables: readonly string[],
  point: Readonly<Record<string, number>>,
  rules: DiffRuleTable | undefined,
): { values: Record<string, number>; outOfRange: string[] } {
  const derivatives = new Map<string, Expr>();
  if (rules === undefined) {
    const g = gradient(expr, variables);
    for (const v of variables) derivatives.set(v, g.get(v)!);
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

/** One variable's finite difference, or why there is none. */
type FdOutcome = { value: number; error: number } | { skipped: string };

/**
 * Finite differences of the expression's own evaluation, per variable, with its rounding bound as the noise floor.
 * The first step stays below half the shortest length scale of the expression (so an oscillation is resolved, not
 * averaged away) and below a quarter of the (linearised) distance to the nearest kink (so no probe pair straddles
 * one). Where that leaves less than 64 doubles between the point and its first probe, the expression changes faster
 * than the doubles near the point can show (`sin(x^30)` at 2.75): no finite difference for that variable.
 */
function finiteDifferences(
  tape: Tape,
  x: readonly number[],
  cs: ComplexStepDetail,
  opts: Omit<FiniteDifferenceOptions, 'step'> = {},
): Record<string, FdOutcome> {
  const steps = tape.variables.map((name, i) => {
    let h = Math.min(0.1 * Math.max(Math.abs(x[i]!), 1), (cs.lengthScale[name] ?? Infinity) / 2);
    for (const k of cs.kinks) {
      const s = Math.abs(k.slope[name] ?? 0);
      if (s > 0) h = Math.min(h, Math.abs(k.argument) / s / 4);
    }
    return h;
  });
  const out: Record<string, FdOutcome> = {};
  const active: number[] = [];
  steps.forEach((h, i) => {
    if (h >= 64 * Math.max(Math.abs(x[i]!) * Number.EPSILON, Number.MIN_VALUE)) active.push(i);
    else
      out[tape.variables[i]!] = {
        skipped: 'the expression changes faster than the doubles near the point resolve',
      };
  });
  const f = realProgram(tape);
  const noise = noiseProgram(tape);
  const probe = [...x];
  const at = (sub: readonly number[]): number[] => {
    active.forEach((i, k) => {
      probe[i] = sub[k]!;
    });
    return probe;
  };
  const r = finiteDifference(
    (sub) => f(at(sub)),
    active.map((i) => x[i]!),
    { noise: (sub) => noise(at(sub)), ...opts, step: active.map((i) => steps[i]!) },
  );
  active.forEach((i, k) => {
    out[tape.variables[i]!] = Number.isFinite(r.gradient[k])
      ? { value: r.gradient[k]!, error: r.error[k]! }
      : { skipped: 'no finite estimate: the probes left the domain' };
  });
  return out;
}
