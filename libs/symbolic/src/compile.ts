import { checkExpr, checkVariables } from './check.js';
import { ruleTable, type DiffOptions } from './diff.js';
import { SymbolicError, UnknownVariableError } from './errors.js';
import { childrenOf, type Expr } from './expr.js';
import { COMPILE_HELPERS, FUNCTIONS } from './functions.js';
import { partial } from './partial.js';
import { diffRules, isZero } from './rules.js';
import { powScalar } from './scalar.js';
import { postOrder } from './walk.js';

/**
 * The value and every partial derivative at one point, in the order of the `vars` given to `compileGradient`.
 * @example
 * ```ts
 * const r: ValueAndGradient = compileGradient(parse('x*y'), ['x', 'y'])(2, 3); // { value: 6, gradient: [3, 2] }
 * ```
 */
export interface ValueAndGradient {
  value: number;
  gradient: number[];
}

// Past this many values a generated function keeps them in one Float64Array instead of one local each: V8 takes a
// function of a few thousand locals happily, but not of a million.
const MAX_LOCALS = 4000;

/** Writes the body of a generated function: one statement per node, each node's value computed once. */
class Emitter {
  readonly lines: string[] = [];
  private readonly refs = new Map<Expr, string>();
  private slots = 0;

  constructor(
    vars: readonly string[],
    symbols: ReadonlyMap<string, Expr>,
    readonly inArray: boolean,
  ) {
    vars.forEach((v, i) => {
      const node = symbols.get(v);
      if (node !== undefined) this.refs.set(node, 'a' + i);
    });
  }

  get slotCount(): number {
    return this.slots;
  }

  /** Store `code` in a fresh local (`let tN = code;`) or the next array slot (`t[N] = code;`); return where. */
  define(code: string): string {
    const n = this.slots++;
    if (this.inArray) {
      this.lines.push(`t[${n}] = ${code};`);
      return `t[${n}]`;
    }
    this.lines.push(`let t${n} = ${code};`);
    return 't' + n;
  }

  /** The JS expression for `e`'s value, emitting statements for whatever part of it is not computed yet. */
  ref(e: Expr): string {
    const known = this.refs.get(e);
    if (known !== undefined) return known;
    for (const node of postOrder(e, this.refs)) {
      if (this.refs.has(node)) continue;
      this.refs.set(node, node.kind === 'num' ? literal(node.value) : this.define(this.code(node)));
    }
    return this.refs.get(e) as string;
  }

  private code(node: Expr): string {
    const kids = childrenOf(node).map((k) => this.refs.get(k) as string);
    switch (node.kind) {
      case 'add':
        return kids.join(' + ');
      case 'mul':
        return kids.join(' * ');
      case 'pow':
        return `pow(${kids[0]}, ${kids[1]})`;
      case 'call':
        return FUNCTIONS[node.fn].js(kids[0]);
      default:
        // Variables not in `vars` were rejected before emitting.
        throw new SymbolicError(`compile: no value for ${node.kind === 'sym' ? node.name : node.kind}`);
    }
  }
}

