import { describe, variableNameProblem } from './check.js';
import { ArgumentError, SymbolicError } from './errors.js';
import {
  internAdd,
  internCall,
  internCall2,
  internMul,
  internNum,
  internPow,
  internSym,
  isExpr,
  type Expr,
  type Fn2Name,
  type FnName,
  type Num,
} from './expr.js';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { baseOf, compareFactors, compareTerms, isMergeableExponent } from './order.js';
import { powScalar } from './scalar.js';

// Builders simplify at construction, as a computer algebra system does, each in one pass over the operands (never
// a rewrite-until-fixpoint loop): fold numbers (and calls where the value is exact, such as exp(0)), flatten
// nested sums and products, drop `+ 0`, `· 1`, `^ 1`, turn `u ^ 0` into 1, collect like terms (`2u + 3u → 5u`,
// `u - u → 0`) and like factors (`u · u^-1 → 1`, `u^a · u^b → u^(a+b)` for numeric a and b whose sums are exact),
// merge `(u^a)^b` into `u^(a·b)` for an integer b, read `e ^ u` as `exp(u)`, and sort operands. Collecting is
// algebra, not IEEE arithmetic: `u / u → 1` also where u = 0 (as SymPy does), `u - u → 0` also where u is
// infinite. Not done: `0 · u → 0`, distribution, folding of calls whose value is inexact (`log(2)` stays).

/**
 * An expression or a plain number (read as a constant), as every builder accepts.
 * @example
 * ```ts
 * const two: ExprLike = 2;
 * mul(two, sym('x')) === parse('2x'); // true
 * ```
 */
export type ExprLike = Expr | number;

/** `x` as an expression (a number becomes a constant); anything else is a {@link SymbolicError}. */
export function toExpr(x: unknown, where: string): Expr {
  if (typeof x === 'number') return internNum(x);
  if (isExpr(x)) return x;
  throw new SymbolicError(`${where}: expected an Expr or a number, got ${describe(x)}`);
}

/**
 * A numeric constant. `num(Math.E)` prints as `e`, `num(Math.PI)` as `pi`.
 *
 * @example
 * ```ts
 * format(num(2.5)); // '2.5'
 * ```
 */
export function num(value: number): Expr {
  if (typeof value !== 'number') throw new SymbolicError(`num: expected a number, got ${describe(value)}`);
  return internNum(value);
}

/**
 * A variable. The name must be an identifier the parser reads back (letters, digits, `_`, `$`, Greek letters; not
 * starting with a digit) and not one of `e`, `pi`, `Infinity`, `NaN`, a function name or a mathjs keyword.
 *
 * @example
 * ```ts
 * sym('x1') === parse('x1'); // true
 * ```
 */
export function sym(name: string): Expr {
  if (typeof name !== 'string')
    throw new ArgumentError('name', `sym: expected a name, got ${describe(name)}`);
  const problem = variableNameProblem(name);
  if (problem !== undefined) throw new ArgumentError('name', `sym: ${problem}`);
  return internSym(name);
}

/**
 * The sum of the operands: flattened, numbers folded into one last term, `+ 0` dropped, terms in canonical order.
 *
 * @example
 * ```ts
 * add(sym('x'), 1, 2) === parse('x + 3'); // true
 * ```
 */
export function add(...xs: ExprLike[]): Expr {
  return addList(xs);
}

/**
 * {@link add} over an array (no spread, so it takes any number of operands).
 *
 * @example
 * ```ts
 * addList([sym('x'), 1, sym('y')]) === parse('x + y + 1'); // true
 * ```
 */
