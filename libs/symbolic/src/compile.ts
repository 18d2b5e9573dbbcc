import { checkExpr, checkVariables, describe } from './check.js';
import { ruleTable, type DiffOptions } from './diff.js';
import { ArgumentError, SymbolicError, UnknownVariableError } from './errors.js';
import { childrenOf, FN_NAMES, type Expr, type FnName } from './expr.js';
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

// Up to this many instructions the generated code is one JavaScript function with a local per value, which V8
// optimises after a few calls. Past it, V8 no longer optimises one function of that size, and compiling many smaller
// ones costs seconds of optimising-compiler time at 10^5 nodes before they run fast; so a larger DAG runs on a tape
// instead: its instructions in an Int32Array, its values in one Float64Array, read by one small loop that is
// optimised after a few calls whatever the size. Same instructions, same order of floating-point operations, so the
// same numbers either way. Measured on W4-shaped DAGs: at 2,600 instructions the code is 3 times faster than the
// tape, at 5,500 the tape is 2 times faster.
const MAX_CODE = 4000;

// Instructions: what is computed into a slot. Slots hold the arguments (the first ones), constants, node values,
// adjoints and the partial products of reverse accumulation.
const ADD = 0; // dst = s0 + s1 + ... (left to right)
const MUL = 1; // dst = s0 * s1 * ...
const POW = 2; // dst = pow(s0, s1)
const RECIP = 3; // dst = 1 / s0, which is pow(s0, -1) (scalar.ts)
const CALL = 4; // dst = f(s0)
const ACC = 5; // dst += s0 * s1 * ... (an adjoint receiving a contribution)
const ZERO = 6; // dst = 0
const ONE = 7; // dst = 1

/** One instruction: `op`, its destination slot, its source slots; `fn` for CALL. */
interface Instr {
  readonly op: number;
  readonly dst: number;
  readonly srcs: readonly number[];
  readonly fn?: FnName;
}

/** Records the instructions computing a DAG's values: one per node, each node's value computed once. */
class Emitter {
  readonly code: Instr[] = [];
  /** Each slot's constant value, or undefined for a computed one. */
  readonly constants: (number | undefined)[] = [];
  private readonly refs = new Map<Expr, number>();

  constructor(vars: readonly string[], symbols: ReadonlyMap<string, Expr>) {
    vars.forEach((v) => {
      const node = symbols.get(v);
      const slot = this.slot(undefined);
      if (node !== undefined) this.refs.set(node, slot);
    });
  }

  get slotCount(): number {
    return this.constants.length;
  }

  slot(constant: number | undefined): number {
    this.constants.push(constant);
    return this.constants.length - 1;
  }

  /** A fresh slot computed by `op` from `srcs`. */
  define(op: number, srcs: readonly number[], fn?: FnName): number {
    const dst = this.slot(undefined);
    this.code.push({ op, dst, srcs, fn });
    return dst;
  }

  emit(op: number, dst: number, srcs: readonly number[]): void {
    this.code.push({ op, dst, srcs });
  }

  /** Record the instructions for `order` (children before parents, as postOrder gives them): every node's value. */
  all(order: readonly Expr[]): void {
    for (const node of order) {
      if (!this.refs.has(node))
        this.refs.set(node, node.kind === 'num' ? this.slot(node.value) : this.node(node));
    }
  }

  /** The slot holding `e`'s value, recording instructions for whatever part of it is not computed yet. */
  ref(e: Expr): number {
    const known = this.refs.get(e);
    if (known !== undefined) return known;
    // Most local derivatives are one new node over known ones: no walk needed.
    const walk =
      e.kind === 'num' || childrenOf(e).every((k) => this.refs.has(k) || k.kind === 'num')
        ? [...childrenOf(e), e]
        : postOrder(e, this.refs);
    for (const node of walk) {
      if (this.refs.has(node)) continue;
      this.refs.set(node, node.kind === 'num' ? this.slot(node.value) : this.node(node));
    }
    return this.refs.get(e) as number;
  }

