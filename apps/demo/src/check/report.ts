import type { Value } from '@crossgrad/autograd';
import type { DiffStep, Expr } from '@crossgrad/symbolic';
import type { Verdict } from '@crossgrad/verify';

/** How one derivative was derived: symbolic's step tree, with a heading when the CLI chained it itself. */
export interface Derivation {
  readonly variable: string;
  readonly step: DiffStep;
  readonly heading?: string;
}

/** One variable's row: the symbolic derivative beside the numeric gradients, and the verdict on them. */
export interface GradientRow {
  readonly variable: string;
  /** The symbolic derivative d(output)/d(variable), computed by @crossgrad/symbolic. */
  readonly derivative: Expr;
  /** How the table shows the derivative when not as `format(derivative)`, e.g. `w1 * do/dn` (see the legend). */
  readonly display?: string;
  /** The symbolic derivative evaluated at the point. */
  readonly symbolic: number;
  /** The grad of the variable's `Value` after `backward()`. */
  readonly autograd: number;
  /** undefined where verify does not run finite differences (a non-finite value, next to a relu/abs kink). */
  readonly finiteDifference: number | undefined;
  /**
   * verify's verdict on this derivative: `agree`, `disagree`, `undefined` (the value is not a real number here),
   * `not-differentiable` (a kink, an infinite or one-sided slope) or `skipped` (no judgement possible).
   */
  readonly verdict: Verdict;
  /** One line saying why, empty for `agree`. */
  readonly reason: string;
  /** The derivation for `--steps`, built on demand. */
  readonly derivations: () => readonly Derivation[];
}

/** A name the formulas use for an interior node, e.g. the seed's `n = x1*w1 + x2*w2 + b`. */
export interface Definition {
  readonly name: string;
  readonly expr: Expr;
}

/** Everything one run found: printed as a table, as JSON or as LaTeX. */
export interface CheckReport {
  /** The name of the output (`o` for the seed's neuron, `f` for `--expr`). */
  readonly output: string;
  /** The expression as given. */
  readonly expression: string;
  readonly expressionExpr: Expr;
  /** The expression with tanh expanded into exponentials, in terms of the variables and the definitions. */
  readonly expanded: Expr;
  readonly definitions: readonly Definition[];
  readonly point: Readonly<Record<string, number>>;
  readonly value: number;
  readonly rows: readonly GradientRow[];
  /** The verdict on the whole report, by verify's precedence: undefined, disagree, not-differentiable, skipped, agree. */
  readonly verdict: Verdict;
  /** One line saying why; for `agree`, what agreed. */
  readonly reason: string;
  /** Lines under the table that explain the names the displayed formulas use. */
  readonly legend: readonly string[];
  /** The `Value` graph after `backward()`, for `--dot` and `--svg`. */
  readonly graph: () => Value;
}