export function addList(xs: readonly ExprLike[]): Expr {
  // -0 is the sum of no numbers, so that the sum of -0 alone is -0, as in IEEE arithmetic.
  let constant = xs.length === 0 ? 0 : -0;
  const run = new Run();
  for (let i = 0; i < xs.length; i++) {
    const e = toExpr(xs[i], 'add');
    if (e.kind === 'num') {
      constant += e.value;
    } else if (e.kind === 'add') {
      const last = e.terms[e.terms.length - 1];
      const numeric = last.kind === 'num';
      if (numeric) constant += last.value;
      run.take(e.terms, 0, e.terms.length - (numeric ? 1 : 0));
    } else {
      run.rest.push(e);
    }
  }
  const sorted = run.ordered(compareTerms);
  // With any other term (even one that cancels, x - x = +0 in IEEE) the numbers' sum is added to a +0.
  if (sorted.length > 0) constant += 0;
  const terms = collectTerms(sorted);
  // A collected term can be a sum (1 · (u + v)): flatten it in. (Only collecting makes one.)
  if (terms !== sorted && terms.some((t) => t.kind === 'add'))
    return addList(constant === 0 ? terms : [...terms, constant]);
  if (terms.length === 0) return internNum(constant);
  if (terms.length === 1 && constant === 0) return terms[0];
  if (constant !== 0) terms.push(internNum(constant));
  return internAdd(terms);
}

/** The index where a term's non-numeric factors start (1 past a coefficient). */
function headStart(t: Expr): number {
  return t.kind === 'mul' && t.factors[0].kind === 'num' ? 1 : 0;
}

/** A term's numeric coefficient (1 if it has none). */
function termCoefficient(t: Expr): number {
  return t.kind === 'mul' && t.factors[0].kind === 'num' ? t.factors[0].value : 1;
}

/** Whether two terms differ at most in their coefficient (`2 · x · y` and `-x · y`). */
function sameHead(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  if (a.kind !== 'mul' && b.kind !== 'mul') return false;
  const sa = headStart(a);
  const sb = headStart(b);
  if (a.kind !== 'mul') return b.kind === 'mul' && b.factors.length === sb + 1 && b.factors[sb] === a;
  if (b.kind !== 'mul') return a.factors.length === sa + 1 && a.factors[sa] === b;
  const n = a.factors.length - sa;
  if (n !== b.factors.length - sb) return false;
  for (let i = 0; i < n; i++) if (a.factors[sa + i] !== b.factors[sb + i]) return false;
  return true;
}

/** `t`'s non-numeric factors with coefficient `c`. */
function withCoefficient(c: number, t: Expr): Expr {
  const head = t.kind === 'mul' ? t.factors.slice(headStart(t)) : [t];
  if (c === 1) return head.length === 1 ? head[0] : internMul(head);
  return internMul([internNum(c), ...head]);
}

/**
 * Like terms merged: `terms` is sorted, so terms that differ only in their coefficient are contiguous; their
 * coefficients are added (in that order) and where they cancel the term is dropped (`x - x → 0`). A lone `0 · x`
 * stays, as in a product.
 */
function collectTerms(terms: Expr[]): Expr[] {
  let out: Expr[] | undefined;
  for (let i = 0; i < terms.length;) {
    let j = i + 1;
    while (j < terms.length && sameHead(terms[i], terms[j])) j++;
    if (j - i === 1) {
      if (out !== undefined) out.push(terms[i]);
      i = j;
      continue;
    }
    let c = termCoefficient(terms[i]);
    for (let k = i + 1; k < j; k++) c += termCoefficient(terms[k]);
    out ??= terms.slice(0, i);
    if (c !== 0) out.push(withCoefficient(c, terms[i]));
    i = j;
  }
  return out ?? terms;
}

/**
 * Operands being gathered for one sum or product. The longest operand list that is already in canonical order (an
 * inner sum's terms, an inner product's factors) is kept aside and the rest is merged into it by binary search, so
 * extending an n-factor product costs O(log n) comparisons (and the O(n) copy any new node needs), not a sort.
 */
class Run {
  readonly rest: Expr[] = [];
  private big: readonly Expr[] = [];
  private from = 0;
  private to = 0;

