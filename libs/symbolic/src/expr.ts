/**
 * Every {@link FnName}, in the order error messages list them. Each has one entry in the function table
 * (functions.ts), which says everything about it: clean-up, derivative, value, compiled code and printing.
 *
 * @example
 * ```ts
 * FN_NAMES.includes('tanh'); // true
 * ```
 */
export const FN_NAMES: readonly FnName[] = Object.freeze([
  'exp',
  'log',
  'sqrt',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'sigmoid',
  'softplus',
  'relu',
  'abs',
  'step',
  'sign',
  'logz',
]);

/**
 * Names of the one-argument functions an expression may call: those of the op set, and `step`, `sign` and `logz`,
 * which only derivatives produce (d relu(u) = step(u)·u', d abs(u) = sign(u)·u', both 0 at 0; d/dv u^v =
 * u^v·logz(u), logz being log with logz(0) = 0, so that the derivative is its limit 0 at u = 0).
 *
 * @example
 * ```ts
 * const e = parse('sin(x)');
 * if (e.kind === 'call') e.fn; // 'sin'
 * ```
 */
export type FnName =
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'asin'
  | 'acos'
  | 'atan'
  | 'sinh'
  | 'cosh'
  | 'tanh'
  | 'asinh'
  | 'acosh'
  | 'atanh'
  | 'sigmoid'
  | 'softplus'
  | 'relu'
  | 'abs'
  | 'step'
  | 'sign'
  | 'logz';

/**
 * Every {@link Fn2Name}, the two-argument functions, in the order error messages list them. Each has one entry in
 * the two-argument function table (`FUNCTIONS2` in functions.ts).
 *
 * @example
 * ```ts
 * FN2_NAMES.includes('atan2'); // true
 * ```
 */
export const FN2_NAMES: readonly Fn2Name[] = Object.freeze(['atan2', 'min', 'max']);

/**
 * Names of the two-argument functions: `atan2(y, x)`, `min(a, b)`, `max(a, b)`.
 *
 * @example
 * ```ts
 * const e = parse('atan2(y, x)');
 * if (e.kind === 'call2') e.fn; // 'atan2'
 * ```
 */
export type Fn2Name = 'atan2' | 'min' | 'max';

/**
 * An immutable, interned expression: building the same structure twice returns the same object, so equality is
 * `===` and a shared subexpression exists once. `id`s grow in creation order. `String(e)` and `${e}` give
 * `format(e)`.
 *
 * @example
 * ```ts
 * const e: Expr = parse('x*y');
 * e === mul(sym('y'), sym('x')); // true
 * ```
 */
export type Expr = Num | Sym | Add | Mul | Pow | Call | Call2;

/**
 * A numeric constant (`e` and `pi` are `num(Math.E)` and `num(Math.PI)`).
 * @example
 * ```ts
 * (parse('pi') as Num).value; // 3.141592653589793
 * ```
 */
export interface Num {
  readonly kind: 'num';
  readonly id: number;
  readonly value: number;
}

/**
 * A variable.
 * @example
 * ```ts
 * (parse('x1') as Sym).name; // 'x1'
 * ```
 */
export interface Sym {
  readonly kind: 'sym';
  readonly id: number;
  readonly name: string;
}

/**
 * A sum of two or more terms, flattened (no term is an `Add`); a numeric term, if any, is the last.
 * @example
 * ```ts
 * (parse('1 + x - y') as Add).terms.map((t) => format(t)); // ['x', '-y', '1']
 * ```
 */
export interface Add {
  readonly kind: 'add';
  readonly id: number;
  readonly terms: readonly Expr[];
}

/**
 * A product of two or more factors, flattened (no factor is a `Mul`); a numeric factor, if any, is the first.
 * @example
 * ```ts
 * (parse('x / y * 3') as Mul).factors.map((f) => format(f)); // ['3', 'x', '1 / y']
 * ```
 */
export interface Mul {
  readonly kind: 'mul';
  readonly id: number;
  readonly factors: readonly Expr[];
}

/**
 * `base ^ exponent`.
 * @example
 * ```ts
 * format((parse('x^2') as Pow).exponent); // '2'
 * ```
 */
export interface Pow {
  readonly kind: 'pow';
  readonly id: number;
  readonly base: Expr;
  readonly exponent: Expr;
}

