import { tanh as vtanh, Value } from '@crossgrad/autograd';
import {
  diff,
  diffRules,
  expandTanh,
  explainDiff,
  parse,
  type DiffStep,
  type Expr,
} from '@crossgrad/symbolic';
import { compareGradients, fromValue } from '@crossgrad/verify';

import { exprReport, pointVariables } from '../../src/check/expr-report.js';
import { agreementSummary } from '../../src/check/verdict.js';
import { truncate } from '../../src/format/numbers.js';
import { fullText, oneLine, texText } from '../../src/format/readable.js';
import { expandedText, wasExpanded } from '../../src/format/report-text.js';
import type { ModelView, RowView, StepView } from './check-protocol.js';
import { SEED_POINT } from './seed.js';

/** The seed's leaves in the order of the lecture (and of the CLI's table). */
const SEED_LEAVES = ['x1', 'w1', 'x2', 'w2', 'b'] as const;

/** The expanded line is cut here (the page shows one line; its tooltip holds the rest, up to EXPANDED_FULL). */
const EXPANDED_LINE = 400;
const EXPANDED_FULL = 20_000;

/**
 * Past this many characters of TeX the derivative is not typeset.
 *
 * @example
 * ```ts
 * if (tex.length > MAX_TEX) note('too long to typeset');
 * ```
 */
export const MAX_TEX = 4000;

/**
 * Past this many steps a derivation is cut.
 *
 * @example
 * ```ts
 * stepView(explainDiff(expr, 'x'), 'x', MAX_STEPS_SHOWN).cut; // true for a derivation of more steps
 * ```
 */
export const MAX_STEPS_SHOWN = 300;

/**
 * What the page shows for one expression at one point, with what it computes on demand.
 *
 * @example
 * ```ts
 * const model: Model = expressionModel('x^2', { x: 3 });
 * model.view.rows[0]?.symbolic; // 6
 * ```
 */
export interface Model {
  /** The table, the value and the expansion, printed. */
  readonly view: ModelView;
  /** The autograd graph, built fresh at the point. */
  readonly graph: () => Value;
  /** d(output)/d(variable) as TeX, or a `\text{}` note of its size when too large. */
  readonly tex: (variable: string) => string;
  readonly steps: (variable: string) => DiffStep;
}

/** Values for new variables: distinct, so that `x - y` or `relu(x - y)` does not start at a kink. */
const STARTING_VALUES = [0.5, 1.5, -0.8, 2, 0.3, -1.2, 0.9, 2.5];

/**
 * The point for an expression's variables: the number typed for each name, else a starting value by position.
 *
 * @example
 * ```ts
 * pointFor(['x', 'y'], { y: 3 }); // { x: 0.5, y: 3 }
 * ```
 */
export function pointFor(
  names: readonly string[],
  typed: Readonly<Record<string, number>>,
): Record<string, number> {
  return Object.fromEntries(
    names.map((name, i) => [name, typed[name] ?? STARTING_VALUES[i % STARTING_VALUES.length]!]),
  );
}

function rowView(r: RowView): RowView {
  return {
    variable: r.variable,
    symbolic: r.symbolic,
    autograd: r.autograd,
    finiteDifference: r.finiteDifference,
    verdict: r.verdict,
    reason: r.reason,
  };
}

/** An expansion on one line, cut to fit (the CLI's `oneLine`), and whole for the tooltip (the CLI's `fullText`). */
function expandedViews(print: (show: (e: Expr) => string) => string): { line: string; full: string } {
  return {
    line: print((e) => oneLine(e, EXPANDED_LINE, '…')),
    full: truncate(print(fullText), EXPANDED_FULL, '…'),
  };
}

/**
 * The seed neuron node by node, as the lecture builds it: `o = tanh(n)`, `n = x1*w1 + x2*w2 + b`.
 *
 * @example
 * ```ts
 * const { o } = buildSeedGraph();
 * o.data; // 0.7071067811865476
 * ```
 */
export function buildSeedGraph(point: Readonly<Record<string, number>> = SEED_POINT): {
  o: Value;
  n: Value;
} {
  const leaf = (name: string) => new Value(point[name]!, name);
  const [x1, w1, x2, w2, b] = SEED_LEAVES.map(leaf) as [Value, Value, Value, Value, Value];
  const x1w1 = x1.mul(w1);
  x1w1.label = 'x1*w1';
  const x2w2 = x2.mul(w2);
  x2w2.label = 'x2*w2';
  const sum = x1w1.add(x2w2);
  sum.label = 'x1*w1 + x2*w2';
  const n = sum.add(b);
  n.label = 'n';
  const o = vtanh(n);
  o.label = 'o';
  return { o, n };
}