  /** Take `list[from..to)`, which is in canonical order. */
  take(list: readonly Expr[], from: number, to: number): void {
    if (to - from > this.to - this.from) {
      for (let i = this.from; i < this.to; i++) this.rest.push(this.big[i]);
      this.big = list;
      this.from = from;
      this.to = to;
    } else {
      for (let i = from; i < to; i++) this.rest.push(list[i]);
    }
  }

  ordered(compare: (a: Expr, b: Expr) => number): Expr[] {
    const { rest, big, to } = this;
    sortExprs(rest, compare);
    if (this.from === to) return rest;
    const out: Expr[] = [];
    let i = this.from;
    for (let j = 0; j < rest.length; j++) {
      const r = rest[j];
      let lo = i;
      let hi = to;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compare(big[mid], r) < 0) lo = mid + 1;
        else hi = mid;
      }
      while (i < lo) out.push(big[i++]);
      out.push(r);
    }
    while (i < to) out.push(big[i++]);
    return out;
  }
}

/**
 * `list` sorted by `compare` (in place): by insertion for the few operands builders usually get, where it is much
 * cheaper than `Array.prototype.sort`'s calls into the comparator, else by that sort. The orders compared here are
 * total (ties only between a node and itself), so both give the same array.
 */
function sortExprs(list: Expr[], compare: (a: Expr, b: Expr) => number): Expr[] {
  const n = list.length;
  if (n > 12) return list.sort(compare);
  for (let i = 1; i < n; i++) {
    const x = list[i];
    let j = i - 1;
    while (j >= 0 && compare(list[j], x) > 0) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = x;
  }
  return list;
}

/**
 * The product of the operands: flattened, numbers folded into one leading coefficient, `· 1` dropped, powers of one
 * base merged (`x · x^-1 → 1`), factors in canonical order. `0 · u` stays (it is NaN where u is infinite).
 *
 * @example
 * ```ts
 * mul(2, sym('x'), 3) === parse('6x'); // true
 * ```
 */
export function mul(...xs: ExprLike[]): Expr {
  return mulList(xs);
}

/**
 * {@link mul} over an array (no spread, so it takes any number of operands).
 *
 * @example
 * ```ts
 * mulList([2, sym('x'), sym('x')]) === parse('2 * x^2'); // true
 * ```
 */
export function mulList(xs: readonly ExprLike[]): Expr {
  return product(xs, undefined);
}

/**
 * The product of `xs` with `coefficient` as its numeric coefficient, whatever numbers `xs` holds: for a caller
 * that has multiplied the coefficients itself, in the order a sequence of {@link mulList} calls would have.
 */
export function mulWithCoefficient(coefficient: number, xs: readonly Expr[]): Expr {
  return product(xs, coefficient);
}

function product(xs: readonly ExprLike[], given: number | undefined): Expr {
  let coefficient = 1;
  const run = new Run();
  for (let i = 0; i < xs.length; i++) {
    const e = toExpr(xs[i], 'mul');
    if (e.kind === 'num') {
      coefficient *= e.value;
    } else if (e.kind === 'mul') {
      const first = e.factors[0];
      const numeric = first.kind === 'num';
      if (numeric) coefficient *= first.value;
      run.take(e.factors, numeric ? 1 : 0, e.factors.length);
    } else {
      run.rest.push(e);
    }
  }
  if (given !== undefined) coefficient = given;
  const ordered = run.ordered(compareFactors);
  let factors = collectPowers(ordered);
  // A merged power can be a product again (`(2x)^2 · (2x)^-1 → 2x`): flatten it in. (Only merging makes one.)
  while (factors !== ordered && factors.some((f) => f.kind === 'mul')) {
    const flat: Expr[] = [];
    for (let i = 0; i < factors.length; i++) {
      const f = factors[i];
      if (f.kind !== 'mul') flat.push(f);
      else
        for (let j = 0; j < f.factors.length; j++) {
          const g = f.factors[j];
          if (g.kind === 'num') coefficient *= g.value;
          else flat.push(g);
        }
    }
    factors = collectPowers(sortExprs(flat, compareFactors));
  }
  if (factors.length === 0) return internNum(coefficient);
  if (factors.length === 1 && coefficient === 1) return factors[0];
  if (coefficient !== 1) factors.unshift(internNum(coefficient));
  return internMul(factors);
}

