import { tanh as vtanh, Value } from '@crossgrad/autograd';
import {
  diff,
  diffRules,
  expandTanh,
  explainDiff,
  format,
  parse,
  toTex,
  variables,
  type DiffStep,
  type Expr,
} from '@crossgrad/symbolic';
import { compareGradients, fromValue, toValue, type GradientReport, type Verdict } from '@crossgrad/verify';

/**
 * The lecture's point: b is chosen so that n = 0.8813735870195432 and o = tanh(n) = 1/sqrt(2).
 *
 * @example
 * ```ts
 * expressionModel(SEED_EXPRESSION, SEED_POINT).value; // 0.7071067811865476
 * ```
 */
export const SEED_POINT: Readonly<Record<string, number>> = {
  x1: 2,
  x2: 0,
  w1: -3,
  w2: 1,
  b: 6.8813735870195432,
};

/**
 * The seed neuron as text, as the expression box shows it.
 *
 * @example
 * ```ts
 * variablesOf(SEED_EXPRESSION); // the five leaves
 * ```
 */
export const SEED_EXPRESSION = 'tanh(x1*w1 + x2*w2 + b)';

/** The seed's leaves in the order of the lecture (and of the CLI's table). */
const SEED_LEAVES = ['x1', 'w1', 'x2', 'w2', 'b'] as const;

/** One variable's row: the symbolic derivative beside the numeric ones, and verify's verdict. */
export interface Row {
  readonly variable: string;
  readonly derivative: Expr;
  readonly symbolic: number;
  readonly autograd: number;
  readonly finiteDifference: number | undefined;
  readonly verdict: Verdict;
  readonly reason: string;
}

/** What the page shows for one expression at one point. */
export interface Model {
  /** The output's name: `o` for the seed neuron, `f` for an expression of your own. */
  readonly output: string;
  readonly expr: Expr;
  /** The expression with tanh written out, and the names it uses (the seed's `n`). */
  readonly expanded: string;
  readonly value: number;
  readonly rows: readonly Row[];
  readonly verdict: Verdict;
  readonly reason: string;
  /** The autograd graph, built fresh at the point, before `backward()`. */
  readonly graph: () => Value;
  readonly tex: (variable: string) => string;
  readonly steps: (variable: string) => DiffStep;
}

function rowsOf(report: GradientReport, expr: Expr): Row[] {
  return report.rows.map((r) => ({
    variable: r.variable,
    derivative: diff(expr, r.variable),
    symbolic: r.symbolic,
    autograd: r.autograd,
    finiteDifference: r.finiteDifference,
    verdict: r.verdict,
    reason: r.reason,
  }));
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
 * seedModel().rows.map((r) => r.autograd); // [0.5, -1.5, 1, 0.5, 0, 0.5] (n, x1, w1, x2, w2, b)
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
  const reports = [nCheck, leafCheck];
  const worst = reports.find((r) => r.verdict !== 'agree');
  return {
    output: 'o',
    expr,
    expanded: `o = ${format(expandTanh(oOfN))}, n = ${format(nExpr)}`,
    value: o.data,
    rows: [...rowsOf(nCheck, oOfN), ...rowsOf(leafCheck, expr)],
    verdict: worst?.verdict ?? 'agree',
    reason: worst?.reason ?? '',
    graph: () => buildSeedGraph().o,
    tex: (v) => (v === 'n' ? toTex(diff(oOfN, 'n')) : toTex(diff(expr, v))),
    steps: (v) => (v === 'n' ? explainDiff(oOfN, 'n') : explainDiff(expr, v)),
  };
}

/**
 * The variables of an expression's source.
 *
 * @throws the parser's errors (ParseError and its kinds)
 * @example
 * ```ts
 * variablesOf('x * y + x'); // ['x', 'y']
 * ```
 */
export function variablesOf(source: string): readonly string[] {
  return variables(parse(source));
}

/**
 * Your own expression at a point, judged exactly as the CLI's `--expr`: `compareGradients` with the default rule
 * table and without mathjs.
 *
 * @throws ParseError (and its kinds) from the parser
 *
 * @example
 * ```ts
 * expressionModel('x^2 * y', { x: 3, y: 2 }).rows.map((r) => r.symbolic); // [12, 9]
 * ```
 */
export function expressionModel(source: string, point: Readonly<Record<string, number>>): Model {
  const expr = parse(source);
  const report = compareGradients(expr, point, { mathjs: false, rules: diffRules });
  return {
    output: 'f',
    expr,
    expanded: `f = ${format(expandTanh(expr))}`,
    value: report.value,
    rows: rowsOf(report, expr),
    verdict: report.verdict,
    reason: report.reason,
    graph: () => {
      const { output } = toValue(expr, point);
      if (output.label === '') output.label = 'f';
      return output;
    },
    tex: (v) => toTex(diff(expr, v)),
    steps: (v) => explainDiff(expr, v),
  };
}
