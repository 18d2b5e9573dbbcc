import { Value } from '@crossgrad/autograd';
import { add, type Expr, mul, num, pow, sym } from '@crossgrad/symbolic';
import { InvalidInputError, UnsupportedFunctionError } from './errors.js';
import { BUILDER2_BY_OP, BUILDER_BY_OP } from './functions.js';
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

/**
 * Turns a @crossgrad/autograd `Value` graph into a @crossgrad/symbolic `Expr`, so the graph's gradients can be
 * checked against symbolic derivatives. Variables are labelled leaves (or the labels in `opts.variables`), other
 * leaves constants. Ops map one to one: `+ * **k **` and each function's op in {@link FUNCTIONS} (`exp`, `ReLU`,
 * …). Each graph node is converted once, so shared nodes stay shared; iterative, so a deep graph is fine, and linear
 * in the number of nodes.
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
  const done = new Map<Value, Expr>();
  const owner = new Map<string, Value>();
  const point: Record<string, number> = {};
  // Depth-first, without recursion: a node's entry holds its operands once it has been expanded, and it is built
  // when it is on top again, after them. Each node is expanded once (a second entry for a node finds it done).
  const nodes: Value[] = [root];
  const expanded: (readonly Value[] | undefined)[] = [undefined];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const v = nodes[top];
    let kids = expanded[top];
    if (kids === undefined) {
      if (done.has(v)) {
        nodes.pop();
        expanded.pop();
        continue;
      }
      if (listed === undefined ? v.op === '' && v.label !== '' : listed.has(v.label)) {
        const other = owner.get(v.label);
        if (other !== undefined && other !== v) {
          throw new InvalidInputError(
            `two different nodes are labelled "${v.label}"; a variable must be one node`,
          );
        }
        owner.set(v.label, v);
        point[v.label] = v.data;
        done.set(v, sym(v.label));
        nodes.pop();
        expanded.pop();
        continue;
      }
      kids = v.children;
      expanded[top] = kids;
      let pending = false;
      for (let i = kids.length - 1; i >= 0; i--) {
        if (!done.has(kids[i])) {
          nodes.push(kids[i]);
          expanded.push(undefined);
          pending = true;
        }
      }
      if (pending) continue;
    }
    nodes.pop();
    expanded.pop();
    done.set(v, build(v, kids, done));
  }
  for (const name of listed ?? []) {
    if (!owner.has(name)) {
      throw new InvalidInputError(
        `variable "${name}" labels no node of the graph (outside the other variables)`,
      );
    }
  }
  return { expr: built(done, root), point };
}

/** The expression already built for `v`. */
function built(done: ReadonlyMap<Value, Expr>, v: Value): Expr {
  const e = done.get(v);
  if (e === undefined) throw new Error('fromValue: an operand was not converted before its node');
  return e;
}

/** One `Expr` node for one `Value` node whose operands are converted already. */
function build(v: Value, kids: readonly Value[], done: ReadonlyMap<Value, Expr>): Expr {
  const op = v.op;
  if (kids.length === 0) return num(v.data);
  const a = built(done, kids[0]);
  if (kids.length === 2) {
    const b = built(done, kids[1]);
    if (op === '+') return add(a, b);
    if (op === '*') return mul(a, b);
    if (op === '**') return pow(a, b);
    const binary = BUILDER2_BY_OP.get(op);
    if (binary !== undefined) return binary(a, b);
  } else {
    const k = v.exponent;
    if (k !== undefined) return pow(a, num(k));
    const unary = BUILDER_BY_OP.get(op);
    if (unary !== undefined) return unary(a);
  }
  throw new UnsupportedFunctionError(op);
}