/** The exponent of a factor over its base (see `baseOf`): a mergeable number, 1 for a plain factor. */
function exponentOver(f: Expr): number {
  return f.kind === 'pow' && baseOf(f) !== f ? (f.exponent as Num).value : 1;
}

/**
 * Merge the factors of one base: `x · x = x^2`, `x · x^-1 = 1`, `x^0.5 · x^1.5 = x^2`. `factors` is sorted, so each
 * base's factors are contiguous. Exponents are mergeable numbers (see `isMergeableExponent`), so the sums are
 * exact whatever the grouping. Without this a product like the adjoint of a Horner chain grows quadratically.
 */
function collectPowers(factors: Expr[]): Expr[] {
  let out: Expr[] | undefined;
  for (let i = 0; i < factors.length;) {
    const base = baseOf(factors[i]);
    let j = i + 1;
    while (j < factors.length && baseOf(factors[j]) === base) j++;
    if (j - i > 1) {
      let sum = 0;
      for (let k = i; k < j; k++) sum += exponentOver(factors[k]);
      out ??= factors.slice(0, i);
      const merged = pow(base, sum);
      if (!(merged.kind === 'num' && merged.value === 1)) out.push(merged);
    } else if (out !== undefined) {
      out.push(factors[i]);
    }
    i = j;
  }
  return out === undefined ? factors : sortExprs(out, compareFactors);
}

/**
 * `base ^ exponent`. Numbers fold; `u^1 = u`, `u^0 = 1`; `e^u` is `exp(u)`; `(u^a)^b = u^(a·b)` for an integer b
 * and a mergeable a (integers, halves...: `(x^0.5)^2 = x`, but `(x^2)^0.5` stays, being |x|).
 *
 * @example
 * ```ts
 * pow(Math.E, sym('x')) === exp(sym('x')); // true
 * ```
 */
export function pow(base: ExprLike, exponent: ExprLike): Expr {
  const b = toExpr(base, 'pow');
  const x = toExpr(exponent, 'pow');
  if (x.kind === 'num') {
    if (x.value === 0) return internNum(1);
    if (x.value === 1) return b;
    if (b.kind === 'num') return internNum(powScalar(b.value, x.value));
    if (b.kind === 'pow' && b.exponent.kind === 'num') {
      // Only for an integer outer exponent ((x^2)^0.5 is |x|) and exponents whose product is exact.
      const merged = b.exponent.value * x.value;
      if (
        Number.isSafeInteger(x.value) &&
        isMergeableExponent(b.exponent.value) &&
        isMergeableExponent(merged)
      ) {
        return pow(b.base, merged);
      }
    }
  }
  if (b.kind === 'num' && b.value === Math.E) return internCall('exp', x);
  return internPow(b, x);
}

/**
 * `a - b`, stored as `a + (-1)·b`.
 *
 * @example
 * ```ts
 * format(sub(sym('x'), 1)); // 'x - 1'
 * ```
 */
export function sub(a: ExprLike, b: ExprLike): Expr {
  return addList([toExpr(a, 'sub'), neg(toExpr(b, 'sub'))]);
}

/**
 * `a / b`, stored as `a · b^-1`.
 *
 * @example
 * ```ts
 * format(div(sym('x'), sym('y'))); // 'x / y'
 * ```
 */
export function div(a: ExprLike, b: ExprLike): Expr {
  return mulList([toExpr(a, 'div'), pow(toExpr(b, 'div'), -1)]);
}

