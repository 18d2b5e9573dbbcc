import { Value } from '@crossgrad/autograd';
import {
  abs,
  add,
  cos,
  exp,
  type Expr,
  log,
  mul,
  num,
  pow,
  relu,
  sigmoid,
  sin,
  sqrt,
  sym,
  tanh,
} from '@crossgrad/symbolic';
import { InvalidInputError, UnsupportedFunctionError } from './errors.js';
import { checkVariableList } from './tape.js';

/**
 * Options of {@link fromValue} and {@link pointFromValue}.
 *
 * @example
 * ```ts
 * fromValue(o, { variables: ['n'] }); // tanh(n) for the seed's neuron
 * ```
 */
export interface FromValueOptions {
  /**
   * The labels that become variables. A listed interior node (such as `n` in `tanh(n)`) becomes a variable too, and
   * the graph below it is not entered. Default: the label of every labelled leaf. Leaves that do not become
   * variables become constants holding their `data`.
   */
  readonly variables?: readonly string[];
}

const UNARY: Readonly<Record<string, (u: Expr) => Expr>> = {
  exp,
  log,
  sqrt,
  sin,
  cos,
  tanh,
  sigmoid,
  ReLU: relu,
  abs,
};

/**
 * Turns a @crossgrad/autograd `Value` graph into a @crossgrad/symbolic `Expr`, so the graph's gradients can be
 * checked against symbolic derivatives. Variables are labelled leaves (or the labels in `opts.variables`), other
 * leaves constants. Ops map one to one: `+ * **k ** exp log sqrt sin cos tanh sigmoid ReLU abs`. Each graph node is
 * converted once, so shared nodes stay shared; iterative, so a deep graph is fine.
 *
 * @throws InvalidInputError when two different nodes would become the same variable, when a listed variable labels
 *   no node reached, or when `root` is not a `Value`; UnsupportedFunctionError for an unknown op.
 * @example
 * ```ts
 * const x = new Value(-4, 'x');
 * const y = x.mul(2).add(2).relu();
 * format(fromValue(y)); // 'relu(2 + 2*x)' (the exact text is symbolic's)
 * const n = new Value(2, 'x1').mul(new Value(-3, 'w1')).add(new Value(6.88, 'b'));
 * n.label = 'n';
 * format(fromValue(n.tanh(), { variables: ['n'] })); // 'tanh(n)'
 * ```
 */
export function fromValue(root: Value, opts: FromValueOptions = {}): Expr {
  return convert(root, opts).expr;
}

/**
 * The values of the variables {@link fromValue} finds in a graph (the `data` of each variable node), so that
 * `evaluate(fromValue(root), pointFromValue(root))` gives `root.data`.
 *
 * @example
 * ```ts
 * const x = new Value(-4, 'x');
 * pointFromValue(x.mul(x)); // { x: -4 }
 * ```
 */
export function pointFromValue(root: Value, opts: FromValueOptions = {}): Record<string, number> {
  return convert(root, opts).point;
}

function convert(root: Value, opts: FromValueOptions): { expr: Expr; point: Record<string, number> } {
  if (!(root instanceof Value))
    throw new InvalidInputError('fromValue expects a Value from @crossgrad/autograd');
  const listed = opts.variables === undefined ? undefined : new Set(opts.variables);
  if (opts.variables !== undefined) checkVariableList(opts.variables);
  const isVariable = (v: Value): boolean =>
    listed === undefined ? v.children.length === 0 && v.label !== '' : listed.has(v.label);
  const done = new Map<Value, Expr>();
  const owner = new Map<string, Value>();
  const point: Record<string, number> = {};
  const stack: { node: Value; expanded: boolean }[] = [{ node: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    const v = top.node;
    if (done.has(v)) continue;
    if (isVariable(v)) {
      const other = owner.get(v.label);
      if (other !== undefined && other !== v) {
        throw new InvalidInputError(
          `two different nodes are labelled "${v.label}"; a variable must be one node`,
        );
      }
      owner.set(v.label, v);
      point[v.label] = v.data;
      done.set(v, sym(v.label));
      continue;
    }
    const kids = v.children;
    if (!top.expanded) {
      stack.push({ node: v, expanded: true });
      for (let i = kids.length - 1; i >= 0; i--)
        if (!done.has(kids[i]!)) stack.push({ node: kids[i]!, expanded: false });
      continue;
    }
    done.set(
      v,
      build(
        v,
        kids.map((k) => done.get(k)!),
      ),
    );
  }
  for (const name of listed ?? []) {
    if (!owner.has(name)) {
      throw new InvalidInputError(
        `variable "${name}" labels no node of the graph (outside the other variables)`,
      );
    }
  }
  return { expr: done.get(root)!, point };
}

function build(v: Value, ops: readonly Expr[]): Expr {
  const op = v.op;
  if (op === '') return num(v.data);
  if (op === '+') return add(ops[0]!, ops[1]!);
  if (op === '*') return mul(ops[0]!, ops[1]!);
  if (op === '**') return pow(ops[0]!, ops[1]!);
  if (op.startsWith('**') && v.exponent !== undefined) return pow(ops[0]!, num(v.exponent));
  const unary = UNARY[op];
  if (unary === undefined || ops.length !== 1) throw new UnsupportedFunctionError(op);
  return unary(ops[0]!);
}
