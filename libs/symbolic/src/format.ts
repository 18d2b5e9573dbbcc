import { checkExpr, describe } from './check.js';
import { SymbolicError } from './errors.js';
import type { DiffStep } from './diff.js';
import { childrenOf, isExpr, treeSizeOf, type Expr, type Fn2Name, type FnName } from './expr.js';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { signBit, type Fraction } from './layout.js';
import { ATOM, MUL, NEG, POW, Printer, type Printed } from './printer.js';
import { variables } from './variables.js';
import { postOrder } from './walk.js';

/**
 * Options of {@link format}.
 * @example
 * ```ts
 * const options: FormatOptions = { cse: true };
 * ```
 */
export interface FormatOptions {
  /** Print each repeated subexpression once, as a numbered temporary on a line of its own (default false). */
  cse?: boolean;
}

/**
 * A number as the parser reads it back to the same double: the shortest round-trip form (JavaScript's), `e` and
 * `pi` for Math.E and Math.PI, `-0` for negative zero.
 *
 * @example
 * ```ts
 * formatNumber(0.1 + 0.2); // '0.30000000000000004'
 * formatNumber(-Math.PI); // '-pi'
 * ```
 */
export function formatNumber(v: number): string {
  if (Object.is(v, -0)) return '-0';
  const m = Math.abs(v);
  const name = m === Math.E ? 'e' : m === Math.PI ? 'pi' : '';
  if (name !== '') return v < 0 ? '-' + name : name;
  return String(v);
}

// Smallest shared subexpression worth a temporary: `exp(2 * n)` is, `x^2` or `-x` are not.
const MIN_TEMP_TREE = 4;

/** Infix as the parser reads it back. */
class InfixPrinter extends Printer {
  protected parenthesize(text: string): string {
    return '(' + text + ')';
  }

  protected number(v: number): string {
    return formatNumber(v);
  }

  protected variable(name: string): string {
    return name;
  }

  protected call(fn: FnName, arg: string): string {
    return FUNCTIONS[fn].infix + '(' + arg + ')';
  }

  protected call2(fn: Fn2Name, a: string, b: string): string {
    return FUNCTIONS2[fn].infix + '(' + a + ', ' + b + ')';
  }

  protected power(base: Expr, exponent: Expr): string {
    // Numbers (also negative: `x^-2`), atoms and powers need no parentheses in an exponent: `^` is
    // right-associative, so `x^y^z` reads back as x^(y^z), and a chain of any length prints without adding a level
    // of parentheses per `^`. Anything else gets them.
    const x =
      exponent.kind === 'num' && !this.opaque(exponent)
        ? formatNumber(exponent.value)
        : this.wrap(exponent, POW);
    return this.wrap(base, ATOM) + '^' + x;
  }

  protected fraction(f: Fraction): Printed {
    const negative = signBit(f.coefficient);
    const c = Math.abs(f.coefficient);
    let text = negative ? '-' : '';
    if (f.numerator.length === 0) {
      text += formatNumber(c);
    } else {
      if (c !== 1 && f.divisor === 0) text += formatNumber(c) + ' * ';
      for (let i = 0; i < f.numerator.length; i++)
        text += (i === 0 ? '' : ' * ') + this.wrap(f.numerator[i], POW);
      if (f.divisor !== 0) text += ' / ' + formatNumber(f.divisor);
    }
    for (const { base, power } of f.denominator) {
      text += ' / ' + (power === 1 ? this.wrap(base, POW) : this.wrap(base, ATOM) + '^' + power);
    }
    return { text, prec: negative ? NEG : MUL };
  }
}

/** Temporaries for `format(e, { cse: true })`: nodes used more than once and big enough to be worth a name. */
function temporaries(order: readonly Expr[], root: Expr): Map<Expr, string> {
  const uses = new Map<Expr, number>();
  for (const node of order) for (const k of childrenOf(node)) uses.set(k, (uses.get(k) ?? 0) + 1);
  // A prefix no variable of the form <prefix><digits> already uses.
  const taken = new Set(variables(root));
  let prefix = 't';
  while ([...taken].some((v) => v.startsWith(prefix) && /^\d+$/.test(v.slice(prefix.length))))
    prefix = '_' + prefix;
  const names = new Map<Expr, string>();
  for (const node of order) {
    if (node !== root && (uses.get(node) ?? 0) > 1 && treeSizeOf(node) >= MIN_TEMP_TREE) {
      names.set(node, prefix + (names.size + 1));
    }
  }
  return names;
}

/**
 * Readable infix: `a - b`, `a / b`, minimal parentheses, numbers in their shortest exact form, so that
 * `parse(format(e)) === e`. With `{ cse: true }`, each repeated subexpression is printed once as a temporary
 * (`t1 = exp(2 * n)` on its own line), and the last line is the expression; that form is for reading, not parsing.
 *
 * @example
 * ```ts
 * format(parse('x*(-1)*y + 2/x')); // '2 / x - x * y'
 * format(expandTanh(parse('tanh(n)')), { cse: true }); // 't1 = exp(2 * n)\n(t1 - 1) / (t1 + 1)'
 * ```
 */
