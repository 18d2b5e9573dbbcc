import { type Expr, format, parse } from '@crossgrad/symbolic';
import {
  badness,
  bound,
  compare,
  type Comparison,
  EXACT_PAIRS,
  FD_REFERENCES,
  type Oracle,
  ROUNDING_SAFETY,
} from './comparison.js';
import { complexStepDetail, type ComplexStepDetail, type Kink } from './complex-step.js';
import { InvalidInputError } from './errors.js';
import type { FiniteDifferenceOptions } from './finite-difference.js';
import { mathjsGradient, mathjsNotApplicable } from './mathjs-oracle.js';
import {
  type DiffRuleTable,
  type FdOutcome,
  finiteDifferences,
  type OneSided,
  oneSidedSlopes,
  symbolicGradient,
} from './oracle-runs.js';
import { noiseProgram } from './real-eval.js';
import { checkVariableList, pointValues, tapeOf } from './tape.js';
import { toValue, type ValueGraph } from './to-value.js';
import { type Judgement, strongest, type Verdict } from './verdict.js';

export type { Comparison, DiffRuleTable, Oracle, Verdict };

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
  /** Absolute floor of every tolerance. Default 1e-30. */
  readonly atol?: number;
  /** Finite differences pass within `safety ×` their own error estimate. Default 4. */
  readonly safety?: number;
  /**
   * A relu/abs argument within this distance of 0 counts as at its kink: the partials it depends on are decided from
   * the one-sided slopes (see {@link GradientRow.oneSided}). Where they differ, an argument of exactly 0 makes the
   * partial `not-differentiable` and one merely within this distance makes it `skipped`. Default 1e-8.
   */
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
 * Every oracle's ∂f/∂variable, how they compare, and the verdict for this partial derivative.
 *
 * @example
 * ```ts
 * const row = compareGradients('x * sin(y)', { x: 2, y: 0 }).rows[1];
 * row?.variable; // 'y'
 * row?.autograd; // 2
 * row?.verdict; // 'agree'
 * ```
 */
export interface GradientRow {
  readonly variable: string;
  readonly symbolic: number;
  readonly autograd: number;
  /** `Im f(x + ih)/h` at the step taken (NaN or ±Infinity where no step resolves the point; the verdict says why). */
  readonly complexStep: number;
  /** undefined when there is no finite difference; `finiteDifferenceSkipped` says why. */
  readonly finiteDifference: number | undefined;
  /** The finite difference's own error estimate. */
  readonly finiteDifferenceError: number | undefined;
  /**
   * Why there is no finite difference: the row has no derivative to compare; the expression does not use the
   * variable; it changes faster than the doubles near the point resolve; or every probe left the domain.
   */
  readonly finiteDifferenceSkipped: string | undefined;
  /** undefined when mathjs does not apply (see {@link GradientReport.mathjs}). */
  readonly mathjs: number | undefined;
  /**
   * Where a relu/abs argument the partial depends on is at 0 (or within `kinkTolerance`): the derivative from the
   * left and from the right, by one-sided complex steps. Where they agree the partial exists, and every oracle is
   * also compared with it (as `oneSided`, their mean); where they differ there is no derivative. undefined elsewhere.
   */
  readonly oneSided: { readonly left: number; readonly right: number } | undefined;
  /**
   * The size of the derivative computation: the derivative with every local slope and factor taken in absolute
   * value. Rounding in any oracle is a small multiple of `eps · magnitude`, so this is the scale tolerances use.
   */
  readonly magnitude: number;
  /**
   * A first-order bound on the rounding error of this derivative computed by the chain rule (from the rounding of
   * the values it multiplies). Tolerances add 4× this, which matters only where those values cancel. Never NaN.
   */
  readonly rounding: number;
  /** Every pairwise comparison made (also where the verdict does not rest on them). */
  readonly comparisons: readonly Comparison[];
  /**
   * This partial's verdict: `undefined` or `not-differentiable` from the point itself, `skipped` where no judgement
   * is possible, else `disagree` when some comparison failed and `agree` when none did.
   */
  readonly verdict: Verdict;
  /** One line saying why; empty for `agree`. */
  readonly reason: string;
}

