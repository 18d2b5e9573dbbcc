import { addList, log, logz, mulList, pow } from './build.js';
import {
  ONE,
  ZERO,
  type Add,
  type Call,
  type Call2,
  type Expr,
  type Fn2Name,
  type FnName,
  type Mul,
  type Pow,
} from './expr.js';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';

/**
 * One named derivative rule, as JAX keeps one per primitive. `derive(e, d)` returns the derivative of `e` given
 * `d`, the derivatives of `e`'s operands in order (terms, factors, [base, exponent] or [argument]); a rule may
 * assume that not every entry of `d` is zero. Called with a one-hot `d` it gives a partial derivative, which is
 * how `gradient` and `compileGradient` reuse the same table backwards.
 *
 * A rule must be linear in `d`, as every derivative is: where only `d[j]` is not zero, `derive(e, d)` is
 * `derive(e, one-hot j) · d[j]`, the product as the builders make it. `diff` relies on that to keep such products
 * unbuilt along chains (an optimisation that gives the same node, tested as a property over random expressions).
 *
 * @example
 * ```ts
 * diffRules.sin.derive(sin(sym('x')) as Call, [num(1)]) === cos(sym('x')); // true
 * ```
 */
export interface DiffRule<E extends Expr = Expr> {
  /** Shown in derivations: 'product rule', 'exp rule', ... */
  readonly name: string;
  /** The rule in one line, for documentation and the demo. */
  readonly formula: string;
  /** The derivative of `e` from the derivatives `d` of its operands. */
  derive(e: E, d: readonly Expr[]): Expr;
}

/**
 * The table `diff` applies: one rule per node kind (sum, product, power with a constant exponent, general power)
 * and one per function. Pass a modified copy as `diff(e, x, { rules })` to replace a rule.
 *
 * @example
 * ```ts
 * const rules: DiffRules = { ...diffRules, sin: { ...diffRules.sin, derive: (e, d) => mul(cos(e.arg), d[0]) } };
 * ```
 */
export type DiffRules = {
  readonly sum: DiffRule<Add>;
  readonly product: DiffRule<Mul>;
  readonly power: DiffRule<Pow>;
  readonly generalPower: DiffRule<Pow>;
} & { readonly [F in FnName]: DiffRule<Call> } & { readonly [F in Fn2Name]: DiffRule<Call2> };

/**
 * Keys of {@link DiffRules}.
 * @example
 * ```ts
 * const key: DiffRuleKey = 'generalPower';
 * ```
 */
export type DiffRuleKey = keyof DiffRules;

/** True for the constant 0 (either sign): a derivative that contributes nothing. */
export function isZero(e: Expr): boolean {
  return e.kind === 'num' && e.value === 0;
}

/** The chain rule of a function of the table: f'(u) · u'. */
function chain(fn: FnName): DiffRule<Call> {
  const { formula, outer } = FUNCTIONS[fn].derivative;
  return Object.freeze({
    name: `${fn} rule`,
    formula,
    derive: (e: Call, d: readonly Expr[]) => {
      if (isZero(d[0])) return ZERO;
      const f = outer(e);
      // The product with 1 is f itself (as mulList would build it): the partial derivative, asked often.
      return isZero(f) ? ZERO : d[0] === ONE ? f : mulList([f, d[0]]);
    },
  });
}

/** The chain rule of a two-argument function of the table: ∂f/∂u · u' + ∂f/∂v · v'. */
function chain2(fn: Fn2Name): DiffRule<Call2> {
  const { formula, partials } = FUNCTIONS2[fn].derivative;
  return Object.freeze({
    name: `${fn} rule`,
    formula,
    derive: (e: Call2, d: readonly Expr[]) => {
      if (isZero(d[0]) && isZero(d[1])) return ZERO;
      const p = partials(e);
      const terms: Expr[] = [];
      for (let i = 0; i < 2; i++) if (!isZero(d[i]) && !isZero(p[i])) terms.push(mulList([p[i], d[i]]));
      return addList(terms);
    },
  });
}

/** The rules of the sum, product and powers. */
const NODE_RULES = {
  sum: Object.freeze({
    name: 'sum rule',
    formula: "(u + v)' = u' + v'",
    derive: (_e: Add, d: readonly Expr[]) => addList(d.filter((x) => !isZero(x))),
  }),
  product: Object.freeze({
    name: 'product rule',
    formula: "(u · v)' = u' · v + u · v'",
    derive: (e: Mul, d: readonly Expr[]) => {
      const terms: Expr[] = [];
      for (let i = 0; i < d.length; i++) {
        if (isZero(d[i])) continue;
        terms.push(mulList(e.factors.map((f, j) => (j === i ? d[i] : f))));
      }
      return addList(terms);
    },
  }),
  power: Object.freeze({
    name: 'power rule',
    formula: "(u^c)' = c · u^(c - 1) · u'",
    derive: (e: Pow, d: readonly Expr[]) =>
      isZero(d[0]) ? ZERO : mulList([e.exponent, pow(e.base, addList([e.exponent, -1])), d[0]]),
  }),
  generalPower: Object.freeze({
    name: 'general power rule',
    formula: "(u^v)' = u^v · (v' · logz(u) + v · u' / u)",
    derive: (e: Pow, d: readonly Expr[]) => {
      const parts: Expr[] = [];
      // logz is log with logz(0) = 0: at u = 0 the term u^v · logz(u) is its limit 0 (for v >= 0), not 0 · -∞.
      // A base that is a nonzero number never is 0: plain log (d/dx 2^x = 2^x · log(2)).
      const base = e.base;
      const ln = base.kind === 'num' && base.value !== 0 ? log(base) : logz(base);
      if (!isZero(d[1])) parts.push(mulList([d[1], ln]));
      if (!isZero(d[0])) parts.push(mulList([e.exponent, d[0], pow(e.base, -1)]));
      return parts.length === 0 ? ZERO : mulList([e, addList(parts)]);
    },
  }),
};

/**
 * The default derivative rules: the sum, product and power rules, and one chain rule per function of the function
 * tables (`FUNCTIONS` and, with two partials, `FUNCTIONS2`) (whose entry holds the function's derivative). Every function rule applies the chain rule itself (it
 * multiplies by the argument's derivative), so `derive(f(u), [1])` is the outer derivative f'(u).
 *
 * @example
 * ```ts
 * diffRules.product.name; // 'product rule'
 * ```
 */
export const diffRules: DiffRules = Object.freeze({
  ...NODE_RULES,
  ...(Object.fromEntries((Object.keys(FUNCTIONS) as FnName[]).map((fn) => [fn, chain(fn)])) as {
    [F in FnName]: DiffRule<Call>;
  }),
  ...(Object.fromEntries((Object.keys(FUNCTIONS2) as Fn2Name[]).map((fn) => [fn, chain2(fn)])) as {
    [F in Fn2Name]: DiffRule<Call2>;
  }),
});
