import { variableNameProblem } from './check.js';
import { tokenize } from './scan.js';

// The lexical rules of names and numbers, in one place: the parser's, and those of any input beside an expression
// that names its variables or gives their values (the CLI's --at, the web page's point boxes).

export { variableNameProblem };

/** A decimal number: an optional sign, digits with an optional point (or a point and digits), an optional exponent. */
const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** A number in another base, as JavaScript and mathjs write them: 0x10, 0b101, 0o17. */
const RADIX = /^[+-]?0([xXbBoO])[0-9a-fA-F.]*$/;

const BASES: Readonly<Record<string, string>> = { x: 'hexadecimal', b: 'binary', o: 'octal' };

/**
 * Why `text` is not a number of the expression language, or undefined if it is one. The grammar is decimal: an
 * optional sign, digits with an optional decimal point, an optional exponent (`1.5`, `-2`, `.5`, `3e-7`). Numbers in
 * another base (`0x10`), `Infinity`, `NaN`, `1_000` and a value past the double range are refused, each with a
 * reason; a number in another base gets a hint with its decimal value.
 *
 * @example
 * ```ts
 * numberProblem('1.5e3'); // undefined
 * numberProblem('0x10'); // "'0x10' is hexadecimal: write it in decimal, 16"
 * ```
 */
export function numberProblem(text: string): string | undefined {
  const t = text.trim();
  if (DECIMAL.test(t)) {
    return Number.isFinite(Number(t)) ? undefined : `'${t}' is too large for a double`;
  }
  const radix = RADIX.exec(t);
  if (radix !== null) {
    const base = BASES[(radix[1] ?? '').toLowerCase()] ?? 'not decimal';
    const digits = t.replace(/^[+-]?0[xXbBoO]/, '');
    const value = Number(t.replace(/^[+-]/, '')) * (t.startsWith('-') ? -1 : 1);
    const hint = digits !== '' && Number.isFinite(value) ? `, ${value}` : '';
    return `'${t}' is ${base}: write it in decimal${hint}`;
  }
  return `'${t}' is not a number`;
}

/**
 * The value of a decimal number (see {@link numberProblem} for the grammar), or undefined where `text` is not one.
 *
 * @example
 * ```ts
 * readNumber(' -2.5e-1 '); // -0.25
 * readNumber('0x10'); // undefined
 * ```
 */
export function readNumber(text: string): number | undefined {
  return numberProblem(text) === undefined ? Number(text.trim()) : undefined;
}

/**
 * The variables written in an expression's source, sorted, each once: the names that are not functions, constants
 * or keywords. This can be more than `variables(parse(src))`, since the builders simplify as they build: in
 * `x/(y - y)` or `(x/x)^2 + w` a variable cancels out, but it was written, so a point may give it a value.
 *
 * @example
 * ```ts
 * writtenVariables('x/(y - y) + sin(θ)'); // ['x', 'y', 'θ']
 * writtenVariables('atan2(y, x) + min(x, 1)'); // ['x', 'y']
 * ```
 */
export function writtenVariables(src: string): string[] {
  const names = new Set<string>();
  const tokens = tokenize(src);
  tokens.forEach((t, k) => {
    // A name right before `(` is a call (`atan2(y, x)`, `ln(x)`): the parser reads it as a function, never as a
    // variable, even where the name alone could name one.
    const called = tokens[k + 1]?.kind === 'op' && tokens[k + 1].text === '(';
    if (t.kind === 'name' && !called && variableNameProblem(t.text) === undefined) names.add(t.text);
  });
  return [...names].sort();
}