/**
 * What {@link compareGradients} found.
 *
 * @example
 * ```ts
 * const report = compareGradients('relu(x)', { x: 0 });
 * report.verdict; // 'not-differentiable'
 * report.reason; // '∂/∂x: relu(x) is at its kink (argument 0): left 0, right 1'
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
    /** Some value is not a finite real number, overflows, or underflows where a chain rule multiplies it. */
    readonly nonFinite: boolean;
    /** Some relu/abs argument is within `kinkTolerance` of 0 (or at 0). */
    readonly nearKink: boolean;
    /** Some partial that no complex step resolves (a singularity closer than the smallest normal step). */
    readonly nearSingularity: boolean;
    /**
     * The variables whose symbolic derivative expression over- or underflows at this point though the expression's
     * own values do not (`(e^(2u) + 1)^-3` at u = 125): that oracle's number means nothing there.
     */
    readonly derivativeOutOfRange: readonly string[];
  };
  /** Whether mathjs took part, and why not. */
  readonly mathjs: { readonly applicable: boolean; readonly reason?: string };
  /** The strongest of the rows' verdicts (see {@link Verdict} for the order); `agree` for no rows. */
  readonly verdict: Verdict;
  /** One line saying why the verdict is what it is, naming the partial it comes from. */
  readonly reason: string;
}

/**
 * Differentiates one expression at one point in every way this project knows and compares the results:
 * 1. symbolic: `gradient` (or `diff`) of @crossgrad/symbolic, evaluated;
 * 2. autograd: the expression built as a `Value` graph ({@link toValue}), `backward()`;
 * 3. complex step ({@link complexStep}): rule-free, its step scaled to the point;
 * 4. finite differences ({@link finiteDifference}) with their error estimate;
 * 5. mathjs `derivative`, when the expression uses only functions mathjs knows.
 *
 * Exact oracles (1, 2, 3, 5) must agree to `rtol` (1e-9) relative to the derivative's magnitude; finite differences
 * within `safety ×` their own error estimate. Each partial gets a {@link Verdict}: `undefined` where the value is
 * not a real number, `not-differentiable` at an infinite slope, the end of the domain, or a kink where the one-sided
 * slopes differ (`abs(x)` at 0: left -1, right 1), `skipped` where no judgement is possible (over- or underflow,
 * next to a kink whose sides differ, no complex step resolves the point, symbolic's derivative expression leaves the
 * double range), else `agree` or `disagree`. At a kink whose one-sided slopes agree (`abs(x)^2`, `x·relu(x)` at 0)
 * the derivative exists: the oracles are judged there, against each other and against the one-sided slope. The
 * report takes the strongest verdict.
 *
 * @param input - an expression or its source text.
 * @throws MissingVariableError when `point` lacks a variable; symbolic's `ParseError` for bad text.
 * @example
 * ```ts
 * const report = compareGradients('tanh(x1*w1 + x2*w2 + b)', { x1: 2, x2: 0, w1: -3, w2: 1, b: 6.8813735870195432 });
 * report.verdict; // 'agree'
 * report.rows.find((r) => r.variable === 'x1')?.autograd; // -1.5
 * compareGradients('sqrt(x)', { x: 0 }).verdict; // 'not-differentiable'
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
  const { values: symbolic, outOfRange: derivativeOutOfRange } = symbolicGradient(
    expr,
    variables,
    point,
    opts.rules,
  );
  const graph = toValue(expr, point);
  graph.output.backward();

  const tolerances = { rtol, atol, safety };
  const valueRounding = noiseProgram(tape)(x);
  const sides = new Map<string, Sides>();
  for (const v of variables) {
    const near = cs.kinks.filter((k) => k.variables.includes(v) && !(Math.abs(k.argument) > kinkTolerance));
    if (near.length === 0 || !tape.variables.includes(v)) continue;
    const s = oneSidedSlopes(tape, x, v, {
      step: cs.step[v] ?? 0,
      lengthScale: cs.lengthScale[v] ?? Infinity,
      kinkTolerance,
    });
    sides.set(v, {
      ...s,
      near,
      judgement: sidesJudgement(s, near, v, cs, valueRounding, kinkTolerance, tolerances),
    });
  }
  const before = new Map(
    variables.map((v) => [v, pointJudgement(v, cs, derivativeOutOfRange, sides.get(v))] as const),
  );
  // At a kink the central finite difference straddles it: the one-sided slopes stand in for it.
  const atKink = (v: string): boolean => sides.get(v)?.near.some((k) => k.argument === 0) === true;
  const wanted = new Set(variables.filter((v) => before.get(v) === undefined && !atKink(v)));
  const fd = finiteDifferences(tape, x, cs, wanted, opts.finiteDifference);

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

  const rows = variables.map((variable) =>
    rowOf(
      variable,
      {
        symbolic,
        graph,
        cs,
        fd: fd[variable],
        before: before.get(variable),
        mathjs: mathjsValues,
        sides: sides.get(variable),
        atKink: atKink(variable),
      },
      tolerances,
    ),
  );
  const flags = {
    nonFinite:
      cs.facts.undefinedValue !== undefined ||
      cs.facts.overflow !== undefined ||
      Object.keys(cs.facts.underflow).length > 0,
    nearKink: cs.kinks.some((k) => !(Math.abs(k.argument) > kinkTolerance)),
    nearSingularity: variables.some((v) => stepReason(v, cs) !== undefined),
    derivativeOutOfRange,
  };
  const worst = reportJudgement(rows);
  return {
    expression: format(expr),
    point: { ...point },
    value: cs.value,
    valueRounding,
    rows,
    flags,
    mathjs,
    verdict: worst.verdict,
    reason: worst.reason,
  };
}

/**
 * The verdict a partial gets from the point alone, before any comparison: the value is not a number, the
 * derivative does not exist, or no judgement is possible. undefined when the oracles are to be compared.
 */
