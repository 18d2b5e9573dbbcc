import { checkExpr } from './check.js';
import { SymbolicError } from './errors.js';
import { treeSizeOf, type Expr, type FnName } from './expr.js';
import { fractionOf, isNegative, signBit, termsInPrintOrder, type Fraction } from './layout.js';
import { postOrder } from './walk.js';

const ADD = 1;
const MUL = 2;
const NEG = 3;
const POW = 4;
const ATOM = 5;

interface Printed {
  readonly text: string;
  readonly prec: number;
}

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi',
  'rho', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi',
  'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
]); // prettier-ignore

const FUNCTIONS: Readonly<Record<FnName, string>> = {
  exp: '\\exp',
  log: '\\log',
  sqrt: '',
  sin: '\\sin',
  cos: '\\cos',
  tanh: '\\tanh',
  sigmoid: '\\sigma',
  relu: '\\operatorname{relu}',
  abs: '',
  step: '\\operatorname{step}',
  sign: '\\operatorname{sign}',
};

/** A variable name in TeX: `x1` → `x_{1}`, `alpha` → `\alpha`, longer names upright. */
function texName(name: string): string {
  const m = /^(.*?)(\d+)$/.exec(name);
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

class TexPrinter {
  private readonly memo = new Map<Expr, Printed>();
  private readonly opaque = (): boolean => false;

  print(node: Expr): string {
    const printed = this.printNode(node);
    this.memo.set(node, printed);
    return printed.text;
  }

  private get(e: Expr): Printed {
    return this.memo.get(e) as Printed;
  }

  private wrap(e: Expr, min: number): string {
    const p = this.get(e);
    return p.prec < min ? '\\left(' + p.text + '\\right)' : p.text;
  }

  private printNode(node: Expr): Printed {
    switch (node.kind) {
      case 'num':
        return { text: texNumber(node.value), prec: signBit(node.value) ? NEG : ATOM };
      case 'sym':
        return { text: texName(node.name), prec: ATOM };
      case 'call': {
        const arg = this.get(node.arg).text;
        if (node.fn === 'sqrt') return { text: '\\sqrt{' + arg + '}', prec: ATOM };
        if (node.fn === 'abs') return { text: '\\left|' + arg + '\\right|', prec: ATOM };
        return { text: FUNCTIONS[node.fn] + '\\left(' + arg + '\\right)', prec: ATOM };
      }
      case 'pow': {
        const x = node.exponent;
        if (x.kind === 'num' && x.value < 0 && Number.isSafeInteger(x.value)) {
          return this.fraction({
            coefficient: 1,
            divisor: 0,
            numerator: [],
            denominator: [{ base: node.base, power: -x.value }],
          });
        }
        return { text: this.wrap(node.base, ATOM) + '^{' + this.get(x).text + '}', prec: POW };
      }
      case 'mul':
        return this.fraction(fractionOf(node, this.opaque));
      case 'add': {
        let text = '';
        const terms = termsInPrintOrder(node.terms, this.opaque);
        for (let i = 0; i < terms.length; i++) {
          const t = terms[i];
          if (i === 0) text = this.get(t).text;
          else if (isNegative(t, this.opaque)) text += ' - ' + this.magnitude(t);
          else text += ' + ' + this.get(t).text;
        }
        return { text, prec: ADD };
      }
    }
  }

  private magnitude(t: Expr): string {
    if (t.kind === 'num') return texNumber(-t.value);
    const f = fractionOf(t as Expr & { kind: 'mul' }, this.opaque);
    return this.fraction({ ...f, coefficient: -f.coefficient }).text;
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

  private fraction(f: Fraction): Printed {
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
