import { checkExpr, checkVariable, describe } from './check.js';
import { SymbolicError } from './errors.js';
import { childrenOf, isExpr, ONE, operandCount, ZERO, type Expr } from './expr.js';
import { isZeroPending, LazyProduct, materialize, times, type Pending } from './product.js';
import { diffRules, isZero, type DiffRule, type DiffRuleKey, type DiffRules } from './rules.js';
import { postOrder } from './walk.js';

/**
 * Options of {@link diff}.
 * @example
 * ```ts
 * diff(parse('sin(x)'), 'x', { rules: { sin: diffRules.sin } });
 * ```
 */
export interface DiffOptions {
  /** Rules to use instead of the defaults ({@link diffRules}); a partial table replaces only the rules it names. */
  rules?: Partial<DiffRules>;
}

/**
 * One step of a derivation: which rule gave `derivative` for `expr`, from the steps of its operands.
 * @example
 * ```ts
 * const s: DiffStep = explainDiff(parse('x*y'), 'x');
 * s.rule; // 'product rule'
 * ```
 */
export interface DiffStep {
  /** 'sum rule', 'product rule', 'power rule', 'general power rule', 'exp rule', ..., 'chain rule', 'constant',
   * 'variable'. */
  readonly rule: string;
  readonly expr: Expr;
  readonly derivative: Expr;
  /** Steps of the operands; for the chain rule, the outer function's rule and then the argument's step. */
  readonly children: readonly DiffStep[];
}

/** The default table with `overrides` on top, checked so that a bad entry fails clearly, not with a TypeError. */
export function ruleTable(overrides: Partial<DiffRules> | undefined, where = 'diff'): DiffRules {
  if (overrides === undefined) return diffRules;
  if (typeof overrides !== 'object' || overrides === null) {
    throw new SymbolicError(`${where}: rules must be an object of named rules, got ${describe(overrides)}`);
  }
  const table = { ...diffRules, ...overrides };
  for (const [key, rule] of Object.entries(table) as [string, DiffRule | undefined][]) {
    if (typeof rule !== 'object' || rule === null || typeof rule.derive !== 'function') {
      throw new SymbolicError(`${where}: rule '${key}' must be an object with a derive(e, d) function`);
    }
  }
  return table;
}

/** Which entry of the table differentiates `node`, given its operands' derivatives `d`. */
export function ruleKeyFor(
  node: Expr,
  d: readonly Expr[],
  variable: string,
): DiffRuleKey | 'constant' | 'variable' {
  switch (node.kind) {
    case 'num':
      return 'constant';
    case 'sym':
      return node.name === variable ? 'variable' : 'constant';
  }
  if (d.every(isZero)) return 'constant';
  switch (node.kind) {
    case 'add':
      return 'sum';
    case 'mul':
      return 'product';
    case 'pow':
      return isZero(d[1]) ? 'power' : 'generalPower';
    case 'call':
    case 'call2':
      return node.fn;
  }
}