function pointJudgement(
  variable: string,
  cs: ComplexStepDetail,
  derivativeOutOfRange: readonly string[],
  sides: Sides | undefined,
): Judgement | undefined {
  const { facts } = cs;
  if (facts.undefinedValue !== undefined) return { verdict: 'undefined', reason: facts.undefinedValue };
  const nd = facts.singular[variable];
  if (nd !== undefined) return { verdict: 'not-differentiable', reason: nd };
  const skip = (reason: string): Judgement => ({ verdict: 'skipped', reason });
  if (facts.overflow !== undefined) return skip(facts.overflow);
  const under = facts.underflow[variable];
  if (under !== undefined) return skip(under);
  if (sides?.judgement !== undefined) return sides.judgement;
  if (sides !== undefined && !Number.isFinite(cs.gradient[variable] ?? NaN)) {
    return skip('complex step: the derivative is not a finite double');
  }
  const step = stepReason(variable, cs);
  if (step !== undefined) return skip(`complex step: ${step}`);
  if (derivativeOutOfRange.includes(variable)) {
    return skip(`symbolic's expression for the derivative over- or underflows at this point`);
  }
  return undefined;
}

/** The one-sided slopes of a partial next to (or at) kinks, and the verdict they give by themselves. */
interface Sides extends OneSided {
  /** The kinks the partial depends on with an argument within `kinkTolerance` of 0. */
  readonly near: readonly Kink[];
  /** not-differentiable (or skipped) where the sides differ; undefined where they agree. */
  readonly judgement: Judgement | undefined;
}

/**
 * Whether the one-sided slopes say the partial exists: they agree within the tolerance the exact oracles get, and
 * the value has no jump. A kink exactly at the point where they differ is `not-differentiable`; one only within
 * `kinkTolerance` is `skipped` (the derivative exists at the point, on the side the argument has, but rounding may
 * have put it there).
 */
