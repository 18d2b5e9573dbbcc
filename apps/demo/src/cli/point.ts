import { numberProblem, variableNameProblem } from '@crossgrad/symbolic';

import { UsageError } from './usage-error.js';

/** The example each option's message shows. */
const EXAMPLE: Readonly<Record<string, string>> = { '--at': 'x=1,y=2', '--start': 'b1=500,b2=1e-4' };

/**
 * Reads a point given as `name=value` pairs separated by commas, e.g. `x=1.5,y=-2,z=1e-3`. Names and numbers follow
 * symbolic's lexical rules, the parser's, as the web page's point boxes do: a name may use letters beyond ASCII
 * (`θ=1`) but not a constant's or a function's (`π`, `sin`); values are decimal numbers only: `0x10`, `0b1`,
 * `Infinity` and `1_000` are refused (a number in another base with its decimal value as a hint), not read as 16, 1,
 * a non-finite or a name.
 *
 * `option` names the option in messages: `--at` (the default) or `--start`.
 *
 * @throws UsageError when a pair is malformed, a name repeats or a value is not a finite decimal number.
 * @example
 * ```ts
 * parsePoint('x=1,y=2'); // { x: 1, y: 2 }
 * parsePoint('b1=500,b2=1e-4', '--start'); // { b1: 500, b2: 0.0001 }
 * ```
 */
export function parsePoint(text: string, option = '--at'): Record<string, number> {
  const point: Record<string, number> = {};
  const pairs = text.split(',');
  for (const raw of pairs) {
    const pair = raw.trim();
    const eq = pair.indexOf('=');
    if (eq < 0) {
      throw new UsageError(
        `bad ${option} '${text}': '${pair}' is not name=value (example: ${option} ${EXAMPLE[option] ?? 'x=1,y=2'})`,
      );
    }
    const name = pair.slice(0, eq).trim();
    const valueText = pair.slice(eq + 1).trim();
    const nameProblem = variableNameProblem(name);
    if (nameProblem !== undefined) {
      // A well-formed name that the parser reads as something else says so; a malformed one needs no reason.
      const why = nameProblem.includes('reserved')
        ? ' (it is reserved: a constant, a function or a keyword)'
        : '';
      throw new UsageError(`bad ${option} '${text}': '${name}' is not a variable name${why}`);
    }
    if (Object.hasOwn(point, name)) {
      throw new UsageError(`bad ${option} '${text}': ${name} is given twice`);
    }
    const valueProblem = numberProblem(valueText);
    if (valueProblem !== undefined)
      throw new UsageError(`bad ${option} '${text}': ${valueProblem} (for ${name})`);
    point[name] = Number(valueText);
  }
  return point;
}

/**
 * Checks that a point gives exactly the variables an expression uses, naming what is missing or unknown.
 *
 * @throws UsageError listing the missing names, or the names the expression does not use.
 * @example
 * ```ts
 * checkPointCovers({ x: 1 }, ['x', 'y']); // throws: missing value for y in --at ...
 * ```
 */
export function checkPointCovers(
  point: Readonly<Record<string, number>>,
  variables: readonly string[],
  option = '--at',
): void {
  const uses = variables.length === 0 ? 'no variables' : variables.join(', ');
  const missing = variables.filter((v) => !Object.hasOwn(point, v));
  if (missing.length > 0) {
    const noun = missing.length === 1 ? 'value' : 'values';
    throw new UsageError(
      `missing ${noun} for ${missing.join(', ')} in ${option} (the expression uses ${uses})`,
    );
  }
  const unknown = Object.keys(point).filter((name) => !variables.includes(name));
  if (unknown.length > 0) {
    const noun = unknown.length === 1 ? 'variable' : 'variables';
    throw new UsageError(`unknown ${noun} ${unknown.join(', ')} in ${option} (the expression uses ${uses})`);
  }
}