/** `rule.derive(node, d)`, with anything a replaced rule does wrong turned into a {@link SymbolicError}. */
export function applyRule(rule: DiffRule, key: string, node: Expr, d: readonly Expr[]): Expr {
  let result: unknown;
  try {
    result = rule.derive(node, d);
  } catch (err) {
    if (err instanceof SymbolicError) throw err;
    throw new SymbolicError(
      `diff: rule '${key}' failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!isExpr(result))
    throw new SymbolicError(`diff: rule '${key}' returned ${describe(result)}, not an Expr`);
  return result;
}

/** `rule.derive(node, one-hot j)`: ∂node/∂(operand j), from the rule itself. */
export function partialByRule(rule: DiffRule, key: string, node: Expr, j: number): Expr {
  const n = operandCount(node);
  let d: Expr[];
  if (n === 1) d = [ONE];
  else if (n === 2) d = j === 0 ? [ONE, ZERO] : [ZERO, ONE];
  else {
    d = new Array<Expr>(n).fill(ZERO);
    d[j] = ONE;
  }
  return applyRule(rule, key, node, d);
}

/**
 * Derivatives with respect to one variable, memoised per node across calls: each node is differentiated once,
 * by one rule, from its operands' derivatives, so the cost and the result are linear in the DAG. Where only one
 * operand's derivative is not zero (the chain rule of a function, a product or sum with one operand that depends
 * on the variable), the rule is linear in it (see {@link DiffRule}), so the derivative is the rule's partial times
 * that derivative; that product is kept unbuilt ({@link LazyProduct}) and built once, where it is needed as an
 * Expr: a chain of n calls then costs O(n log n), not the O(n²) of building every level's flat product. This holds
 * for any rule table, and gives the node the plain application of the rules gives (`lazy = false`).
 */
export class Differentiator {
  private readonly memo = new Map<Expr, Pending>();

  constructor(
    readonly variable: string,
    readonly rules: DiffRules = diffRules,
    /** Keep single-operand products unbuilt (the default); false applies every rule to built derivatives. */
    readonly lazy = true,
  ) {}

  /** d root / d variable. */
  of(root: Expr): Expr {
    const memo = this.memo;
    for (const node of postOrder(root, memo)) {
      if (memo.has(node)) continue;
      memo.set(node, this.differentiateNode(node));
    }
    return this.built(root);
  }

  /** The derivatives of `node`'s operands (which must have been differentiated already). */
  operandDerivatives(node: Expr): Expr[] {
    return childrenOf(node).map((k) => this.built(k));
  }

  /** The memoised derivative of `node` as an Expr (built once, then kept built). */
  private built(node: Expr): Expr {
    const v = this.memo.get(node) as Pending;
    if (!(v instanceof LazyProduct)) return v;
    const e = materialize(v);
    this.memo.set(node, e);
    return e;
  }

  private differentiateNode(node: Expr): Pending {
    const kids = childrenOf(node);
    const d = kids.map((k) => this.memo.get(k) as Pending);
    // A product still to be built is never 0, which is all ruleKeyFor asks of it.
    const key = ruleKeyFor(
      node,
      d.map((v) => (v instanceof LazyProduct ? ONE : v)),
      this.variable,
    );
    if (key === 'constant') return ZERO;
    if (key === 'variable') return ONE;
    const rule = this.rules[key] as DiffRule;
    if (this.lazy) {
      let only = -1;
      for (let i = 0; i < d.length && only !== -2; i++) if (!isZeroPending(d[i])) only = only === -1 ? i : -2;
      if (only >= 0) {
        const local = partialByRule(rule, key, node, only);
        // Deferred only when it is a product to be built; anything else is cheap to build as the rule does.
        const term = isZero(local) ? ZERO : times(local, d[only]);
        if (term instanceof LazyProduct) return term;
      }
    }
    return applyRule(
      rule,
      key,
      node,
      d.map((v, i) => (v instanceof LazyProduct ? this.built(kids[i]) : v)),
    );
  }
}

/**
 * The derivative of `e` with respect to `variable`, by the table of named rules, each node once.
 *
 * @example
 * ```ts
 * diff(parse('x^3'), 'x') === parse('3*x^2'); // true
 * format(diff(parse('sin(x) * y'), 'x')); // 'y * cos(x)'
 * ```
 */
export function diff(e: Expr, variable: string, options: DiffOptions = {}): Expr {
  const root = checkExpr(e, 'diff');
  return new Differentiator(checkVariable(variable, 'diff'), ruleTable(options?.rules)).of(root);
}

/**
 * The derivation of `diff(e, variable)` as a tree of steps, each naming its rule. A shared subexpression has one
 * step object, referenced from every place it is used (so the steps form a DAG as small as `e`'s).
 *
 * @example
 * ```ts
 * const step = explainDiff(parse('exp(2*x)'), 'x');
 * step.rule; // 'chain rule'
 * step.children.map((s) => s.rule); // ['exp rule', 'product rule']
 * ```
 */
export function explainDiff(e: Expr, variable: string, options: DiffOptions = {}): DiffStep {
  const root = checkExpr(e, 'explainDiff');
  const name = checkVariable(variable, 'explainDiff');
  const rules = ruleTable(options?.rules, 'explainDiff');
  const differentiator = new Differentiator(name, rules);
  differentiator.of(root);
  const steps = new Map<Expr, DiffStep>();
  for (const node of postOrder(root)) {
    const d = differentiator.operandDerivatives(node);
    const derivative = differentiator.of(node);
    const key = ruleKeyFor(node, d, name);
    let step: DiffStep;
    if (key === 'constant' || key === 'variable') {
      step = { rule: key, expr: node, derivative, children: [] };
    } else {
      const rule = rules[key] as DiffRule;
      const operands = childrenOf(node).map((k) => steps.get(k) as DiffStep);
      if (node.kind === 'call' && !(node.arg.kind === 'sym' && node.arg.name === name)) {
        const outer = applyRule(rule, key, node, [ONE]);
        const outerStep: DiffStep = Object.freeze({
          rule: rule.name,
          expr: node,
          derivative: outer,
          children: [],
        });
        step = { rule: 'chain rule', expr: node, derivative, children: [outerStep, ...operands] };
      } else {
        step = { rule: rule.name, expr: node, derivative, children: operands };
      }
    }
    Object.freeze(step.children);
    steps.set(node, Object.freeze(step));
  }
  return steps.get(root) as DiffStep;
}