function literal(v: number): string {
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${v})` : String(v);
}

/** The variable nodes of the expression by name; every one must be among `vars`. */
function symbolsOf(order: readonly Expr[], vars: readonly string[], where: string): Map<string, Expr> {
  const given = new Set(vars);
  const symbols = new Map<string, Expr>();
  for (const node of order) {
    if (node.kind !== 'sym') continue;
    symbols.set(node.name, node);
    if (!given.has(node.name)) {
      throw new UnknownVariableError(
        node.name,
        `${where}: the expression uses '${node.name}', which is not in vars [${vars.join(', ')}]`,
      );
    }
  }
  return symbols;
}

/** Turn generated source into a function; the functions it calls come in as parameters, so `compile` and
 * `evaluate` share one definition of every op. */
function build<T>(vars: readonly string[], body: string, where: string): T {
  const params = vars.map((_, i) => 'a' + i).join(', ');
  const prelude = `"use strict";\nconst { pow, ${Object.keys(COMPILE_HELPERS).join(', ')} } = F;\n`;
  const source =
    `${prelude}return function (${params}) {\n` +
    `if (arguments.length !== ${vars.length}) arity(arguments.length);\n${body}\n};`;
  const arity = (n: number): never => {
    throw new SymbolicError(
      `${where}: the function takes ${vars.length} arguments (${vars.join(', ')}), got ${n}`,
    );
  };
  try {
    return new Function('F', 'arity', source)({ pow: powScalar, ...COMPILE_HELPERS }, arity) as T;
  } catch (err) {
    throw new SymbolicError(`${where}: the generated function was rejected: ${(err as Error).message}`);
  }
}

interface Prepared {
  readonly root: Expr;
  readonly names: readonly string[];
  readonly order: readonly Expr[];
  readonly symbols: ReadonlyMap<string, Expr>;
}

function prepare(e: unknown, vars: unknown, where: string): Prepared {
  const root = checkExpr(e, where);
  const names = checkVariables(vars, where);
  const order = postOrder(root);
  return { root, names, order, symbols: symbolsOf(order, names, where) };
}

/** The generated body: the value array if the emitter uses one, then the statements. */
function body(emitter: Emitter, result: string): string {
  const storage = emitter.inArray ? `const t = new Float64Array(${emitter.slotCount});\n` : '';
  return storage + emitter.lines.join('\n') + `\nreturn ${result};`;
}

/**
 * A JavaScript function computing `e`, generated once: one statement per DAG node, arguments in the order of
 * `vars` (which must name every variable of `e`). The same arithmetic as `evaluate`, so the same numbers.
 *
 * @example
 * ```ts
 * const f = compile(parse('x^2 + y'), ['x', 'y']);
 * f(3, 1); // 10
 * ```
 */
export function compile(e: Expr, vars: readonly string[]): (...xs: number[]) => number {
  const { root, names, order, symbols } = prepare(e, vars, 'compile');
  const emitter = new Emitter(names, symbols, order.length > MAX_LOCALS);
  const result = emitter.ref(root);
  return build(names, body(emitter, result), 'compile');
}

/**
 * A JavaScript function returning the value of `e` and its gradient in one call: the forward pass, then reverse
 * accumulation in the generated code, each local derivative taken from the rule table (so it agrees with
 * `gradient`; `options.rules` replaces rules as for `diff`) and products' partials by prefix and suffix products.
 * The rule table is the only source of the local derivatives, so at edge points (such as a^b at a = 0) it gives
 * what `diff` and `gradient` give, evaluated.
 *
 * @example
 * ```ts
 * const f = compileGradient(parse('x*y + sin(x)'), ['x', 'y']);
 * f(0, 2); // { value: 0, gradient: [3, 0] }
 * ```
 */
export function compileGradient(
  e: Expr,
  vars: readonly string[],
  options: DiffOptions = {},
): (...xs: number[]) => ValueAndGradient {
  const { root, names, order, symbols } = prepare(e, vars, 'compileGradient');
  const rules = ruleTable(options?.rules, 'compileGradient');
  const emitter = new Emitter(names, symbols, order.length * 3 > MAX_LOCALS);
  const value = emitter.ref(root);
  const wanted = new Set(names);
  const live = new Set<Expr>();
  for (const node of order) {
    if (node.kind === 'sym' ? wanted.has(node.name) : childrenOf(node).some((k) => live.has(k)))
      live.add(node);
  }
  // Adjoints start at 0; the root's at 1.
  const adjoint = new Map<Expr, string>();
  for (const node of order) if (live.has(node)) adjoint.set(node, emitter.define(node === root ? '1' : '0'));
  // As in `gradient`, a node nothing was sent to is skipped: its adjoint is exactly 0, and 0 · ∞ must not turn
  // into a NaN that the symbolic gradient does not have.
  const reached = new Set<Expr>([root]);
  const add = (target: Expr, code: string): void => {
    reached.add(target);
    emitter.lines.push(`${adjoint.get(target)} += ${code};`);
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    if (!live.has(node) || !reached.has(node) || node.kind === 'sym') continue;
    const g = adjoint.get(node) as string;
    const kids = childrenOf(node);
    if (node.kind === 'add' && rules.sum === diffRules.sum) {
      for (const k of kids) if (live.has(k)) add(k, g);
    } else if (node.kind === 'mul' && rules.product === diffRules.product) {
      // 0 · u: the rule's partial for u is the constant 0, which `gradient` does not send either.
      if (!(kids.length === 2 && isZero(kids[0]))) products(emitter, kids, live, g, add);
    } else {
      for (let j = 0; j < kids.length; j++) {
        if (!live.has(kids[j])) continue;
        const local = partial(node, j, rules);
        if (isZero(local)) continue;
        add(kids[j], `${g} * ${emitter.ref(local)}`);
      }
    }
  }
  const grads = names.map((n) => {
    const node = symbols.get(n);
    return node !== undefined && adjoint.has(node) ? (adjoint.get(node) as string) : '0';
  });
  return build(
    names,
    body(emitter, `{ value: ${value}, gradient: [${grads.join(', ')}] }`),
    'compileGradient',
  );
}

/** Partials of a product without division (exact where a factor is 0): prefix products times a running suffix. */
function products(
  emitter: Emitter,
  factors: readonly Expr[],
  live: ReadonlySet<Expr>,
  g: string,
  add: (target: Expr, code: string) => void,
): void {
  const refs = factors.map((f) => emitter.ref(f));
  const k = factors.length;
  if (k <= 3) {
    for (let j = 0; j < k; j++) {
      if (live.has(factors[j])) add(factors[j], [g, ...refs.filter((_, i) => i !== j)].join(' * '));
    }
    return;
  }
  const prefix: string[] = ['1', refs[0]];
  for (let j = 2; j < k; j++) prefix.push(emitter.define(`${prefix[j - 1]} * ${refs[j - 1]}`));
  const lowest = factors.findIndex((f) => live.has(f));
  let suffix = g;
  for (let j = k - 1; j >= lowest; j--) {
    if (live.has(factors[j])) add(factors[j], j === 0 ? suffix : `${prefix[j]} * ${suffix}`);
    if (j > lowest) suffix = emitter.define(`${suffix} * ${refs[j]}`);
  }
}