  private node(node: Expr): number {
    const kids = childrenOf(node).map((k) => this.refs.get(k) as number);
    switch (node.kind) {
      case 'add':
        return this.define(ADD, kids);
      case 'mul':
        return this.define(MUL, kids);
      case 'pow':
        return node.exponent.kind === 'num' && node.exponent.value === -1
          ? this.define(RECIP, [kids[0]])
          : this.define(POW, kids);
      case 'call':
        return this.define(CALL, kids, node.fn);
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

/** The error for a call of a generated function with the wrong number of arguments or a non-number. */
function badCall(where: string, vars: readonly string[]): (args: ArrayLike<unknown>) => never {
  return (args) => {
    const list = `(${vars.join(', ')})`;
    if (args.length !== vars.length) {
      const missing = vars[args.length];
      throw new ArgumentError(
        missing ?? 'arguments',
        `${where}: the function takes ${vars.length} argument${vars.length === 1 ? '' : 's'} ${list}, got ` +
          `${args.length}` +
          (missing === undefined ? '' : `: no value for ${missing}`),
      );
    }
    let i = 0;
    while (typeof args[i] === 'number') i++;
    throw new ArgumentError(
      vars[i],
      `${where}: argument ${i + 1} (${vars[i]}) must be a number, got ${args[i] === undefined ? 'undefined' : describe(args[i])}`,
    );
  };
}

/** What a compiled function returns, written from the slots holding the results. */
type Result = { readonly value: number } | { readonly value: number; readonly gradient: readonly number[] };

/**
 * A JavaScript function running the instructions: generated code for a small DAG, the tape for a large one. The
 * arguments are checked first: their count, and `typeof` each, which costs next to nothing beside the arithmetic.
 */
function build<T>(vars: readonly string[], emitter: Emitter, result: Result, where: string): T {
  const bad = badCall(where, vars);
  try {
    return (
      emitter.code.length > MAX_CODE ? tape(vars, emitter, result, bad) : generate(vars, emitter, result, bad)
    ) as T;
  } catch (err) {
    if (err instanceof SymbolicError) throw err;
    throw new SymbolicError(`${where}: the generated function was rejected: ${(err as Error).message}`);
  }
}

/** One function, one local per slot; the functions it calls come in as parameters, so `compile` and `evaluate`
 * share one definition of every op. */
function generate(
  vars: readonly string[],
  emitter: Emitter,
  result: Result,
  bad: (args: ArrayLike<unknown>) => never,
): unknown {
  const { constants } = emitter;
  const name = (s: number): string => {
    const c = constants[s];
    return c !== undefined ? literal(c) : s < vars.length ? 'a' + s : 't' + s;
  };
  const lines: string[] = [];
  for (const { op, dst, srcs, fn } of emitter.code) {
    const args = srcs.map(name);
    const d = name(dst);
    if (op === ACC) lines.push(`${d} += ${args.join(' * ')};`);
    else {
      const value =
        op === ADD ? args.join(' + ')
        : op === MUL ? args.join(' * ')
        : op === POW ? `pow(${args[0]}, ${args[1]})`
        : op === RECIP ? `1 / ${args[0]}`
        : op === CALL ? FUNCTIONS[fn as FnName].js(args[0])
        : op === ONE ? '1'
        : '0'; // prettier-ignore
      lines.push(`let ${d} = ${value};`);
    }
  }
  const params = vars.map((_, i) => 'a' + i);
  const check =
    `if (arguments.length !== ${vars.length}` +
    params.map((a) => ` || typeof ${a} !== 'number'`).join('') +
    ') bad(arguments);\n';
  const out =
    'gradient' in result
      ? `{ value: ${name(result.value)}, gradient: [${result.gradient.map(name).join(', ')}] }`
      : name(result.value);
  const helpers = ['pow', ...Object.keys(COMPILE_HELPERS)];
  const F: Record<string, unknown> = { pow: powScalar, ...COMPILE_HELPERS };
  const source = `"use strict";\nreturn function (${params.join(', ')}) {\n${check}${lines.join('\n')}\nreturn ${out};\n};`;
  return new Function('bad', ...helpers, source)(bad, ...helpers.map((h) => F[h]));
}

/** Function numbers of the tape's CALL instructions, and the functions, in FN_NAMES order. */
const FN_INDEX = new Map<FnName, number>(FN_NAMES.map((f, i) => [f, i]));
const FN_VALUES: readonly ((u: number) => number)[] = FN_NAMES.map((f) => FUNCTIONS[f].evaluate);

/** The instructions as a tape: Int32Array words `op, dst, count, src...` (CALL: `op, dst, fn, src`), run by a
 * loop over one Float64Array of slots; constants are written into their slots once. */
function tape(
  vars: readonly string[],
  emitter: Emitter,
  result: Result,
  bad: (args: ArrayLike<unknown>) => never,
): unknown {
  let words = 0;
  for (const i of emitter.code) words += 3 + i.srcs.length;
  const code = new Int32Array(words);
  let pc = 0;
  for (const { op, dst, srcs, fn } of emitter.code) {
    const k = srcs.length;
    // The common shapes get words of their own, so the loop runs no inner loop for them.
    let word: number;
    if (op === ADD) word = k === 2 ? T.ADD2 : T.ADD;
    else if (op === MUL) word = k === 2 ? T.MUL2 : T.MUL;
    else if (op === ACC) word = k === 1 ? T.ACC1 : k === 2 ? T.ACC2 : T.ACC;
    else if (op === CALL) word = T_CALLS[fn as FnName] ?? T.CALL;
    else word = op === POW ? T.POW : op === RECIP ? T.RECIP : op === ZERO ? T.ZERO : T.ONE;
    code[pc++] = word;
    code[pc++] = dst;
    if (word === T.CALL) code[pc++] = FN_INDEX.get(fn as FnName) as number;
    else if (word === T.ADD || word === T.MUL || word === T.ACC) code[pc++] = k;
    for (const s of srcs) code[pc++] = s;
  }
  const used = code.subarray(0, pc);
  const v = new Float64Array(emitter.slotCount);
  emitter.constants.forEach((c, i) => {
    if (c !== undefined) v[i] = c;
  });
  const n = vars.length;
  const run = (args: ArrayLike<unknown>): void => {
    if (args.length !== n) bad(args);
    for (let i = 0; i < n; i++) {
      const a = args[i];
      if (typeof a !== 'number') bad(args);
      v[i] = a as number;
    }
    runTape(used, v);
  };
  if ('gradient' in result) {
    const { value, gradient } = result;
    return function (...args: unknown[]): ValueAndGradient {
      run(args);
      return { value: v[value], gradient: gradient.map((s) => v[s]) };
    };
  }
  const { value } = result;
  return function (...args: unknown[]): number {
    run(args);
    return v[value];
  };
}

/** The tape's words: ADD, MUL and ACC carry a count of sources, CALL a function number; the others have a fixed
 * number of sources. */
const T = {
  ADD: 0, ADD2: 1, MUL: 2, MUL2: 3, ACC: 4, ACC1: 5, ACC2: 6, POW: 7, RECIP: 8, ZERO: 9, ONE: 10, CALL: 11,
  EXP: 12, LOG: 13, SQRT: 14, SIN: 15, COS: 16, TANH: 17, ABS: 18,
} as const; // prettier-ignore

/** Math's functions, run by words of their own; the rest of the table through CALL. */
const T_CALLS: Partial<Record<FnName, number>> = {
  exp: T.EXP,
  log: T.LOG,
  sqrt: T.SQRT,
  sin: T.SIN,
  cos: T.COS,
  tanh: T.TANH,
  abs: T.ABS,
};

/** The tape's interpreter: one pass over the instructions. */
function runTape(code: Int32Array, v: Float64Array): void {
  const end = code.length;
  let pc = 0;
  while (pc < end) {
    const op = code[pc];
    const dst = code[pc + 1];
    switch (op) {
      case T.ADD2:
        v[dst] = v[code[pc + 2]] + v[code[pc + 3]];
        pc += 4;
        break;
      case T.MUL2:
        v[dst] = v[code[pc + 2]] * v[code[pc + 3]];
        pc += 4;
        break;
      case T.ACC1:
        v[dst] += v[code[pc + 2]];
        pc += 3;
        break;
      case T.ACC2:
        v[dst] += v[code[pc + 2]] * v[code[pc + 3]];
        pc += 4;
        break;
      case T.ADD: {
        const k = code[pc + 2];
        let s = v[code[pc + 3]];
        for (let i = 1; i < k; i++) s += v[code[pc + 3 + i]];
        v[dst] = s;
        pc += 3 + k;
        break;
      }
      case T.MUL:
      case T.ACC: {
        const k = code[pc + 2];
        let p = v[code[pc + 3]];
        for (let i = 1; i < k; i++) p *= v[code[pc + 3 + i]];
        if (op === T.MUL) v[dst] = p;
        else v[dst] += p;
        pc += 3 + k;
        break;
      }
      case T.POW:
        v[dst] = powScalar(v[code[pc + 2]], v[code[pc + 3]]);
        pc += 4;
        break;
      case T.RECIP:
        v[dst] = 1 / v[code[pc + 2]];
        pc += 3;
        break;
      case T.ZERO:
        v[dst] = 0;
        pc += 2;
        break;
      case T.ONE:
        v[dst] = 1;
        pc += 2;
        break;
      case T.EXP:
        v[dst] = Math.exp(v[code[pc + 2]]);
        pc += 3;
        break;
      case T.LOG:
        v[dst] = Math.log(v[code[pc + 2]]);
        pc += 3;
        break;
      case T.SQRT:
        v[dst] = Math.sqrt(v[code[pc + 2]]);
        pc += 3;
        break;
      case T.SIN:
        v[dst] = Math.sin(v[code[pc + 2]]);
        pc += 3;
        break;
      case T.COS:
        v[dst] = Math.cos(v[code[pc + 2]]);
        pc += 3;
        break;
      case T.TANH:
        v[dst] = Math.tanh(v[code[pc + 2]]);
        pc += 3;
        break;
      case T.ABS:
        v[dst] = Math.abs(v[code[pc + 2]]);
        pc += 3;
        break;
      default:
        v[dst] = FN_VALUES[code[pc + 2]](v[code[pc + 3]]);
        pc += 4;
    }
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

/**
 * A JavaScript function computing `e`, generated once: one statement per DAG node, arguments in the order of
 * `vars` (which must name every variable of `e`). The same arithmetic as `evaluate`, so the same numbers. A call
 * with the wrong number of arguments or a non-number is an {@link ArgumentError} naming the argument.
 *
 * @example
 * ```ts
 * const f = compile(parse('x^2 + y'), ['x', 'y']);
 * f(3, 1); // 10
 * ```
 */
export function compile(e: Expr, vars: readonly string[]): (...xs: number[]) => number {
  const { root, names, order, symbols } = prepare(e, vars, 'compile');
  const emitter = new Emitter(names, symbols);
  emitter.all(order);
  return build(names, emitter, { value: emitter.ref(root) }, 'compile');
}

/**
 * A JavaScript function returning the value of `e` and its gradient in one call: the forward pass, then reverse
 * accumulation in the generated code, each local derivative taken from the rule table (so it agrees with
 * `gradient`; `options.rules` replaces rules as for `diff`) and products' partials by prefix and suffix products.
 * The rule table is the only source of the local derivatives, so at edge points (such as a^b at a = 0) it gives
 * what `diff` and `gradient` give, evaluated. Set-up time is linear in the DAG's size; a large DAG's code is cut
 * into functions of a size V8 optimises. A call with the wrong number of arguments or a non-number is an
 * {@link ArgumentError} naming the argument.
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
  if (typeof options !== 'object' || options === null) {
    throw new SymbolicError(`compileGradient: options must be an object, got ${describe(options)}`);
  }
  const rules = ruleTable(options.rules, 'compileGradient');
  const emitter = new Emitter(names, symbols);
  emitter.all(order);
  const value = emitter.ref(root);
  const wanted = new Set(names);
  const live = new Set<Expr>();
  for (const node of order) {
    if (node.kind === 'sym' ? wanted.has(node.name) : childrenOf(node).some((k) => live.has(k)))
      live.add(node);
  }
  // Adjoints start at 0; the root's at 1.
  const adjoint = new Map<Expr, number>();
  for (const node of order)
    if (live.has(node)) adjoint.set(node, emitter.define(node === root ? ONE : ZERO, []));
  // As in `gradient`, a node nothing was sent to is skipped: its adjoint is exactly 0, and 0 · ∞ must not turn
  // into a NaN that the symbolic gradient does not have.
  const reached = new Set<Expr>([root]);
  const add = (target: Expr, factors: readonly number[]): void => {
    reached.add(target);
    emitter.emit(ACC, adjoint.get(target) as number, factors);
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    if (!live.has(node) || !reached.has(node) || node.kind === 'sym') continue;
    const g = adjoint.get(node) as number;
    const kids = childrenOf(node);
    if (node.kind === 'add' && rules.sum === diffRules.sum) {
      for (const k of kids) if (live.has(k)) add(k, [g]);
    } else if (node.kind === 'mul' && rules.product === diffRules.product) {
      // 0 · u: the rule's partial for u is the constant 0, which `gradient` does not send either.
      if (!(kids.length === 2 && isZero(kids[0]))) products(emitter, kids, live, g, add);
    } else {
      for (let j = 0; j < kids.length; j++) {
        if (!live.has(kids[j])) continue;
        const local = partial(node, j, rules);
        if (isZero(local)) continue;
        add(kids[j], [g, emitter.ref(local)]);
      }
    }
  }
  const zero = emitter.slot(0);
  const gradient = names.map((n) => {
    const node = symbols.get(n);
    return node !== undefined && adjoint.has(node) ? (adjoint.get(node) as number) : zero;
  });
  return build(names, emitter, { value, gradient }, 'compileGradient');
}

/** Partials of a product without division (exact where a factor is 0): prefix products times a running suffix. */
function products(
  emitter: Emitter,
  factors: readonly Expr[],
  live: ReadonlySet<Expr>,
  g: number,
  add: (target: Expr, factors: readonly number[]) => void,
): void {
  const refs = factors.map((f) => emitter.ref(f));
  const k = factors.length;
  if (k <= 3) {
    for (let j = 0; j < k; j++)
      if (live.has(factors[j])) add(factors[j], [g, ...refs.filter((_, i) => i !== j)]);
    return;
  }
  // prefix[j] = refs[0] · … · refs[j-1] (prefix[0], the empty product, is never used).
  const prefix: number[] = [-1, refs[0]];
  for (let j = 2; j < k; j++) prefix.push(emitter.define(MUL, [prefix[j - 1], refs[j - 1]]));
  const lowest = factors.findIndex((f) => live.has(f));
  let suffix = g;
  for (let j = k - 1; j >= lowest; j--) {
    if (live.has(factors[j])) add(factors[j], j === 0 ? [suffix] : [prefix[j], suffix]);
    if (j > lowest) suffix = emitter.define(MUL, [suffix, refs[j]]);
  }
}