/**
 * A function applied to one argument.
 * @example
 * ```ts
 * format((parse('sqrt(x + 1)') as Call).arg); // 'x + 1'
 * ```
 */
export interface Call {
  readonly kind: 'call';
  readonly id: number;
  readonly fn: FnName;
  readonly arg: Expr;
}

/**
 * A two-argument function applied to its arguments, in order (no canonical reordering: `max(a, b)` and
 * `max(b, a)` differ in which argument gets the gradient at a tie).
 * @example
 * ```ts
 * (parse('atan2(y, x)') as Call2).args.map((a) => format(a)); // ['y', 'x']
 * ```
 */
export interface Call2 {
  readonly kind: 'call2';
  readonly id: number;
  readonly fn: Fn2Name;
  readonly args: readonly [Expr, Expr];
}

// The printer `toString` uses. format.ts imports this module, so it cannot be imported here without a cycle;
// index.ts hands it over once every module is loaded.
let printer: (e: Expr) => string = (e) => `[${e.kind} expression]`;

/** Install the printer behind `Expr#toString` (index.ts installs `format`). */
export function setPrinter(print: (e: Expr) => string): void {
  printer = print;
}

/**
 * The one class of every interned node. Its public fields are exactly the contract's (`kind`, `id` and the kind's
 * own, set by the intern functions below, which then freeze the node); the structural hash and the size of the tree
 * the node stands for are private, so they take no table that outlives the node. `toString` prints the node.
 */
class Node {
  readonly #hash: number;
  readonly #tree: number;

  constructor(kind: Expr['kind'], hash: number, tree: number) {
    this.#hash = hash;
    this.#tree = tree;
    const self = this as unknown as { kind: string; id: number };
    self.kind = kind;
    self.id = nextId++;
  }

  static hash(e: Expr): number {
    return (e as unknown as Node).#hash;
  }

  static tree(e: Expr): number {
    return (e as unknown as Node).#tree;
  }

  toString(): string {
    return printer(this as unknown as Expr);
  }
}

/** True for the nodes this module made (never for a plain object shaped like one). */
export function isExpr(x: unknown): x is Expr {
  return x instanceof Node;
}

// The intern table, keyed by structural hash, holds its nodes weakly (one WeakRef each): a node lives as long as
// something else holds it, and equal structures built while it lives get that same node, which is what makes `===`
// equality hold. Nodes whose hashes collide share a bucket (an array, rare) and are told apart by comparing kind
// and children (by identity, so O(children), never the tree).
//
// The references of collected nodes leave the table in sweeps, not one by one as each node goes (a
// FinalizationRegistry entry per node cost more time and memory than the WeakRef itself).
type Bucket = WeakRef<Expr> | WeakRef<Expr>[];
const table = new Map<number, Bucket>();
let nextId = 0;

let credit = 0;
let sweepsWanted = 0;

/** Delete the references whose nodes are gone; how many went. */
function sweep(): number {
  let removed = 0;
  for (const [hash, bucket] of table) {
    if (!Array.isArray(bucket)) {
      if (bucket.deref() === undefined) {
        table.delete(hash);
        removed++;
      }
      continue;
    }
    let live = 0;
    for (const r of bucket) if (r.deref() !== undefined) bucket[live++] = r;
    removed += bucket.length - live;
    if (live === 0) table.delete(hash);
    else if (live === 1) table.set(hash, bucket[0]);
    else bucket.length = live;
  }
  return removed;
}

// One object registered at a time; its callback runs after the collection that took it. A node stored in one
// synchronous job cannot be collected before the job ends (WeakRef semantics), so a sweep is wanted after each of
// the next two collections following a store, and after every collection while sweeps keep finding dead
// references. Each store and each removal earns one credit, a sweep costs half the table's size: the work of
// sweeping stays within a constant per node stored. (Deleting from a Map while iterating it is well defined.)
let canaryOut = false;
const collections = new FinalizationRegistry<undefined>(() => {
  canaryOut = false;
  const cost = table.size >> 1;
  if (sweepsWanted === 0 || credit < cost) return;
  const removed = sweep();
  credit += removed - cost;
  sweepsWanted = removed > 0 ? 2 : sweepsWanted - 1;
  if (sweepsWanted > 0) watchCollections();
});