/**
 * `-a`, stored as `(-1)·a`.
 *
 * @example
 * ```ts
 * format(neg(sym('x'))); // '-x'
 * ```
 */
export function neg(a: ExprLike): Expr {
  return mulList([-1, toExpr(a, 'neg')]);
}

/** `fn(arg)`; a call on a number folds only where its value is exact (`exp(0)` is 1, `log(2)` stays). */
export function call(fn: FnName, arg: ExprLike): Expr {
  const a = toExpr(arg, fn);
  if (a.kind === 'num') {
    const v = FUNCTIONS[fn].fold(a.value);
    if (v !== undefined) return internNum(v);
  }
  return internCall(fn, a);
}

/** `fn(a, b)` for a two-argument function; folds where the table says the value is exact (`max(x, x)` is x,
 * `min(1, 2)` is 1). The arguments keep their order. */
export function call2(fn: Fn2Name, a: ExprLike, b: ExprLike): Expr {
  const x = toExpr(a, fn);
  const y = toExpr(b, fn);
  const v = FUNCTIONS2[fn].fold(x, y);
  if (v !== undefined) return typeof v === 'number' ? internNum(v) : v;
  return internCall2(fn, x, y);
}

/**
 * e^a.
 * @example
 * ```ts
 * format(exp(mul(2, sym('n')))); // 'exp(2 * n)'
 * ```
 */
export const exp = (a: ExprLike): Expr => call('exp', a);
/**
 * Natural logarithm (NaN for negative arguments when evaluated).
 * @example
 * ```ts
 * format(log(sym('x'))); // 'log(x)'
 * ```
 */
export const log = (a: ExprLike): Expr => call('log', a);
/**
 * Square root.
 * @example
 * ```ts
 * format(sqrt(sym('x'))); // 'sqrt(x)'
 * ```
 */
export const sqrt = (a: ExprLike): Expr => call('sqrt', a);
/**
 * Sine.
 * @example
 * ```ts
 * format(sin(sym('x'))); // 'sin(x)'
 * ```
 */
export const sin = (a: ExprLike): Expr => call('sin', a);
/**
 * Cosine.
 * @example
 * ```ts
 * format(cos(sym('x'))); // 'cos(x)'
 * ```
 */
export const cos = (a: ExprLike): Expr => call('cos', a);
/**
 * Tangent.
 * @example
 * ```ts
 * format(diff(tan(sym('x')), 'x')); // 'tan(x)^2 + 1'
 * ```
 */
export const tan = (a: ExprLike): Expr => call('tan', a);
/**
 * Hyperbolic tangent.
 * @example
 * ```ts
 * format(tanh(sym('n'))); // 'tanh(n)'
 * ```
 */
export const tanh = (a: ExprLike): Expr => call('tanh', a);
/**
 * Logistic function 1 / (1 + e^-a).
 * @example
 * ```ts
 * format(sigmoid(sym('x'))); // 'sigmoid(x)'
 * ```
 */
export const sigmoid = (a: ExprLike): Expr => call('sigmoid', a);
/**
 * log(1 + e^a), evaluated stably as max(a, 0) + log1p(e^-|a|); its derivative is sigmoid(a).
 * @example
 * ```ts
 * diff(softplus(sym('x')), 'x') === sigmoid(sym('x')); // true
 * ```
 */
export const softplus = (a: ExprLike): Expr => call('softplus', a);
/**
 * max(a, 0).
 * @example
 * ```ts
 * format(relu(sym('x'))); // 'relu(x)'
 * ```
 */
export const relu = (a: ExprLike): Expr => call('relu', a);
/**
 * |a|.
 * @example
 * ```ts
 * format(abs(sym('x'))); // 'abs(x)'
 * ```
 */
export const abs = (a: ExprLike): Expr => call('abs', a);
/**
 * 1 for a > 0, else 0: the derivative of relu (0 at 0). Derivatives produce it; its own derivative is 0.
 * @example
 * ```ts
 * diff(relu(sym('x')), 'x') === step(sym('x')); // true
 * ```
 */