/**
 * The seed neuron: the graph built from `Value`s, read back as an expression by verify's `fromValue`, and judged
 * by `compareGradients` (no mathjs, as the CLI): the n row with n kept as a variable, then the leaves.
 *
 * @example
 * ```ts
 * seedModel().view.rows.map((r) => r.autograd); // [0.5, -1.5, 1, 0.5, 0, 0.5] (n, x1, w1, x2, w2, b)
 * ```
 */
export function seedModel(): Model {
  const { o, n } = buildSeedGraph();
  const expr = fromValue(o);
  const oOfN = fromValue(o, { variables: ['n'] });
  const nExpr = fromValue(n);
  const nCheck = compareGradients(oOfN, { n: n.data }, { mathjs: false, rules: diffRules });
  const leafCheck = compareGradients(expr, SEED_POINT, {
    mathjs: false,
    rules: diffRules,
    variables: SEED_LEAVES,
  });
  const worst = [nCheck, leafCheck].find((r) => r.verdict !== 'agree');
  const rows = [...nCheck.rows, ...leafCheck.rows].map(rowView);
  const expanded = expandedViews((show) => `o = ${show(expandTanh(oOfN))} with n = ${show(nExpr)}`);
  return {
    view: {
      output: 'o',
      value: o.data,
      expanded: expanded.line,
      expandedFull: expanded.full,
      rows,
      verdict: worst?.verdict ?? 'agree',
      reason: worst?.reason ?? agreementSummary(rows),
    },
    graph: () => buildSeedGraph().o,
    tex: (v) => (v === 'n' ? texText(diff(oOfN, 'n')) : texText(diff(expr, v))),
    steps: (v) => (v === 'n' ? explainDiff(oOfN, 'n') : explainDiff(expr, v)),
  };
}

/**
 * The variables of an expression's source, as the CLI's `--at` asks for them: every variable written, also one the
 * builders simplify away (`y` in `x/(y - y)`, whose row then shows derivative 0).
 *
 * @throws the parser's errors (ParseError and its kinds)
 * @example
 * ```ts
 * variablesOf('x * y + x'); // ['x', 'y']
 * variablesOf('x/(y - y)'); // ['x', 'y']
 * ```
 */
export function variablesOf(source: string): readonly string[] {
  return pointVariables(source, parse(source));
}

/**
 * Your own expression at a point, judged by the CLI's own `--expr` report (`compareGradients` with the default
 * rule table and without mathjs), printed as the CLI prints it: the expansion only when it differs from the
 * expression, cut or noted by size when large.
 *
 * @throws ParseError (and its kinds) from the parser
 *
 * @example
 * ```ts
 * expressionModel('x^2 * y', { x: 3, y: 2 }).view.rows.map((r) => r.symbolic); // [12, 9]
 * ```
 */
export function expressionModel(source: string, point: Readonly<Record<string, number>>): Model {
  const report = exprReport(source, point);
  const expr = report.expressionExpr;
  const expanded = wasExpanded(report)
    ? expandedViews((show) => `f = ${expandedText(report, show)}`)
    : undefined;
  return {
    view: {
      output: 'f',
      value: report.value,
      expanded: expanded?.line,
      expandedFull: expanded?.full,
      rows: report.rows.map(rowView),
      verdict: report.verdict,
      reason: report.reason,
    },
    graph: () => report.graph(),
    tex: (v) => texText(diff(expr, v)),
    steps: (v) => explainDiff(expr, v),
  };
}

/**
 * A derivation as lines of text, depth first as the page lists it, cut after `limit` steps; each formula on one
 * line of at most 90 characters (the CLI's `oneLine`). Iterative, so any depth works.
 *
 * @example
 * ```ts
 * stepView(explainDiff(parse('x^2'), 'x'), 'x').tree.text; // 'power rule: d/dx x^2 = 2 * x'
 * ```
 */
export function stepView(
  root: DiffStep,
  variable: string,
  limit = MAX_STEPS_SHOWN,
): { tree: StepView; cut: boolean } {
  type Building = { text: string; children: Building[] };
  const top: Building[] = [];
  let shown = 0;
  const stack: { step: DiffStep; into: Building[] }[] = [{ step: root, into: top }];
  while (stack.length > 0 && shown < limit) {
    const { step, into } = stack.pop()!;
    shown++;
    const node: Building = {
      text: `${step.rule}: d/d${variable} ${oneLine(step.expr, 90, '…')} = ${oneLine(step.derivative, 90, '…')}`,
      children: [],
    };
    into.push(node);
    for (let i = step.children.length - 1; i >= 0; i--)
      stack.push({ step: step.children[i]!, into: node.children });
  }
  return { tree: top[0]!, cut: stack.length > 0 };
}
