import type { Expr, Fn2Name, FnName } from './expr.js';
import {
  fractionOf,
  isNegative,
  isPrintedReciprocal,
  signBit,
  termsInPrintOrder,
  type Fraction,
} from './layout.js';

// Binding strength of what a node prints as, weakest first, as the parser (mathjs) reads them.
export const ADD = 1;
export const MUL = 2;
export const NEG = 3;
export const POW = 4;
export const ATOM = 5;

/** A node's text and how strongly it binds. */
export interface Printed {
  readonly text: string;
  readonly prec: number;
}

/**
 * What infix and TeX printing share: children first, each node's text made once, sums read as `a - b` and
 * products as fractions (layout.ts). Texts are concatenated, never joined, so a DAG that stands for a huge tree
 * builds a rope of shared pieces instead of copying them. Subclasses supply the notation.
 */
export abstract class Printer {
  private readonly memo = new Map<Expr, Printed>();
  /** Nodes printed by name (the temporaries of `format(e, { cse: true })`), never taken apart. */
  readonly opaque = (e: Expr): boolean => this.names.has(e);

  constructor(private readonly names: ReadonlyMap<Expr, string> = new Map()) {}

  /** Print `node`; its operands must have been printed. */
  print(node: Expr): string {
    const printed = this.printNode(node);
    this.memo.set(node, printed);
    return printed.text;
  }

  protected get(e: Expr): Printed {
    const name = this.names.get(e);
    return name !== undefined ? { text: name, prec: ATOM } : (this.memo.get(e) as Printed);
  }

  /** `e`'s text, in parentheses if it binds more weakly than `min`. */
  protected wrap(e: Expr, min: number): string {
    const p = this.get(e);
    return p.prec < min ? this.parenthesize(p.text) : p.text;
  }

  protected abstract parenthesize(text: string): string;
  protected abstract number(v: number): string;
  protected abstract variable(name: string): string;
  protected abstract call(fn: FnName, arg: string): string;
  protected abstract call2(fn: Fn2Name, a: string, b: string): string;
  /** `base ^ exponent` (not a reciprocal: those print as fractions). */
  protected abstract power(base: Expr, exponent: Expr): string;
  protected abstract fraction(f: Fraction): Printed;

  private printNode(node: Expr): Printed {
    switch (node.kind) {
      case 'num':
        return { text: this.number(node.value), prec: signBit(node.value) ? NEG : ATOM };
      case 'sym':
        return { text: this.variable(node.name), prec: ATOM };
      case 'call':
        return { text: this.call(node.fn, this.get(node.arg).text), prec: ATOM };
      case 'call2':
        return {
          text: this.call2(node.fn, this.get(node.args[0]).text, this.get(node.args[1]).text),
          prec: ATOM,
        };
      case 'pow': {
        const x = node.exponent;
        if (x.kind === 'num' && isPrintedReciprocal(x.value)) {
          const denominator = [{ base: node.base, power: -x.value }];
          return this.fraction({ coefficient: 1, divisor: 0, numerator: [], denominator });
        }
        return { text: this.power(node.base, x), prec: POW };
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

  /** A negative term without its sign, to follow ` - `. */
  private magnitude(t: Expr): string {
    if (t.kind === 'num') return this.number(-t.value);
    const f = fractionOf(t as Expr & { kind: 'mul' }, this.opaque);
    return this.fraction({ ...f, coefficient: -f.coefficient }).text;
  }
}