function watchCollections(): void {
  canaryOut = true;
  collections.register({}, undefined);
}

/** Structural hash of `e`: equal structures hash equally in every process (ids play no part). */
export function hashOf(e: Expr): number {
  return Node.hash(e);
}

/** Number of nodes in the tree `e` stands for (shared subexpressions counted every time): a float, so it may be
 * inexact past 2^53 and Infinity past the float range. */
export function treeSizeOf(e: Expr): number {
  return Node.tree(e);
}

// 32-bit mixing (murmur3's finaliser) for the structural hash.
function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x5bd1e995);
  return h ^ (h >>> 15);
}

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);

function hashNumber(v: number): number {
  f64[0] = Number.isNaN(v) ? NaN : v;
  return mix(mix(0x1234567, i32[0]), i32[1]);
}

function hashString(s: string): number {
  let h = 0x7654321;
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

function hashChildren(seed: number, children: readonly Expr[]): number {
  let h = seed;
  for (let i = 0; i < children.length; i++) h = mix(h, Node.hash(children[i]));
  return mix(h, children.length);
}

function treeOf(children: readonly Expr[]): number {
  let t = 1;
  for (let i = 0; i < children.length; i++) t += Node.tree(children[i]);
  return t;
}

function sameList(a: readonly Expr[], b: readonly Expr[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// What identifies a node beside its kind: up to two fields, compared by identity (`Object.is` for numbers).
type Key = number | string | Expr | readonly Expr[];

function same(e: Expr, kind: Expr['kind'], a: Key, b: Key | undefined): boolean {
  switch (kind) {
    case 'num':
      return e.kind === 'num' && Object.is(e.value, a);
    case 'sym':
      return e.kind === 'sym' && e.name === a;
    case 'add':
      return e.kind === 'add' && sameList(e.terms, a as readonly Expr[]);
    case 'mul':
      return e.kind === 'mul' && sameList(e.factors, a as readonly Expr[]);
    case 'pow':
      return e.kind === 'pow' && e.base === a && e.exponent === b;
    case 'call2': {
      const args = b as readonly Expr[];
      return e.kind === 'call2' && e.fn === a && e.args[0] === args[0] && e.args[1] === args[1];
    }
    default:
      return e.kind === 'call' && e.fn === a && e.arg === b;
  }
}

/** Freeze `node` and enter it in the table, where `bucket` is the entry of `hash` before it (one lookup for both). */
function store(hash: number, bucket: Bucket | undefined, node: Expr): Expr {
  Object.freeze(node);
  const ref = new WeakRef(node);
  // A bucket whose one node is gone is simply replaced.
  if (bucket === undefined || (!Array.isArray(bucket) && bucket.deref() === undefined)) table.set(hash, ref);
  else if (Array.isArray(bucket)) bucket.push(ref);
  else table.set(hash, [bucket, ref]);
  credit++;
  sweepsWanted = 2;
  if (!canaryOut) watchCollections();
  return node;
}

/** A node of `kind` with its `kind` and `id`; the caller sets the kind's own fields and stores it. */
function make<E extends Expr>(
  kind: E['kind'],
  hash: number,
  tree: number,
): { -readonly [K in keyof E]: E[K] } {
  return new Node(kind, hash, tree) as unknown as { -readonly [K in keyof E]: E[K] };
}

/**
 * The interned node of `kind` with the fields `a` and `b` (see {@link same}) and structural hash `hash`: the one
 * in the table, or a new one. One function for every kind: the lookup and the construction exist once, not once
 * per kind (a cold start compiles less code, which the W4 benchmark's set-up measures).
 */
function intern(kind: Expr['kind'], hash: number, a: Key, b?: Key): Expr {
  const bucket = table.get(hash);
  if (bucket !== undefined) {
    if (!Array.isArray(bucket)) {
      const e = bucket.deref();
      if (e !== undefined && same(e, kind, a, b)) return e;
    } else {
      for (let i = 0; i < bucket.length; i++) {
        const e = bucket[i].deref();
        if (e !== undefined && same(e, kind, a, b)) return e;
      }
    }
  }
  let node: Expr;
  switch (kind) {
    case 'num': {
      const n = make<Num>('num', hash, 1);
      n.value = a as number;
      node = n;
      break;
    }
    case 'sym': {
      const n = make<Sym>('sym', hash, 1);
      n.name = a as string;
      node = n;
      break;
    }
    case 'add': {
      const frozen = Object.freeze((a as readonly Expr[]).slice());
      const n = make<Add>('add', hash, treeOf(frozen));
      n.terms = frozen;
      node = n;
      break;
    }
    case 'mul': {
      const frozen = Object.freeze((a as readonly Expr[]).slice());
      const n = make<Mul>('mul', hash, treeOf(frozen));
      n.factors = frozen;
      node = n;
      break;
    }
    case 'pow': {
      const n = make<Pow>('pow', hash, 1 + Node.tree(a as Expr) + Node.tree(b as Expr));
      n.base = a as Expr;
      n.exponent = b as Expr;
      node = n;
      break;
    }
    case 'call': {
      const n = make<Call>('call', hash, 1 + Node.tree(b as Expr));
      n.fn = a as FnName;
      n.arg = b as Expr;
      node = n;
      break;
    }
    default: {
      const args = b as readonly [Expr, Expr];
      const n = make<Call2>('call2', hash, 1 + Node.tree(args[0]) + Node.tree(args[1]));
      n.fn = a as Fn2Name;
      n.args = Object.freeze(args);
      node = n;
    }
  }
  return store(hash, bucket, node);
}

/** The interned number node for `value` (no validation: see `num` in build.ts). `-0` and `0` are distinct. */
export function internNum(value: number): Num {
  return intern('num', hashNumber(value), value) as Num;
}

/** The interned variable node named `name` (no validation: see `sym` in build.ts). */
export function internSym(name: string): Sym {
  return intern('sym', hashString(name), name) as Sym;
}

/** The interned sum of `terms`, which must already be flattened and in canonical order (build.ts does that). */
export function internAdd(terms: readonly Expr[]): Add {
  return intern('add', hashChildren(0x0add, terms), terms) as Add;
}

/** The interned product of `factors`, already flattened and in canonical order. */
export function internMul(factors: readonly Expr[]): Mul {
  return intern('mul', hashChildren(0x0a11, factors), factors) as Mul;
}

/** The interned power node (no clean-up: see `pow` in build.ts). */
export function internPow(base: Expr, exponent: Expr): Pow {
  return intern('pow', mix(mix(0x0b0b, Node.hash(base)), Node.hash(exponent)), base, exponent) as Pow;
}

/** The interned call node. */
export function internCall(fn: FnName, arg: Expr): Call {
  return intern('call', mix(hashString(fn), Node.hash(arg)), fn, arg) as Call;
}

/** The interned two-argument call node. */
export function internCall2(fn: Fn2Name, a: Expr, b: Expr): Call2 {
  return intern('call2', mix(mix(hashString(fn), Node.hash(a)), Node.hash(b)), fn, [a, b] as const) as Call2;
}

/** The operands of `e` in order: terms, factors, [base, exponent], [arg], args, or none for a leaf. */
export function childrenOf(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'add':
      return e.terms;
    case 'mul':
      return e.factors;
    case 'pow':
      return [e.base, e.exponent];
    case 'call':
      return [e.arg];
    case 'call2':
      return e.args;
    default:
      return NO_CHILDREN;
  }
}

const NO_CHILDREN: readonly Expr[] = Object.freeze([]);

/** How many operands `e` has (`childrenOf(e).length`, without making the array). */
export function operandCount(e: Expr): number {
  switch (e.kind) {
    case 'add':
      return e.terms.length;
    case 'mul':
      return e.factors.length;
    case 'pow':
    case 'call2':
      return 2;
    case 'call':
      return 1;
    default:
      return 0;
  }
}

/** Operand `i` of `e` (`childrenOf(e)[i]`, without making the array); `i` must be below `operandCount(e)`. */
export function operandAt(e: Expr, i: number): Expr {
  switch (e.kind) {
    case 'add':
      return e.terms[i];
    case 'mul':
      return e.factors[i];
    case 'pow':
      return i === 0 ? e.base : e.exponent;
    case 'call':
      return e.arg;
    case 'call2':
      return e.args[i];
    default:
      throw new Error(`operandAt: a ${e.kind} has no operands`);
  }
}

/** The constants 0 and 1, which derivatives use everywhere. */
export const ZERO: Num = internNum(0);
export const ONE: Num = internNum(1);