function sidesJudgement(
  s: OneSided,
  near: readonly Kink[],
  variable: string,
  cs: ComplexStepDetail,
  valueRounding: number,
  kinkTolerance: number,
  tol: { readonly rtol: number; readonly atol: number },
): Judgement | undefined {
  const at = near.find((k) => k.argument === 0);
  const where =
    at === undefined
      ? `a ${near[0]?.fn ?? 'kink'} argument is ${near[0]?.argument ?? NaN}, within ${kinkTolerance} of its kink at 0`
      : (cs.facts.notDifferentiable[variable] ?? `${at.fn} is at its kink (argument 0)`);
  const finite = [s.left, s.right, s.leftValue, s.rightValue].every((v) => Number.isFinite(v));
  if (!finite) {
    return {
      verdict: 'skipped',
      reason: `${where}: no one-sided complex step resolves it (left ${num(s.left)}, right ${num(s.right)})`,
    };
  }
  const allowed = (v: number): number => 4 * valueRounding + 4 * Number.EPSILON * Math.abs(v) + s.valueDrift;
  // The one-sided values are limits only where every kink held is at the point (see oneSidedSlopes).
  if (at !== undefined && near.every((k) => k.argument === 0)) {
    const jump = [s.leftValue, s.rightValue].some((v) => !(Math.abs(v - cs.value) <= allowed(cs.value)));
    if (jump) {
      return {
        verdict: 'not-differentiable',
        reason: `${where}: the value jumps (left ${num(s.leftValue)}, here ${num(cs.value)}, right ${num(s.rightValue)})`,
      };
    }
  }
  const magnitude = cs.magnitude[variable] ?? 0;
  // Not the row's rounding bound: that counts the slope jump a kink within rounding could make, which is exactly
  // the question here. Each side is a smooth computation, good to far better than rtol.
  const c = compare('oneSided', 'oneSided', s.left, s.right, magnitude, tol.rtol, tol.atol);
  // Several kinks near the point, not all at it (relu(min(x, y)) at x = 1e-300, y = 1e-9): the one-sided slopes
  // hold each on a branch as if at its kink, and with more than one that need not be the expression beside the
  // point, so sides that agree say nothing about it.
  if (c.ok && near.length > 1 && !near.every((k) => k.argument === 0)) {
    return {
      verdict: 'skipped',
      reason: `${where}, and ${near.length - 1} more kink${near.length > 2 ? 's' : ''} near the point: the one-sided slopes cannot stand in for the derivative`,
    };
  }
  if (c.ok && Number.isFinite(s.left) && Number.isFinite(s.right)) return undefined;
  return {
    verdict: at === undefined ? 'skipped' : 'not-differentiable',
    reason: `${where}: left ${num(s.left)}, right ${num(s.right)}`,
  };
}

/** A number for a reason line: up to 12 significant digits. */
function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(12))) : String(v);
}

/** Why the complex step resolves no step for `variable` beyond what the point's facts already say, if it does not. */
function stepReason(variable: string, cs: ComplexStepDetail): string | undefined {
  const { facts } = cs;
  if (facts.undefinedValue !== undefined || facts.overflow !== undefined) return undefined;
  if (facts.notDifferentiable[variable] !== undefined || facts.underflow[variable] !== undefined)
    return undefined;
  return cs.unresolved[variable];
}

/** What one row is built from. */
interface RowSources {
  readonly symbolic: Readonly<Record<string, number>>;
  readonly graph: ValueGraph;
  readonly cs: ComplexStepDetail;
  readonly fd: FdOutcome | undefined;
  /** The verdict from the point alone, if any. */
  readonly before: Judgement | undefined;
  readonly mathjs: Readonly<Record<string, number>> | undefined;
  /** The one-sided slopes where the partial depends on a kink at or next to the point. */
  readonly sides: Sides | undefined;
  /** A kink the partial depends on is exactly at the point: no central finite difference there. */
  readonly atKink: boolean;
}

