import { Value } from '@crossgrad/autograd';
import { add, addList, type Expr, mul, mulList, num, pow, sym } from '@crossgrad/symbolic';
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
 * …). Each graph node is converted once, so shared nodes stay shared (a sum or product written as nested binary
 * nodes used nowhere else becomes one flat node at once, as the builders would flatten it); iterative, so a deep
 * graph is fine, and linear in the number of nodes.
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

/** The graph below a root, flattened: its nodes in post-order (operands first, the root last), by position. */
interface Flat {
  readonly nodes: readonly Value[];
  /** Per position, the positions of the node's first and second operands (-1 for none). */
  readonly first: readonly number[];
  readonly second: readonly number[];
  /** Per position, whether the node becomes a variable (not entered). */
  readonly variable: readonly boolean[];
  /** Per position, how many operand slots of other nodes hold it, and the last node that does. */
  readonly uses: readonly number[];
  readonly user: readonly number[];
}

function convert(root: Value, opts: FromValueOptions): { expr: Expr; point: Record<string, number> } {
  if (!(root instanceof Value))
    throw new InvalidInputError('fromValue expects a Value from @crossgrad/autograd');
  const listed = opts.variables === undefined ? undefined : new Set(opts.variables);
  if (opts.variables !== undefined) checkVariableList(opts.variables);
  const point: Record<string, number> = {};
  const owner = new Map<string, Value>();
  const isVariable = (v: Value): boolean => {
    if (listed === undefined ? v.op !== '' || v.label === '' : !listed.has(v.label)) return false;
    const other = owner.get(v.label);
    if (other !== undefined && other !== v) {
      throw new InvalidInputError(
        `two different nodes are labelled "${v.label}"; a variable must be one node`,
      );
    }
    owner.set(v.label, v);
    point[v.label] = v.data;
    return true;
  };
  const flat = flatten(root, isVariable);
  const exprs = buildAll(flat);
  for (const name of listed ?? []) {
    if (!owner.has(name)) {
      throw new InvalidInputError(
        `variable "${name}" labels no node of the graph (outside the other variables)`,
      );
    }
  }
  return { expr: exprs[exprs.length - 1], point };
}

const NO_OPERANDS: readonly Value[] = [];

/**
 * The graph below `root` in post-order, each node once, without recursion (depth-first, operands in order). A
 * node `isVariable` accepts is listed but not entered.
 */
function flatten(root: Value, isVariable: (v: Value) => boolean): Flat {
  const nodes: Value[] = [];
  const first: number[] = [];
  const second: number[] = [];
  const variable: boolean[] = [];
  const uses: number[] = [];
  const user: number[] = [];
  const position = new Map<Value, number>();
  // The nodes being entered, each with its operands (none for a variable) and the next one to visit; and the
  // positions of the operands met so far, a node's being the last ones when it is done.
  const stack: Value[] = [root];
  const operandsOf: (readonly Value[])[] = [];
  const vars: boolean[] = [];
  const next: number[] = [0];
  const met: number[] = [];
  const enter = (v: Value, at: number): void => {
    const isVar = isVariable(v);
    vars[at] = isVar;
    operandsOf[at] = isVar ? NO_OPERANDS : v.children;
    next[at] = 0;
  };
  enter(root, 0);
  let top = 0;
  while (top >= 0) {
    const kids = operandsOf[top];
    const i = next[top];
    if (i < kids.length) {
      next[top] = i + 1;
      const p = position.get(kids[i]);
      if (p === undefined) {
        top++;
        stack[top] = kids[i];
        enter(kids[i], top);
      } else met.push(p);
      continue;
    }
    const p = nodes.length;
    const k = kids.length;
    const a = k > 0 ? met[met.length - k] : -1;
    const b = k > 1 ? met[met.length - k + 1] : -1;
    met.length -= k;
    nodes.push(stack[top]);
    position.set(stack[top], p);
    first.push(a);
    second.push(b);
    variable.push(vars[top]);
    uses.push(0);
    user.push(-1);
    if (a >= 0) {
      uses[a]++;
      user[a] = p;
    }
    if (b >= 0) {
      uses[b]++;
      user[b] = p;
    }
    met.push(p);
    top--;
  }
  return { nodes, first, second, variable, uses, user };
}

