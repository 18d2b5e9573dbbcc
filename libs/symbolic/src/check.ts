import { SymbolicError } from './errors.js';
import { isExpr, type Expr } from './expr.js';

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

/** `variable` if it is a string. */
export function checkVariable(variable: unknown, where: string): string {
  if (typeof variable !== 'string') {
    throw new SymbolicError(`${where}: a variable name must be a string, got ${describe(variable)}`);
  }
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
