import { flatGraph, type FlatGraph, Value } from '@crossgrad/autograd';
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
  readonly first: Int32Array;
  readonly second: Int32Array;
  /** Per position, 1 where the node becomes a variable (not entered). */
  readonly variable: Uint8Array;
  /** Per position, how many operand slots of other nodes hold the node, and the last node that does. */
  readonly uses: Int32Array;
  readonly user: Int32Array;
}

/**
 * Whether the node at `p` is folded into its user: a `+` or `*` node whose only use is an operand of a node of
 * the same op.
 */
function folded(flat: Flat, p: number): boolean {
  const op = flat.nodes[p].op;
  return (op === '+' || op === '*') && flat.uses[p] === 1 && flat.nodes[flat.user[p]].op === op;
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
  // Without a list, variables are leaves, so the graph's own walk (autograd's, children before parents, first
  // operand first) lists what the walk here would, in the same order, and gives the operands' positions.
  const flat = listed === undefined ? fromFlatGraph(flatGraph(root), isVariable) : flatten(root, isVariable);
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

/** The operands the walk gives a variable: none (a list of its own, so that it tells a variable from a leaf). */
const VARIABLE: readonly Value[] = Object.freeze([]);

/** A copy of `a` with room for at least `n` entries. */
function grown<A extends Int32Array | Uint8Array>(a: A, n: number): A {
  const b = new (a.constructor as new (length: number) => A)(Math.max(2 * a.length, n));
  b.set(a);
  return b;
}

/** The columns of {@link Flat} being filled, position by position. */
class Columns {
  first = new Int32Array(1024);
  second = new Int32Array(1024);
  variable = new Uint8Array(1024);
  uses = new Int32Array(1024);
  user = new Int32Array(1024);

  /** The node at position `p`, with operands at positions `a` and `b` (-1 for none). */
  add(p: number, a: number, b: number, variable: boolean): void {
    if (p === this.first.length) {
      this.first = grown(this.first, p + 1);
      this.second = grown(this.second, p + 1);
      this.variable = grown(this.variable, p + 1);
      this.uses = grown(this.uses, p + 1);
      this.user = grown(this.user, p + 1);
    }
    this.first[p] = a;
    this.second[p] = b;
    this.variable[p] = variable ? 1 : 0;
    if (a >= 0) {
      this.uses[a]++;
      this.user[a] = p;
    }
    if (b >= 0) {
      this.uses[b]++;
      this.user[b] = p;
    }
  }

  /** The columns filled for `nodes`, one position each. */
  flat(nodes: readonly Value[]): Flat {
    const { first, second, variable, uses, user } = this;
    return { nodes, first, second, variable, uses, user };
  }
}

/**
 * Autograd's flat graph as a {@link Flat}: `isVariable` asked about each leaf, in order, and the use counts added.
 */
function fromFlatGraph(graph: FlatGraph, isVariable: (v: Value) => boolean): Flat {
  const { nodes, first, second } = graph;
  const columns = new Columns();
  for (let p = 0; p < nodes.length; p++) {
    const a = first[p];
    columns.add(p, a, second[p], a < 0 && isVariable(nodes[p]));
  }
  return columns.flat(nodes);
}

/**
 * The graph below `root` in post-order, each node once, without recursion (depth-first, operands in order). A
 * node `isVariable` accepts is listed but not entered.
 */
function flatten(root: Value, isVariable: (v: Value) => boolean): Flat {
  const nodes: Value[] = [];
  const columns = new Columns();
  const position = new Map<Value, number>();
  // The nodes being entered, each with its operands (none for a variable) and the next one to visit; and the
  // positions of the operands met so far, a node's being the last ones when it is done.
  const stack: Value[] = [];
  const operandsOf: (readonly Value[])[] = [];
  const next: number[] = [];
  let met = new Int32Array(64);
  let sp = 0;
  let top = -1;
  let v: Value | undefined = root;
  for (;;) {
    if (v !== undefined) {
      top++;
      stack[top] = v;
      operandsOf[top] = isVariable(v) ? VARIABLE : v.children;
      next[top] = 0;
      v = undefined;
    }
    const kids = operandsOf[top];
    const i = next[top];
    if (i < kids.length) {
      next[top] = i + 1;
      const p = position.get(kids[i]);
      if (p === undefined) v = kids[i];
      else {
        if (sp === met.length) met = grown(met, sp + 1);
        met[sp++] = p;
      }
      continue;
    }
    const p = nodes.length;
    const k = kids.length;
    const node = stack[top];
    nodes.push(node);
    position.set(node, p);
    columns.add(p, k > 0 ? met[sp - k] : -1, k > 1 ? met[sp - k + 1] : -1, kids === VARIABLE);
    sp -= k;
    if (top === 0) return columns.flat(nodes);
    if (sp === met.length) met = grown(met, sp + 1);
    met[sp++] = p;
    top--;
  }
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
  const { nodes, first, second, variable } = flat;
  const exprs: Expr[] = new Array<Expr>(nodes.length);
  for (let p = 0; p < nodes.length; p++) {
    const v = nodes[p];
    if (folded(flat, p)) continue;
    const a = first[p];
    const b = second[p];
    if (variable[p] === 1) exprs[p] = sym(v.label);
    else if (a >= 0 && (folded(flat, a) || (b >= 0 && folded(flat, b))))
      exprs[p] = flatOperation(p, flat, exprs);
    else exprs[p] = build(v, p, flat, exprs);
  }
  return exprs;
}

/**
 * The sum or product at `p` as one flat operation over the operands of the nodes folded into it; or, where
 * something merges, node by node.
 */
function flatOperation(p: number, flat: Flat, exprs: Expr[]): Expr {
  const { nodes, first, second } = flat;
  const sum = nodes[p].op === '+';
  const operands: Expr[] = [];
  // The folded nodes met (for building them as written if need be), and the positions still to look at.
  const inner: number[] = [];
  const todo: number[] = [second[p], first[p]];
  while (todo.length > 0) {
    const q = todo.pop() as number;
    if (folded(flat, q)) {
      inner.push(q);
      todo.push(second[q], first[q]);
      continue;
    }
    // A sum operand of a sum contributes its terms (and a product's factors), as the builders take them.
    const e = exprs[q];
    const list = sum ? (e.kind === 'add' ? e.terms : undefined) : e.kind === 'mul' ? e.factors : undefined;
    if (list === undefined) operands.push(e);
    else for (let i = 0; i < list.length; i++) operands.push(list[i]);
  }
  const result = sum ? addList(operands) : mulList(operands);
  const kept = result.kind === 'add' ? result.terms : result.kind === 'mul' ? result.factors : undefined;
  if (kept !== undefined && result.kind === (sum ? 'add' : 'mul') && sameMembers(kept, operands))
    return result;
  // Something merged: in what order it merges can change the rounding of a coefficient, so build as written.
  return asWritten(p, inner, flat, exprs);
}

/** The node at `p` built node by node as written, with the nodes folded into it (`inner`) first. */
function asWritten(p: number, inner: number[], flat: Flat, exprs: Expr[]): Expr {
  inner.sort(ascending);
  for (let i = 0; i < inner.length; i++) exprs[inner[i]] = build(flat.nodes[inner[i]], inner[i], flat, exprs);
  return build(flat.nodes[p], p, flat, exprs);
}

function ascending(a: number, b: number): number {
  return a - b;
}

/** Whether `kept` holds exactly the expressions of `operands`, each once. */
function sameMembers(kept: readonly Expr[], operands: readonly Expr[]): boolean {
  if (kept.length !== operands.length) return false;
  if (operands.length <= 8) {
    for (let i = 0; i < operands.length; i++) if (!kept.includes(operands[i])) return false;
    return true;
  }
  const set = new Set(kept);
  for (let i = 0; i < operands.length; i++) if (!set.has(operands[i])) return false;
  return true;
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
