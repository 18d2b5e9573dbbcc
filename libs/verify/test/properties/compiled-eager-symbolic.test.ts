import fc from 'fast-check';
import { describe, expect, test as plainTest } from 'vitest';
import { test } from '@fast-check/vitest';
import { compileGraph, FUNCTIONS2, type Value } from '@crossgrad/autograd';
import { compileGradient, format } from '@crossgrad/symbolic';
import { fromValue } from '@crossgrad/verify';
import { counterexampleOf } from '../support/checks.js';
import {
  buildGraph,
  describeGraph,
  GRAPH_VARIABLES,
  type GraphStep,
  graphSteps,
  liveSteps,
  LOCAL_RULES,
  type LocalRules,
  ruleTapeGradient,
} from '../support/graphs.js';
import { closeAsDerivatives, judgedReport, points } from '../support/oracles.js';

/** The graph ops that are two-argument functions (atan2, min, max), which compileGraph's generator leaves alone. */
const TWO_ARGUMENT: ReadonlySet<string> = new Set(Object.keys(FUNCTIONS2));

/** A tape: the gradient of `output` in `inputs`, from a recording of the graph. */
type TapeGradient = (output: Value, inputs: readonly Value[]) => ArrayLike<number>;

const compiled: TapeGradient = (output, inputs) =>
  compileGraph(output, inputs).run(inputs.map((x) => x.data)).gradient;

/**
 * The property's body: on the graph of `steps` at `p`, the tape's gradient, eager `backward()` and the symbolic
 * compiled gradient (`fromValue` + `compileGradient`) agree to 1e-9 relative of the derivative's magnitude (the
 * oracles' tolerance). Points whose verdict is not agree/disagree (kinks, non-finite values) are discarded.
 */
function gradientsAgree(
  steps: readonly GraphStep[],
  p: Readonly<Record<string, number>>,
  tape: TapeGradient,
): void {
  const { output, leaves } = buildGraph(steps, p);
  const expr = fromValue(output);
  const report = judgedReport(expr, p, { variables: GRAPH_VARIABLES });
  const fromTape = tape(output, leaves);
  output.backward();
  const symbolic = compileGradient(expr, GRAPH_VARIABLES)(...leaves.map((x) => x.data));
  const bad: string[] = [];
  report.rows.forEach((row, k) => {
    const eager = leaves[k].grad;
    if (!closeAsDerivatives(fromTape[k], eager, row))
      bad.push(`∂/∂${row.variable}: tape ${fromTape[k]}, eager ${eager}`);
    if (!closeAsDerivatives(symbolic.gradient[k], eager, row))
      bad.push(`∂/∂${row.variable}: symbolic compiled ${symbolic.gradient[k]}, eager ${eager}`);
  });
  if (bad.length > 0) throw new Error(`${describeGraph(steps)}\nf = ${format(expr)}\n${bad.join('\n')}`);
}

describe('8. compiled, eager and symbolic-compiled gradients agree on random graphs', () => {
  test.prop([graphSteps(), points])('compileGraph = eager = fromValue + compileGradient', (steps, p) => {
    gradientsAgree(steps, p, compiled);
  });

  // Both of compileGraph's paths, forced: the interpreter and the code it generates (WebAssembly).
  for (const mode of ['tape', 'codegen'] as const) {
    test.prop([graphSteps(), points])(
      `compileGraph (mode '${mode}') is bit-identical to eager backward, value and gradient`,
      (steps, p) => {
        const { output, leaves } = buildGraph(steps, p);
        const tape = compileGraph(output, leaves, { mode });
        // The generator has no form for two-argument functions: a graph that uses one stays on the interpreter.
        const twoArgument = [...liveSteps(steps)].some((i) => TWO_ARGUMENT.has(steps[i].op));
        expect(tape.mode).toBe(twoArgument ? 'tape' : mode);
        const { value, gradient } = tape.run(leaves.map((x) => x.data));
        output.backward();
        expect(
          Object.is(value, output.data),
          `${describeGraph(steps)}: value ${value} vs ${output.data}`,
        ).toBe(true);
        leaves.forEach((x, k) => {
          expect(
            Object.is(gradient[k], x.grad),
            `${describeGraph(steps)}: ∂/∂${x.label} ${gradient[k]} vs ${x.grad}`,
          ).toBe(true);
        });
      },
    );
  }

  test.prop([graphSteps(), points])('a tape with the textbook local derivatives agrees too', (steps, p) => {
    gradientsAgree(steps, p, (output, inputs) => ruleTapeGradient(output, inputs, LOCAL_RULES));
  });
});

/** The textbook rules with one local derivative wrong. */
/** Each with the graph ops whose nodes use the broken rule. */
const mutants: readonly (readonly [string, LocalRules, readonly string[]])[] = [
  ["sin' = -cos", { ...LOCAL_RULES, sin: ([a]) => [-Math.cos(a)] }, ['sin', 'tan', 'asin', 'acos', 'atanh']],
  ["softplus' = sigmoid(-x)", { ...LOCAL_RULES, softplus: ([a]) => [1 / (1 + Math.exp(a))] }, ['softplus']],
  [
    'd(a·b)/db = b',
    { ...LOCAL_RULES, '*': ([, b]) => [b, b] },
    ['mul', 'div', 'log', 'sqrt', 'pow', 'asin', 'acos', 'atanh', 'acosh', 'atan2'],
  ],
];

describe('8b. the property can fail: a tape with a wrong local derivative is caught and shrunk', () => {
  for (const [name, rules, ops] of mutants) {
    // Fixed seeds keep this deterministic.
    plainTest.each([1, 2, 3])(`${name} (seed %i)`, (seed) => {
      const mutant: TapeGradient = (output, inputs) => ruleTapeGradient(output, inputs, rules);
      const result = fc.check(
        fc.property(graphSteps(), points, (steps, p) => gradientsAgree(steps, p, mutant)),
        { numRuns: 1000, seed },
      );
      expect(result.failed, 'no counterexample found').toBe(true);
      const [steps, p] = counterexampleOf(result);
      const shown = `${describeGraph(steps)} (seed ${result.seed}, path ${result.counterexamplePath})`;
      // Shrunk to an op that uses the wrong rule, with at most a step or two around it.
      const live = [...liveSteps(steps)].map((i) => steps[i]);
      expect(live.length, shown).toBeLessThanOrEqual(3);
      expect(
        live.some((s) => ops.includes(s.op)),
        shown,
      ).toBe(true);
      // The same graph passes with the right rules: the failure is the wrong derivative, nothing else.
      expect(() => gradientsAgree(steps, p, (o, i) => ruleTapeGradient(o, i, LOCAL_RULES))).not.toThrow();
    });
  }
});