export const step = (a: ExprLike): Expr => call('step', a);
/**
 * -1, 0 or 1: the derivative of abs (0 at 0). Derivatives produce it; its own derivative is 0.
 * @example
 * ```ts
 * diff(abs(sym('x')), 'x') === sign(sym('x')); // true
 * ```
 */
export const sign = (a: ExprLike): Expr => call('sign', a);
/**
 * log(u), and 0 at u = 0: the logarithm in d/dv u^v = u^v · logz(u), so that this derivative is its limit 0 at
 * u = 0 (where log(0) = -∞ would make it 0 · -∞ = NaN). Derivatives produce it; its derivative is 1/u.
 * @example
 * ```ts
 * diff(parse('x^y'), 'y') === mul(logz(sym('x')), parse('x^y')); // true
 * ```
 */
export const logz = (a: ExprLike): Expr => call('logz', a);
/**
 * Inverse sine (NaN outside [-1, 1]).
 * @example
 * ```ts
 * format(diff(asin(sym('x')), 'x')); // '1 / sqrt((x + 1) * (1 - x))'
 * ```
 */
export const asin = (a: ExprLike): Expr => call('asin', a);
/**
 * Inverse cosine (NaN outside [-1, 1]).
 * @example
 * ```ts
 * format(acos(1)); // '0'
 * ```
 */
export const acos = (a: ExprLike): Expr => call('acos', a);
/**
 * Inverse tangent.
 * @example
 * ```ts
 * format(diff(atan(sym('x')), 'x')); // '1 / (x^2 + 1)'
 * ```
 */
export const atan = (a: ExprLike): Expr => call('atan', a);
/**
 * Hyperbolic sine.
 * @example
 * ```ts
 * format(diff(sinh(sym('x')), 'x')); // 'cosh(x)'
 * ```
 */
export const sinh = (a: ExprLike): Expr => call('sinh', a);
/**
 * Hyperbolic cosine.
 * @example
 * ```ts
 * format(diff(cosh(sym('x')), 'x')); // 'sinh(x)'
 * ```
 */
export const cosh = (a: ExprLike): Expr => call('cosh', a);
/**
 * Inverse hyperbolic sine.
 * @example
 * ```ts
 * format(asinh(sym('x'))); // 'asinh(x)'
 * ```
 */
export const asinh = (a: ExprLike): Expr => call('asinh', a);
/**
 * Inverse hyperbolic cosine (NaN below 1).
 * @example
 * ```ts
 * format(acosh(1)); // '0'
 * ```
 */
export const acosh = (a: ExprLike): Expr => call('acosh', a);
/**
 * Inverse hyperbolic tangent (NaN outside [-1, 1]).
 * @example
 * ```ts
 * format(atanh(sym('x'))); // 'atanh(x)'
 * ```
 */
export const atanh = (a: ExprLike): Expr => call('atanh', a);
/**
 * `atan2(y, x)`, the angle of the point (x, y), as Math.atan2.
 * @example
 * ```ts
 * format(diff(atan2(sym('y'), sym('x')), 'y')); // 'x / (x^2 + y^2)'
 * ```
 */
export const atan2 = (y: ExprLike, x: ExprLike): Expr => call2('atan2', y, x);
/**
 * `min(a, b)`; at a tie the derivative is b's (see `FUNCTIONS2`).
 * @example
 * ```ts
 * format(min(sym('x'), 0)); // 'min(x, 0)'
 * ```
 */
export const min = (a: ExprLike, b: ExprLike): Expr => call2('min', a, b);
/**
 * `max(a, b)`; at a tie the derivative is b's, so `max(x, 0)` differentiates as `relu(x)`.
 * @example
 * ```ts
 * format(max(sym('x'), sym('x'))); // 'x'
 * ```
 */
export const max = (a: ExprLike, b: ExprLike): Expr => call2('max', a, b);