/** One variable's numbers from every oracle, their comparisons, and its verdict. */
function rowOf(
  variable: string,
  src: RowSources,
  tol: { readonly rtol: number; readonly atol: number; readonly safety: number },
): GradientRow {
  const magnitude = src.cs.magnitude[variable] ?? 0;
  const rounding = bound(src.cs.rounding[variable] ?? 0);
  const values: Record<Oracle, number | undefined> = {
    symbolic: src.symbolic[variable] ?? NaN,
    autograd: src.graph.inputs[variable]?.grad ?? 0,
    complexStep: src.cs.gradient[variable] ?? 0,
    finiteDifference: undefined,
    mathjs: src.mathjs?.[variable],
    oneSided: src.sides === undefined ? undefined : (src.sides.left + src.sides.right) / 2,
  };
  let fdError: number | undefined;
  let fdSkipped: string | undefined;
  if (src.before !== undefined) {
    fdSkipped = `not run: ${src.before.verdict}`;
  } else if (src.atKink) {
    fdSkipped = 'not run: a kink at the point (the one-sided slopes stand in)';
  } else if (src.fd === undefined) {
    fdSkipped = 'the expression does not use this variable';
  } else if ('skipped' in src.fd) {
    fdSkipped = src.fd.skipped;
  } else {
    values.finiteDifference = src.fd.value;
    fdError = src.fd.error;
  }
  const floor = tol.atol + ROUNDING_SAFETY * rounding;
  // mathjs writes d|u| as u/|u|, with no value at the kink: that is no convention to judge, so it sits this one out.
  if (src.atKink && !Number.isFinite(values.mathjs ?? 0)) values.mathjs = undefined;
  // Likewise its textbook d/dy x^y = x^y·log(x) is 0·-∞ = NaN at x = 0 < y, where the derivative is 0 (the complex
  // step finds it; symbolic and autograd take the limit): a NaN beside a finite complex step is its formula's, so
  // mathjs sits out (the row still shows its NaN).
  if (Number.isNaN(values.mathjs ?? 0) && Number.isFinite(values.complexStep ?? NaN))
    values.mathjs = undefined;
  const comparisons: Comparison[] = [];
  for (const [a, b] of EXACT_PAIRS) {
    const va = values[a];
    const vb = values[b];
    if (va !== undefined && vb !== undefined)
      comparisons.push(compare(a, b, va, vb, magnitude, tol.rtol, floor));
  }
  const oneSided = values.oneSided;
  if (src.before === undefined && oneSided !== undefined) {
    for (const o of ONE_SIDED_CHECKED) {
      const v = values[o];
      // Without the rounding bound's slope jump, as the sides were compared: where they agree, an oracle that
      // took either branch has their slope, and one off by a whole slope took a convention that is no derivative
      // (`relu(x) - relu(-x)` at 0: 0 where the derivative is 1).
      if (v !== undefined)
        comparisons.push(compare(o, 'oneSided', v, oneSided, magnitude, tol.rtol, tol.atol));
    }
  }
  const fdValue = values.finiteDifference;
  if (fdValue !== undefined && fdError !== undefined) {
    for (const ref of FD_REFERENCES) {
      const v = values[ref];
      if (v === undefined) continue;
      comparisons.push(
        compare('finiteDifference', ref, fdValue, v, magnitude, tol.rtol, floor + tol.safety * fdError),
      );
    }
  }
  const judged = src.before ?? judgeComparisons(comparisons, values);
  return {
    variable,
    symbolic: values.symbolic ?? NaN,
    autograd: values.autograd ?? NaN,
    complexStep: values.complexStep ?? NaN,
    finiteDifference: fdValue,
    finiteDifferenceError: fdError,
    finiteDifferenceSkipped: fdSkipped,
    mathjs: src.mathjs?.[variable],
    oneSided: src.sides === undefined ? undefined : { left: src.sides.left, right: src.sides.right },
    magnitude,
    rounding,
    comparisons,
    verdict: judged.verdict,
    reason: judged.reason,
  };
}

/** The oracles compared with the one-sided slope where a partial sits at a kink and has a derivative. */
const ONE_SIDED_CHECKED: readonly Oracle[] = ['symbolic', 'autograd', 'complexStep', 'mathjs'];

/** agree, or disagree naming the comparison furthest outside its tolerance; skipped if no tolerance can be set. */
function judgeComparisons(
  comparisons: readonly Comparison[],
  values: Readonly<Record<Oracle, number | undefined>>,
): Judgement {
  if (comparisons.some((c) => c.tolerance === Infinity)) {
    return { verdict: 'skipped', reason: 'no finite tolerance can be set here' };
  }
  let worst: Comparison | undefined;
  for (const c of comparisons) if (!c.ok && (worst === undefined || badness(c) > badness(worst))) worst = c;
  if (worst === undefined) return { verdict: 'agree', reason: '' };
  return {
    verdict: 'disagree',
    reason:
      worst.reference === 'oneSided'
        ? `${worst.oracle} ${values[worst.oracle]} vs the one-sided slopes ${values.oneSided} at the kink ` +
          `(rel error ${worst.relError.toPrecision(3)})`
        : `${worst.oracle} ${values[worst.oracle]} vs ${worst.reference} ${values[worst.reference]} ` +
          `(rel error ${worst.relError.toPrecision(3)})`,
  };
}

/**
 * The report's verdict: the strongest row's, its reason naming the partial. Among disagreeing rows, the one whose
 * worst comparison is furthest outside its tolerance.
 */
function reportJudgement(rows: readonly GradientRow[]): Judgement {
  const top = strongest(rows);
  if (top === undefined || top.verdict === 'agree') {
    return { verdict: 'agree', reason: 'all oracles agree within tolerance' };
  }
  if (top.verdict === 'undefined') return { verdict: top.verdict, reason: top.reason };
  let row = top;
  if (top.verdict === 'disagree') {
    const worstOf = (r: GradientRow): number =>
      Math.max(0, ...r.comparisons.filter((c) => !c.ok).map(badness));
    for (const r of rows) if (r.verdict === 'disagree' && worstOf(r) > worstOf(row)) row = r;
  }
  return { verdict: row.verdict, reason: `∂/∂${row.variable}: ${row.reason}` };
}