export function format(e: Expr, options: FormatOptions = {}): string {
  const root = checkExpr(e, 'format');
  if (typeof options !== 'object' || options === null) {
    throw new SymbolicError(`format: options must be an object, got ${describe(options)}`);
  }
  const order = postOrder(root);
  const names = options.cse === true ? temporaries(order, root) : new Map<Expr, string>();
  const printer = new InfixPrinter(names);
  try {
    let lines = '';
    let text = '';
    for (const node of order) {
      text = printer.print(node);
      const name = names.get(node);
      if (name !== undefined) lines += name + ' = ' + text + '\n';
    }
    return lines + text;
  } catch (err) {
    if (err instanceof RangeError) {
      throw new SymbolicError(
        `format: the printed expression would exceed the longest string JavaScript allows (it stands for a tree ` +
          `of ${treeSizeOf(root)} nodes); format(e, { cse: true }) prints each shared subexpression once`,
      );
    }
    throw err;
  }
}

/**
 * Options of {@link formatSteps}.
 * @example
 * ```ts
 * const options: FormatStepsOptions = { maxLines: 20, indent: '    ' };
 * ```
 */
export interface FormatStepsOptions {
  /** Most lines printed; a longer derivation ends with a line saying more steps were left out (default 200). */
  maxLines?: number;
  /** What each level of the step tree is indented by (default two spaces). */
  indent?: string;
  /** Longest formula printed in full, in characters; a longer one is cut with `…` (default 200). A formula whose
   * printed tree would exceed 10,000 nodes is not printed at all but described by its size, as printing it would
   * cost time and memory in proportion to that tree. */
  maxChars?: number;
}

/** Largest printed tree formatSteps prints (cut to maxChars) rather than describing its size. */
const MAX_STEP_TREE = 10_000;

/** `e` in one line of at most `maxChars` characters. */
function formula(e: Expr, maxChars: number): string {
  const tree = treeSizeOf(e);
  if (tree > MAX_STEP_TREE) return `… (a formula of ${tree.toPrecision(3)} nodes in print)`;
  const text = format(e);
  return text.length <= maxChars ? text : text.slice(0, Math.max(0, maxChars - 1)) + '…';
}

/**
 * The steps of {@link explainDiff} as an indented tree, one line per step: the rule, then what it differentiates
 * and the result, `product rule: d/dx [x * sin(x)] = cos(x) * x + sin(x)`. The outer function of a chain rule reads
 * `exp rule: d/du exp(u) = exp(2 * x) at u = 2 * x`. The tree is walked without recursion, and printing stops
 * after `maxLines` lines, since a step tree over a shared DAG can be far larger than the DAG; long formulas are
 * cut (see {@link FormatStepsOptions}).
 *
 * @example
 * ```ts
 * formatSteps(explainDiff(parse('exp(2*x)'), 'x'), 'x');
 * // 'chain rule: d/dx [exp(2 * x)] = 2 * exp(2 * x)\n' +
 * // '  exp rule: d/du exp(u) = exp(2 * x) at u = 2 * x\n' +
 * // '  product rule: d/dx [2 * x] = 2\n' + ...
 * ```
 */
export function formatSteps(step: DiffStep, variable: string, options: FormatStepsOptions = {}): string {
  if (!isStep(step))
    throw new SymbolicError(`formatSteps: expected a step of explainDiff, got ${describe(step)}`);
  if (typeof variable !== 'string') {
    throw new SymbolicError(`formatSteps: a variable name must be a string, got ${describe(variable)}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new SymbolicError(`formatSteps: options must be an object, got ${describe(options)}`);
  }
  const { maxLines = 200, indent = '  ', maxChars = 200 } = options;
  for (const [key, v] of [
    ['maxLines', maxLines],
    ['maxChars', maxChars],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 1)) {
      throw new SymbolicError(`formatSteps: ${key} must be a whole number of at least 1, got ${describe(v)}`);
    }
  }
  const text = (e: Expr): string => formula(e, maxChars);
  if (typeof indent !== 'string') {
    throw new SymbolicError(`formatSteps: indent must be a string, got ${describe(indent)}`);
  }
  const lines: string[] = [];
  const stack: { step: DiffStep; depth: number; outer: boolean }[] = [{ step, depth: 0, outer: false }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    if (lines.length === maxLines) {
      lines.push('… (more steps not shown)');
      break;
    }
    const { step: s, depth, outer } = entry;
    const { expr } = s;
    const rest =
      outer && expr.kind === 'call'
        ? `d/du ${expr.fn}(u) = ${text(s.derivative)} at u = ${text(expr.arg)}`
        : `d/d${variable} [${text(expr)}] = ${text(s.derivative)}`;
    lines.push(`${indent.repeat(depth)}${s.rule}: ${rest}`);
    for (let i = s.children.length - 1; i >= 0; i--) {
      // A chain rule's first child is the outer function's rule, applied to its argument u, not to the variable.
      stack.push({ step: s.children[i], depth: depth + 1, outer: s.rule === 'chain rule' && i === 0 });
    }
  }
  return lines.join('\n');
}

function isStep(s: unknown): s is DiffStep {
  if (typeof s !== 'object' || s === null) return false;
  const { rule, expr, derivative, children } = s as Partial<DiffStep>;
  return typeof rule === 'string' && isExpr(expr) && isExpr(derivative) && Array.isArray(children);
}
