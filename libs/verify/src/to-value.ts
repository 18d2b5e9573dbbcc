import { Value } from '@crossgrad/autograd';
import type { Expr } from '@crossgrad/symbolic';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { pointValues, tapeOf } from './tape.js';

/**
 * A `Value` graph built from an expression: the output node and one leaf per variable.
 *
 * @example
 * ```ts
 * const { output, inputs }: ValueGraph = toValue(parse('x * y'), { x: 2, y: 3 });
 * output.backward();
 * inputs.y.grad; // 2
 * ```
 */
export interface ValueGraph {
  /** The node holding the expression's value; call `output.backward()` for the gradient. */
  readonly output: Value;
  /**
   * One leaf per variable, labelled with the variable's name: every variable of the expression, and every other
   * variable the point names (one that simplification removed, as `x` from `(x/x)^2 + w`), whose `grad` after
   * `backward()` is then 0.
   */
  readonly inputs: Record<string, Value>;
}

/**
 * Builds `expr` as a @crossgrad/autograd `Value` graph at `point`. Each variable becomes one leaf labelled by its name
 * (shared by every use), each number a constant leaf, and each `Expr` node one `Value` node, so a subexpression
 * shared in the DAG is shared in the graph too. n-ary sums and products become chains of binary `+` and `*`; a
 * numeric exponent becomes a `**k` node. Iterative, so any depth works.
 *
 * Each function becomes the node its {@link FUNCTIONS} entry says. The helper functions `step` and `sign` (the
 * derivatives of relu and abs, which autograd lacks) become constant leaves: their derivative is 0 everywhere they
 * are defined.
 *
 * Every variable the point names gets a leaf, also one the expression does not use (the builders simplify
 * `(x/x)^2 + w` to `w + 1`): its derivative is 0, so reading `inputs.x.grad` never fails for a variable you gave.
 *
 * @throws MissingVariableError when `point` lacks a variable of `expr` or gives a non-finite value (for any
 * variable it names).
 * @example
 * ```ts
 * const { output, inputs } = toValue(parse('tanh(x*w + b)'), { x: 2, w: -3, b: 6.8813735870195432 });
 * output.backward();
 * inputs.x.grad; // -1.5
 * const g = toValue(parse('(x/x)^2 + w'), { x: 0.8, w: 1 });
 * g.output.backward();
 * g.inputs.x.grad; // 0
 * ```
 */
export function toValue(expr: Expr, point: Readonly<Record<string, number>>): ValueGraph {
  const tape = tapeOf(expr);
  const x = pointValues(tape, point);
  const inputs: Record<string, Value> = {};
  tape.variables.forEach((name, i) => {
    inputs[name] = new Value(x[i], name);
  });
  // The point's other variables: leaves nothing uses, derivative 0 (checked as the expression's own are).
  const rest = Object.keys(point).filter((name) => !Object.hasOwn(inputs, name));
  const values = pointValues({ nodes: [], operands: [], variables: rest }, point);
  rest.forEach((name, i) => {
    inputs[name] = new Value(values[i], name);
  });
  const built: Value[] = [];
  tape.nodes.forEach((e, i) => {
    const ops = tape.operands[i].map((k) => built[k]);
    built.push(node(e, ops, inputs));
  });
  return { output: built[built.length - 1], inputs };
}

/** One `Value` node for one `Expr` node whose operands are built already. */
function node(e: Expr, ops: readonly Value[], inputs: Readonly<Record<string, Value>>): Value {
  switch (e.kind) {
    case 'num':
      return new Value(e.value);
    case 'sym':
      return inputs[e.name];
    case 'add':
      return ops.slice(1).reduce((acc, v) => acc.add(v), ops[0]);
    case 'mul':
      return ops.slice(1).reduce((acc, v) => acc.mul(v), ops[0]);
    case 'pow':
      return e.exponent.kind === 'num' ? ops[0].pow(e.exponent.value) : ops[0].pow(ops[1]);
    case 'call':
      return FUNCTIONS[e.fn].value(ops[0]);
    case 'call2':
      return FUNCTIONS2[e.fn].value(ops[0], ops[1]);
  }
}