/**
 * One `Expr` per position of `flat` (undefined for the nodes folded into a flat sum or product; the root's is
 * last). A sum of sums that are used nowhere else (`((a + b) + c) + d`, as a graph of binary `+` nodes holds any
 * longer sum) is built as one flat sum of its terms, not as a sum per node that the next one flattens and drops;
 * products likewise. That gives the same node wherever nothing merges (no like terms, no like powers, at most one
 * number), which the flat result shows (exactly its own operands, each once); otherwise the sums are built one
 * node at a time, as written.
 */
function buildAll(flat: Flat): Expr[] {
  const { nodes, first, second, variable, uses, user } = flat;
  const exprs: Expr[] = new Array<Expr>(nodes.length);
  // A `+` or `*` node whose only use is one operand of a node of the same op is folded into that node.
  const folded = (p: number): boolean => {
    const op = nodes[p].op;
    return (op === '+' || op === '*') && uses[p] === 1 && nodes[user[p]].op === op;
  };
  for (let p = 0; p < nodes.length; p++) {
    const v = nodes[p];
    if (variable[p]) exprs[p] = sym(v.label);
    else if (folded(p)) continue;
    else if (first[p] >= 0 && (folded(first[p]) || (second[p] >= 0 && folded(second[p]))))
      exprs[p] = flatOperation(p, flat, exprs, folded);
    else exprs[p] = build(v, p, flat, exprs);
  }
  return exprs;
}

/**
 * The sum or product at `p` as one flat operation over the operands of the nodes folded into it; or, where
 * something merges, node by node.
 */
function flatOperation(p: number, flat: Flat, exprs: Expr[], folded: (p: number) => boolean): Expr {
  const { nodes, first, second } = flat;
  const sum = nodes[p].op === '+';
  const operands: Expr[] = [];
  const inner: number[] = [];
  const todo = [second[p], first[p]];
  while (todo.length > 0) {
    const q = todo.pop() as number;
    if (folded(q)) {
      inner.push(q);
      todo.push(second[q], first[q]);
      continue;
    }
    // A sum operand of a sum contributes its terms (and a product's factors), as the builders take them.
    const e = exprs[q];
    if (sum && e.kind === 'add') operands.push(...e.terms);
    else if (!sum && e.kind === 'mul') operands.push(...e.factors);
    else operands.push(e);
  }
  const result = sum ? addList(operands) : mulList(operands);
  const kept = result.kind === 'add' ? result.terms : result.kind === 'mul' ? result.factors : undefined;
  if (kept !== undefined && result.kind === (sum ? 'add' : 'mul') && sameMembers(kept, operands))
    return result;
  // Something merged: in what order it merges can change the rounding of a coefficient, so build as written.
  inner.sort((a, b) => a - b);
  for (const q of inner) exprs[q] = build(nodes[q], q, flat, exprs);
  return build(nodes[p], p, flat, exprs);
}

/** Whether `kept` holds exactly the expressions of `operands`, each once. */
function sameMembers(kept: readonly Expr[], operands: readonly Expr[]): boolean {
  if (kept.length !== operands.length) return false;
  if (operands.length <= 8) return operands.every((e) => kept.includes(e));
  const set = new Set(kept);
  return operands.every((e) => set.has(e));
}

/** One `Expr` node for the graph node at `p`, whose operands are converted already. */
function build(v: Value, p: number, flat: Flat, exprs: readonly Expr[]): Expr {
  const op = v.op;
  const i = flat.first[p];
  if (i < 0) return num(v.data);
  const a = exprs[i];
  const j = flat.second[p];
  if (j >= 0) {
    const b = exprs[j];
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
