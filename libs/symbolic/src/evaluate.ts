import { checkExpr, describe } from './check.js';
import { SymbolicError, UnknownVariableError } from './errors.js';
import { type Expr } from './expr.js';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { powScalar } from './scalar.js';
import { indexDag } from './walk.js';

/** An expression flattened for evaluation: nodes children-first, each operand named by its position. */
interface Program {
  readonly nodes: readonly Expr[];
  /** Operand positions of node i are operands[start[i] .. start[i + 1]). */
  readonly start: Int32Array;
  readonly operands: Int32Array;
}

// Evaluating one expression at many points is the common case (plots, checks at random points): flatten once.
const programs = new WeakMap<Expr, Program>();

function programOf(root: Expr): Program {
  const cached = programs.get(root);
  if (cached !== undefined) return cached;
  const { nodes, start, operands } = indexDag(root);
  const program = { nodes, start, operands };
  programs.set(root, program);
  return program;
}

/** The value of variable `name` in `scope`, or the error that names what is missing or wrong. */
function lookup(scope: Readonly<Record<string, number>>, name: string): number {
  if (!Object.prototype.hasOwnProperty.call(scope, name)) {
    const given = Object.keys(scope);
    const list = given.length === 0 ? 'the scope is empty' : `the scope has ${given.slice(0, 10).join(', ')}`;
    throw new UnknownVariableError(name, `no value for the variable '${name}' (${list})`);
  }
  const v = scope[name];
  if (typeof v !== 'number') {
    throw new SymbolicError(`the value of '${name}' must be a number, got ${describe(v)}`);
  }
  return v;
}

/**
 * The value of `e` with the variables set from `scope`, each DAG node computed once. IEEE arithmetic: `1/0` is
 * Infinity, `log(-1)` and `sqrt(-1)` are NaN.
 *
 * @example
 * ```ts
 * evaluate(parse('tanh(x1*w1 + x2*w2 + b)'), { x1: 2, x2: 0, w1: -3, w2: 1, b: 6.8813735870195432 }); // 0.7071067811865477
 * ```
 */
export function evaluate(e: Expr, scope: Readonly<Record<string, number>>): number {
  const root = checkExpr(e, 'evaluate');
  if (typeof scope !== 'object' || scope === null) {
    throw new SymbolicError(
      `evaluate: the scope must be an object of variable values, got ${describe(scope)}`,
    );
  }
  const { nodes, start, operands } = programOf(root);
  const values = new Float64Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const from = start[i];
    const to = start[i + 1];
    let v: number;
    switch (node.kind) {
      case 'num':
        v = node.value;
        break;
      case 'sym':
        v = lookup(scope, node.name);
        break;
      case 'add':
        v = values[operands[from]];
        for (let k = from + 1; k < to; k++) v += values[operands[k]];
        break;
      case 'mul':
        v = values[operands[from]];
        for (let k = from + 1; k < to; k++) v *= values[operands[k]];
        break;
      case 'pow':
        v = powScalar(values[operands[from]], values[operands[from + 1]]);
        break;
      case 'call':
        v = FUNCTIONS[node.fn].evaluate(values[operands[from]]);
        break;
      case 'call2':
        v = FUNCTIONS2[node.fn].evaluate(values[operands[from]], values[operands[from + 1]]);
        break;
    }
    values[i] = v;
  }
  return values[nodes.length - 1];
}
