import { ArgumentError, SymbolicError } from './errors.js';
import { FN2_NAMES, FN_NAMES, isExpr, type Expr } from './expr.js';

// Argument checks for the public functions, so a wrong argument from plain JavaScript is a SymbolicError that
// names the function and the problem, never a TypeError from deep inside.

/** A short description of a value that is not what was expected, for error messages. */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object that is not an Expr';
  if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 20 ? x.slice(0, 20) + '…' : x)}`;
  return `${typeof x} ${String(x)}`;
}

/** `e` if it is an interned expression. */
export function checkExpr(e: unknown, where: string): Expr {
  if (!isExpr(e)) throw new SymbolicError(`${where}: expected an Expr, got ${describe(e)}`);
  return e;
}

/** Names the parser reads as something other than a variable, so no variable may have them. */
const RESERVED = new Set<string>([
  'e',
  'pi',
  'π',
  'Infinity',
  'NaN',
  'true',
  'false',
  'null',
  'undefined',
  'mod',
  'to',
  'in',
  'and',
  'or',
  'xor',
  'not',
  ...FN_NAMES,
  ...FN2_NAMES,
]);

// The identifiers mathjs reads as a symbol (its isAlpha/isDigit), so that every variable prints and parses back.
const IDENTIFIER =
  /^[A-Za-z_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F][A-Za-z0-9_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]*$/;

/**
 * Why `name` can never be a variable, or undefined if it can: a variable is an identifier as the parser reads one
 * (letters, including the Latin-1, Greek and letterlike blocks, digits, `_` and `$`, not starting with a digit) that
 * is not a constant, a function or a keyword.
 *
 * @example
 * ```ts
 * variableNameProblem('θ'); // undefined
 * variableNameProblem('sin'); // "'sin' is reserved (a constant, a function or a keyword) and cannot name a variable"
 * ```
 */
export function variableNameProblem(name: string): string | undefined {
  if (!IDENTIFIER.test(name)) {
    return `${JSON.stringify(name)} is not a valid variable name (letters, digits, _ and $, not starting with a digit)`;
  }
  if (RESERVED.has(name)) {
    return `'${name}' is reserved (a constant, a function or a keyword) and cannot name a variable`;
  }
  return undefined;
}

/** `variable` if it is a string that can name a variable ({@link ArgumentError} otherwise: differentiating by a
 * name no expression can contain would silently give 0). */
export function checkVariable(variable: unknown, where: string): string {
  if (typeof variable !== 'string') {
    throw new ArgumentError(
      'variable',
      `${where}: a variable name must be a string, got ${describe(variable)}`,
    );
  }
  const problem = variableNameProblem(variable);
  if (problem !== undefined) throw new ArgumentError('variable', `${where}: ${problem}`);
  return variable;
}

/** `vars` if it is an array of distinct strings. */
export function checkVariables(vars: unknown, where: string): readonly string[] {
  if (!Array.isArray(vars))
    throw new SymbolicError(`${where}: expected an array of variable names, got ${describe(vars)}`);
  const seen = new Set<string>();
  for (const v of vars) {
    checkVariable(v, where);
    if (seen.has(v)) throw new SymbolicError(`${where}: the variable '${v}' is listed twice`);
    seen.add(v);
  }
  return vars;
}
