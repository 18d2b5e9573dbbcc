import { checkExpr } from './check.js';
import { SymbolicError } from './errors.js';
import { treeSizeOf, type Expr, type Fn2Name, type FnName } from './expr.js';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { signBit, type Fraction } from './layout.js';
import { ATOM, MUL, NEG, POW, Printer, type Printed } from './printer.js';
import { postOrder } from './walk.js';

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi',
  'rho', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi',
  'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
]); // prettier-ignore

/** A variable name in TeX: `x1` and `x_1` → `x_{1}`, `alpha` → `\alpha`, longer names upright. */
function texName(name: string): string {
  const m = /^(.*?)_?(\d+)$/.exec(name);
  const [stem, index] = m !== null && m[1] !== '' ? [m[1], m[2]] : [name, ''];
  let base: string;
  if (GREEK.has(stem)) base = '\\' + stem;
  else if (stem.length === 1) base = stem;
  else base = `\\mathrm{${stem.replace(/[_$]/g, (c) => '\\' + c)}}`;
  return index === '' ? base : `${base}_{${index}}`;
}

function texNumber(v: number): string {
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  const sign = signBit(v) ? '-' : '';
  const m = Math.abs(v);
  if (m === Infinity) return sign + '\\infty';
  if (m === Math.E) return sign + 'e';
  if (m === Math.PI) return sign + '\\pi';
  const [mantissa, exponent] = String(m).split('e');
  return sign + (exponent === undefined ? mantissa : `${mantissa} \\cdot 10^{${Number(exponent)}}`);
}

class TexPrinter extends Printer {
  protected parenthesize(text: string): string {
    return '\\left(' + text + '\\right)';
  }

  protected number(v: number): string {
    return texNumber(v);
  }

  protected variable(name: string): string {
    return texName(name);
  }

  protected call(fn: FnName, arg: string): string {
    return FUNCTIONS[fn].tex(arg);
  }

  protected call2(fn: Fn2Name, a: string, b: string): string {
    return FUNCTIONS2[fn].tex(a, b);
  }

  protected power(base: Expr, exponent: Expr): string {
    return this.wrap(base, ATOM) + '^{' + this.get(exponent).text + '}';
  }

  /** Items of a product joined by `\cdot`; an item needs parentheses only if there is more than one. */
  private product(numbers: readonly string[], factors: readonly Expr[], powers: readonly number[]): string {
    const alone = numbers.length + factors.length === 1;
    let text = numbers.join(' \\cdot ');
    factors.forEach((f, i) => {
      const p = powers[i] ?? 1;
      const item =
        p === 1 ? (alone ? this.get(f).text : this.wrap(f, POW)) : this.wrap(f, ATOM) + '^{' + p + '}';
      text += (text === '' ? '' : ' \\cdot ') + item;
    });
    return text;
  }

  protected fraction(f: Fraction): Printed {
    const negative = signBit(f.coefficient);
    const c = Math.abs(f.coefficient);
    const showC = f.divisor === 0 && (c !== 1 || f.numerator.length === 0);
    const top = this.product(showC ? [texNumber(c)] : [], f.numerator, []);
    const bottom = this.product(
      f.divisor === 0 ? [] : [texNumber(f.divisor)],
      f.denominator.map((d) => d.base),
      f.denominator.map((d) => d.power),
    );
    const text = (negative ? '-' : '') + (bottom === '' ? top : '\\frac{' + top + '}{' + bottom + '}');
    return { text, prec: negative ? NEG : MUL };
  }
}

/**
 * LaTeX for `e`: fractions as `\frac`, products with `\cdot`, `x1` as `x_{1}`.
 *
 * @example
 * ```ts
 * toTex(parse('(exp(2*n) - 1) / (exp(2*n) + 1)')); // '\\frac{\\exp\\left(2 \\cdot n\\right) - 1}{\\exp\\left(2 \\cdot n\\right) + 1}'
 * ```
 */
export function toTex(e: Expr): string {
  const root = checkExpr(e, 'toTex');
  const printer = new TexPrinter();
  try {
    let text = '';
    for (const node of postOrder(root)) text = printer.print(node);
    return text;
  } catch (err) {
    if (err instanceof RangeError) {
      throw new SymbolicError(
        `toTex: the expression stands for a tree of ${treeSizeOf(root)} nodes, too long for a JavaScript string`,
      );
    }
    throw err;
  }
}
