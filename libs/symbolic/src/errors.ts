/**
 * Base class of every error this package throws on bad input, so a caller can catch them all at once.
 *
 * @example
 * ```ts
 * try { parse('x +'); } catch (err) { if (err instanceof SymbolicError) console.log(err.message); }
 * ```
 */
export class SymbolicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A value of the wrong type or count passed to a function of this package, or to a function it generated (the
 * functions from `compile` and `compileGradient`); `argument` names the argument, e.g. `'src'` or `'x'`.
 *
 * @example
 * ```ts
 * try { compile(parse('x + y'), ['x', 'y'])(1, 'b' as unknown as number); } catch (err) { if (err instanceof ArgumentError) console.log(err.argument); } // 'y'
 * ```
 */
export class ArgumentError extends SymbolicError {
  /** The argument that was wrong: a parameter's name, or a variable's name for a generated function. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
  }
}

/** How much of a long source line the caret display shows on each side of the problem. */
const WINDOW = 40;

/**
 * A string that cannot be read as an expression. `column` is 1-based, counted in characters of `source`; the
 * message repeats the offending line with a caret under the column.
 *
 * @example
 * ```ts
 * try { parse('sin(x'); } catch (err) { if (err instanceof ParseError) console.log(err.column); } // 6
 * ```
 */
export class ParseError extends SymbolicError {
  /** 1-based position of the problem in `source`. */
  readonly column: number;
  /** The whole string that was parsed. */
  readonly source: string;

  constructor(problem: string, source: string, column: number) {
    super(`${problem} (column ${column})\n${caretLines(source, column)}`);
    this.column = column;
    this.source = source;
  }
}

/**
 * A call of a function outside the op set, such as `max(x, y)`. The message lists the supported functions;
 * `functionName` holds the unknown name.
 *
 * @example
 * ```ts
 * try { parse('max(x, 1)'); } catch (err) { if (err instanceof UnknownFunctionError) console.log(err.functionName); } // 'max'
 * ```
 */
export class UnknownFunctionError extends ParseError {
  /** The name that was called, e.g. `'max'`. */
  readonly functionName: string;

  constructor(name: string, supported: readonly string[], source: string, column: number, hint = '') {
    super(
      `unknown function '${name}'${hint}; the supported functions are ${supported.join(', ')}`,
      source,
      column,
    );
    this.functionName = name;
  }
}

/**
 * Syntax mathjs accepts but the op set does not: assignments, matrices, `x!`, comparisons, strings, ranges, units...
 *
 * @example
 * ```ts
 * try { parse('x!'); } catch (err) { if (err instanceof UnsupportedSyntaxError) console.log(err.column); } // 2
 * ```
 */
export class UnsupportedSyntaxError extends ParseError {}

/**
 * Evaluation or compilation met a variable that was given no value; `variable` holds its name.
 *
 * @example
 * ```ts
 * try { evaluate(parse('x + y'), { x: 1 }); } catch (err) { if (err instanceof UnknownVariableError) console.log(err.variable); } // 'y'
 * ```
 */
export class UnknownVariableError extends SymbolicError {
  /** The variable that had no value. */
  readonly variable: string;

  constructor(name: string, message: string) {
    super(message);
    this.variable = name;
  }
}

/** The source line holding `column` (1-based), cut to a window around it, and a caret line under the column. */
function caretLines(source: string, column: number): string {
  const at = Math.min(Math.max(column - 1, 0), source.length);
  const lineStart = at === 0 ? 0 : source.lastIndexOf('\n', at - 1) + 1;
  let lineEnd = source.indexOf('\n', at);
  if (lineEnd < 0) lineEnd = source.length;
  const from = Math.max(lineStart, at - WINDOW);
  const to = Math.min(lineEnd, at + WINDOW);
  const head = from > lineStart ? '…' : '';
  const tail = to < lineEnd ? '…' : '';
  const text = head + source.slice(from, to).replace(/\t/g, ' ') + tail;
  return `  ${text}\n  ${' '.repeat(head.length + at - from)}^`;
}
