import { add, diff, evaluate, explainDiff, format, mul, sym, tanh, type Expr } from '@crossgrad/symbolic';
import { compareGradients, fromValue, type GradientReport } from '@crossgrad/verify';

import { matchesExact } from './agreement.js';
import type { CheckReport, Derivation, GradientRow } from './report.js';
import { buildSeedNeuron, SEED_EXPRESSION, SEED_LEAVES, SEED_POINT } from './seed-neuron.js';
import { agreementSummary, worst, type Judgement } from './verdict.js';

/**
 * The default run: the seed's neuron built from `Value`s and `backward()`, then the same graph read back as a
 * symbolic expression (verify's `fromValue`) and differentiated by @crossgrad/symbolic.
 *
 * The n row differentiates o as a function of n (n kept as a named interior variable). The leaf rows chain it:
 * do/dv = dn/dv · do/dn, both factors from symbolic, which prints `w1*(...)` rather than the same derivative with
 * n written out twice. Each row's numbers are the seed graph's own grad and the chained derivative evaluated;
 * verify's `compareGradients` on the same expression (complex step and finite differences included) judges them,
 * and its verdicts are the rows' and the report's.
 *
 * @example
 * ```ts
 * const report = seedReport();
 * report.rows[1]; // { variable: 'x1', symbolic: -1.5, autograd: -1.5, ... }
 * ```
 */
export function seedReport(): CheckReport {
  const neuron = buildSeedNeuron();
  neuron.o.backward();

  const oOfN = fromValue(neuron.o, { variables: ['n'] });
  const nExpr = fromValue(neuron.n);
  const nValue = evaluate(nExpr, SEED_POINT);
  const dodn = diff(oOfN, 'n');
  const nCheck = compareGradients(oOfN, { n: nValue }, { mathjs: false });
  const leafCheck = compareGradients(fromValue(neuron.o), SEED_POINT, {
    mathjs: false,
    variables: SEED_LEAVES,
  });

  // Read do/dn with exp(2 * n) named once; the leaf rows then read `w1 * do/dn`.
  const dodnLines = format(dodn, { cse: true }).split('\n');
  const temporaries = dodnLines.slice(0, -1);
  const rows = [
    seedRow('n', dodn, dodnLines.at(-1), { n: nValue }, neuron.n.grad, nCheck, () => [
      { variable: 'n', step: explainDiff(oOfN, 'n') },
    ]),
    ...SEED_LEAVES.map((v) => {
      const dndv = diff(nExpr, v);
      return seedRow(
        v,
        mul(dndv, dodn),
        chained(dndv),
        { ...SEED_POINT, n: nValue },
        neuron.leaves[v].grad,
        leafCheck,
        () => [
          {
            variable: v,
            heading: `chain rule: do/d${v} = dn/d${v} * do/dn, do/dn as in the n row, and dn/d${v}:`,
            step: explainDiff(nExpr, v),
          },
        ],
      );
    }),
  ];
  const legend = [
    ...(temporaries.length > 0 ? [`where ${temporaries.join(', ')}`] : []),
    'do/dn is the n row: o depends on the leaves through n, so do/dv = dn/dv * do/dn (chain rule)',
  ];
  const judgement = worst([nCheck, leafCheck, ...rows]);
  return {
    output: 'o',
    expression: SEED_EXPRESSION,
    expressionExpr: seedExpression(),
    expanded: oOfN,
    definitions: [{ name: 'n', expr: nExpr }],
    point: SEED_POINT,
    value: neuron.o.data,
    rows,
    verdict: judgement.verdict,
    reason: judgement.verdict === 'agree' ? agreementSummary(rows) : judgement.reason,
    legend,
    graph: () => neuron.o,
  };
}

/** dn/dv · do/dn as the table shows it: `w1 * do/dn`, or `do/dn` alone when dn/dv is 1. */
function chained(dndv: Expr): string {
  if (dndv.kind === 'num' && dndv.value === 1) return 'do/dn';
  const factor = format(dndv);
  return dndv.kind === 'add' ? `(${factor}) * do/dn` : `${factor} * do/dn`;
}

function seedRow(
  variable: string,
  derivative: Expr,
  display: string | undefined,
  scope: Readonly<Record<string, number>>,
  autograd: number,
  check: GradientReport,
  derivations: () => readonly Derivation[],
): GradientRow {
  const verified = check.rows.find((r) => r.variable === variable);
  if (verified === undefined) throw new Error(`compareGradients has no row for ${variable}`);
  const symbolic = evaluate(derivative, scope);
  return {
    variable,
    derivative,
    ...(display === undefined ? {} : { display }),
    symbolic,
    autograd,
    finiteDifference: verified.finiteDifference,
    ...seedJudgement(verified, symbolic, autograd),
    derivations,
  };
}

/**
 * verify's verdict on the row, except that where it finds agreement the two numbers the table shows, which verify
 * did not compute (the seed graph's own grad, the chained symbolic derivative), must also match its complex step.
 */
function seedJudgement(
  verified: GradientReport['rows'][number],
  symbolic: number,
  autograd: number,
): Judgement {
  if (verified.verdict !== 'agree') return { verdict: verified.verdict, reason: verified.reason };
  const at = `∂/∂${verified.variable}`;
  if (!matchesExact(autograd, verified)) {
    return {
      verdict: 'disagree',
      reason: `${at}: the seed graph's grad ${autograd} vs complexStep ${verified.complexStep}`,
    };
  }
  if (!matchesExact(symbolic, verified)) {
    return {
      verdict: 'disagree',
      reason: `${at}: the chained symbolic derivative ${symbolic} vs complexStep ${verified.complexStep}`,
    };
  }
  return { verdict: 'agree', reason: '' };
}

/** tanh(x1*w1 + x2*w2 + b) built directly, so the default run never needs the parser. */
function seedExpression(): Expr {
  return tanh(add(mul(sym('x1'), sym('w1')), mul(sym('x2'), sym('w2')), sym('b')));
}
