import { addList, call, call2, div, log, mulList, neg, num, pow, sym } from './build.js';
import { describe } from './check.js';
import {
  ArgumentError,
  ParseError,
  SymbolicError,
  UnknownFunctionError,
  UnsupportedSyntaxError,
} from './errors.js';
import { FN2_NAMES, FN_NAMES, type Expr, type Fn2Name, type FnName } from './expr.js';
import { numberProblem } from './lexical.js';
import {
  columnOf,
  MAX_NESTING,
  readSimple,
  tokenize,
  tooDeepAt,
  type SyntaxNode,
  type Token,
} from './scan.js';

/** The parts of a mathjs node this module reads (mathjs's own types are wider than needed). */
type MathNode = SyntaxNode;

interface MathjsParser {
  parse(src: string): MathNode;
}

let mathjs: MathjsParser | undefined;

/** Node's `process`, where there is one: enough of it to load a module synchronously. */
const nodeProcess = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;

/**
 * Load the parser (mathjs's number-only build, which loads in about half the time of the full one) with an ESM
 * `import()`. {@link parse} stays synchronous: in Node it loads mathjs itself on first use when this was not
 * awaited; in a browser, await this once before the first `parse`. Loading only on demand keeps importing this
 * package fast (mathjs takes a few hundred milliseconds to load).
 *
 * @example
 * ```ts
 * await loadParser();
 * format(parse('x^2 + 1')); // 'x^2 + 1'
 * ```
 */
export async function loadParser(): Promise<void> {
  mathjs ??= (await import('mathjs/number')) as MathjsParser;
}

function parser(): MathjsParser {
  if (mathjs !== undefined) return mathjs;
  // Node without a preceding loadParser(): a synchronous require through the built-in module loader, found at run
  // time so that no Node-only import reaches a browser bundle.
  const modules = nodeProcess?.getBuiltinModule?.('module') as
    { createRequire(from: string): (id: string) => unknown } | undefined;
  if (modules === undefined) {
    throw new SymbolicError(
      'parse: the parser is not loaded; await loadParser() once before the first parse',
    );
  }
  mathjs = modules.createRequire(import.meta.url)('mathjs/number') as MathjsParser;
  return mathjs;
}

// Other spellings people paste, read as the function they name; printing stays canonical (`log`, `atan`, `^`).
const ALIASES: Readonly<Record<string, FnName>> = {
  ln: 'log',
  arcsin: 'asin',
  arccos: 'acos',
  arctan: 'atan',
  arsinh: 'asinh',
  arcosh: 'acosh',
  artanh: 'atanh',
  arcsinh: 'asinh',
  arccosh: 'acosh',
  arctanh: 'atanh',
};

/** Every function name a source may call: the one-argument and two-argument functions, `pow(a, b)` for
 * `a ^ b`, and the aliases. */
const FUNCTIONS = new Set<string>([...FN_NAMES, ...FN2_NAMES, 'pow', ...Object.keys(ALIASES)]);
const TWO_ARGUMENTS = new Set<string>(FN2_NAMES);

/**
 * Every name `parse` reads as a function, in the order error messages list them: the functions, `pow`, then the
 * aliases (`ln` for log; `arcsin`, `arccos`, `arctan`, `arsinh`, `arcosh`, `artanh` and the `arc…h` spellings).
 *
 * @example
 * ```ts
 * PARSER_FUNCTIONS.includes('ln'); // true
 * ```
 */
export const PARSER_FUNCTIONS: readonly string[] = Object.freeze([...FUNCTIONS]);

// Hints for names people reach for.
const HINTS: Readonly<Record<string, string>> = {
  exp2: ' (write 2^x)',
  log10: ' (write log(x, 10))',
  log2: ' (write log(x, 2))',
  arctan2: ' (write atan2(y, x))',
  hypot: ' (write sqrt(x^2 + y^2))',
};

// What each unsupported mathjs construct is called, and the tokens where it can start in the source.
const OPERATORS: Readonly<Record<string, readonly [string, readonly string[]]>> = {
  factorial: ['the factorial operator !', ['!']],
  ctranspose: ["the transpose operator '", ["'"]],
  transpose: ["the transpose operator '", ["'"]],
  mod: ['the modulo operator', ['%', 'mod']],
  smaller: ['comparison <', ['<']],
  larger: ['comparison >', ['>']],
  smallerEq: ['comparison <=', ['<=']],
  largerEq: ['comparison >=', ['>=']],
  equal: ['comparison ==', ['==']],
  unequal: ['comparison !=', ['!=']],
  and: ['the logical operator and', ['and']],
  or: ['the logical operator or', ['or']],
  xor: ['the logical operator xor', ['xor']],
  not: ['the logical operator not', ['not']],
  bitAnd: ['the bitwise operator &', ['&']],
  bitOr: ['the bitwise operator |', ['|']],
  bitXor: ['the bitwise operator ^|', ['^|']],
  bitNot: ['the bitwise operator ~', ['~']],
  leftShift: ['the shift operator <<', ['<<']],
  rightArithShift: ['the shift operator >>', ['>>']],
  rightLogShift: ['the shift operator >>>', ['>>>']],
  dotMultiply: ['the element-wise operator .*', ['.*']],
  dotDivide: ['the element-wise operator ./', ['./']],
  dotPow: ['the element-wise operator .^', ['.^']],
  to: ['unit conversion', ['to', 'in']],
  nullish: ['the operator ??', ['??']],
};

const CONSTRUCTS: Readonly<Record<string, readonly [string, readonly string[]]>> = {
  AccessorNode: ['indexing and property access', ['[', '.', '?.']],
  IndexNode: ['indexing', ['[']],
  ArrayNode: ['matrices', ['[']],
  AssignmentNode: ['assignment', ['=']],
  FunctionAssignmentNode: ['function definition', ['=']],
  BlockNode: ['several expressions', [';', '\n']],
  ConditionalNode: ['the conditional operator ?:', ['?']],
  ObjectNode: ['objects', ['{']],
  RangeNode: ['ranges', [':']],
  RelationalNode: ['chained comparisons', ['<', '>', '<=', '>=', '==', '!=']],
};

/** Errors for one source string; each finds its column from the source text. */
class Problems {
  constructor(readonly src: string) {}

  /** `problem` at the first token `test` accepts. */
  at(problem: string, test: (t: Token, next: Token | undefined) => boolean): UnsupportedSyntaxError {
    return new UnsupportedSyntaxError(problem, this.src, columnOf(this.src, test));
  }

  /** A construct outside the op set, at the first of the tokens it can start with. */
  unsupported(what: string, anchors: readonly string[]): UnsupportedSyntaxError {
    return this.at(`${what} ${what.endsWith('s') ? 'are' : 'is'} not supported`, (t) =>
      anchors.includes(t.text),
    );
  }

  /** `problem` where `name` occurs called (`name(`) or bare. */
  atName(problem: string, name: string, called: boolean): UnsupportedSyntaxError {
    return this.at(
      problem,
      (t, next) => t.kind === 'name' && t.text === name && (next?.text === '(') === called,
    );
  }

  unknownFunction(name: string): UnknownFunctionError {
    const column = columnOf(
      this.src,
      (t, next) => t.kind === 'name' && t.text === name && next?.text === '(',
    );
    return new UnknownFunctionError(name, PARSER_FUNCTIONS, this.src, column, HINTS[name] ?? '');
  }
}

/** A chain `a ± b ± c` (or of `*` and `/`) of one precedence level, read without recursion: operands in order and
 * which of them carry the second operator (minus, or divide). */
function chainOf(
  node: MathNode,
  plain: string,
  inverse: string,
): { operands: MathNode[]; inverted: boolean[] } {
  const operands: MathNode[] = [];
  const inverted: boolean[] = [];
  let at = node;
  while (
    at.type === 'OperatorNode' &&
    (at.fn === plain || at.fn === inverse) &&
    at.args?.length === 2 &&
    at.isPercentage !== true
  ) {
    operands.push(at.args[1]);
    inverted.push(at.fn === inverse);
    at = at.args[0];
  }
  operands.push(at);
  inverted.push(false);
  return { operands: operands.reverse(), inverted: inverted.reverse() };
}

type Task = MathNode | { readonly count: number; readonly build: (values: readonly Expr[]) => Expr };

function isNode(task: Task): task is MathNode {
  return 'type' in task;
}

/** mathjs's tree → Expr, with an explicit stack (a 1 MB `x+x+...` is a chain 500,000 deep). */
function convert(root: MathNode, problems: Problems): Expr {
  const tasks: Task[] = [root];
  const values: Expr[] = [];
  // Children are pushed after their builder, in reverse, so they are converted first and in order.
  const later = (
    count: number,
    build: (values: readonly Expr[]) => Expr,
    children: readonly MathNode[],
  ): void => {
    tasks.push({ count, build });
    for (let i = children.length - 1; i >= 0; i--) tasks.push(children[i]);
  };
  while (tasks.length > 0) {
    const task = tasks.pop() as Task;
    if (!isNode(task)) {
      const args = values.splice(values.length - task.count, task.count);
      values.push(task.build(args));
      continue;
    }
    switch (task.type) {
      case 'ParenthesisNode':
        tasks.push(task.content as MathNode);
        break;
      case 'ConstantNode':
        if (typeof task.value !== 'number') throw constantProblem(task.value, problems);
        values.push(num(task.value));
        break;
      case 'SymbolNode':
        values.push(symbolOf(task.name as string, problems));
        break;
      case 'OperatorNode':
        operator(task, later, problems);
        break;
      case 'FunctionNode':
        functionCall(task, later, problems);
        break;
      default: {
        const [what, anchors] = CONSTRUCTS[task.type] ?? [`the construct ${task.type}`, []];
        throw problems.unsupported(what, anchors);
      }
    }
  }
  return values[0];
}

type Later = (count: number, build: (values: readonly Expr[]) => Expr, children: readonly MathNode[]) => void;

function operator(node: MathNode, later: Later, problems: Problems): void {
  const args = node.args ?? [];
  if (node.isPercentage === true) throw problems.unsupported('percentages', ['%']);
  switch (node.fn) {
    case 'add':
    case 'subtract': {
      if (args.length !== 2) break;
      const { operands, inverted } = chainOf(node, 'add', 'subtract');
      later(operands.length, (vs) => addList(vs.map((v, i) => (inverted[i] ? neg(v) : v))), operands);
      return;
    }
    case 'multiply':
    case 'divide': {
      if (args.length !== 2) break;
      const { operands, inverted } = chainOf(node, 'multiply', 'divide');
      later(operands.length, (vs) => mulList(vs.map((v, i) => (inverted[i] ? pow(v, -1) : v))), operands);
      return;
    }
    case 'unaryMinus':
      later(1, (vs) => neg(vs[0]), args);
      return;
    case 'unaryPlus':
      later(1, (vs) => vs[0], args);
      return;
    case 'pow':
      later(2, (vs) => pow(vs[0], vs[1]), args);
      return;
  }
  const fn = typeof node.fn === 'string' ? node.fn : '';
  const [what, anchors] = OPERATORS[fn] ?? [`the operator ${node.op ?? fn}`, [node.op ?? fn]];
  throw problems.unsupported(what, anchors);
}

function functionCall(node: MathNode, later: Later, problems: Problems): void {
  const callee = node.fn as MathNode | undefined;
  if (callee?.type !== 'SymbolNode' || typeof callee.name !== 'string') {
    throw problems.unsupported('calling the value of an expression', ['(']);
  }
  const written = callee.name;
  const args = node.args ?? [];
  if (!FUNCTIONS.has(written)) throw problems.unknownFunction(written);
  if (written === 'pow' || TWO_ARGUMENTS.has(written)) {
    if (args.length !== 2) {
      const shape =
        written === 'pow' ? 'pow(a, b) for a^b' : written === 'atan2' ? 'atan2(y, x)' : `${written}(a, b)`;
      throw problems.atName(`${written} takes 2 arguments (${shape}), got ${args.length}`, written, true);
    }
    if (written === 'pow') later(2, (vs) => pow(vs[0], vs[1]), args);
    else later(2, (vs) => call2(written as Fn2Name, vs[0], vs[1]), args);
    return;
  }
  const name = ALIASES[written] ?? written;
  if (name === 'log' && args.length === 2) {
    later(2, (vs) => div(log(vs[0]), log(vs[1])), args);
    return;
  }
  if (args.length !== 1) {
    const takes = name === 'log' ? '1 argument (or 2: log(x, base))' : '1 argument';
    throw problems.atName(`${written} takes ${takes}, got ${args.length}`, written, true);
  }
  later(1, (vs) => call(name as FnName, vs[0]), args);
}

// Spellings of the constants that would otherwise silently become variables.
const CONSTANT_HINTS: Readonly<Record<string, string>> = {
  E: "write e for Euler's number",
  PI: 'write pi for π',
};

function symbolOf(name: string, problems: Problems): Expr {
  if (name === 'e') return num(Math.E);
  if (name === 'pi' || name === 'π') return num(Math.PI);
  const hint = CONSTANT_HINTS[name];
  if (hint !== undefined) {
    throw problems.atName(
      `'${name}' is not a variable name here: ${hint} (names are case-sensitive)`,
      name,
      false,
    );
  }
  if (FUNCTIONS.has(name)) {
    throw problems.atName(`'${name}' is a function: write ${name}(...)`, name, false);
  }
  try {
    return sym(name);
  } catch (err) {
    if (!(err instanceof SymbolicError)) throw err;
    throw problems.atName(`'${name}' cannot name a variable`, name, false);
  }
}

function constantProblem(value: unknown, problems: Problems): UnsupportedSyntaxError {
  if (typeof value === 'string') return problems.at('strings are not supported', (t) => t.kind === 'string');
  return problems.unsupported(`the constant ${String(value)}`, [String(value)]);
}

/**
 * Read an expression: the usual math syntax (`tanh(x1*w1 + x2*w2 + b)`, `x^2`, `e^(2*n)`, `2x`, `-x`). `e` and
 * `pi` are constants and `e^u` is `exp(u)`; `E` and `PI` are refused (with a hint) rather than read as variables;
 * `log` is natural, and `log(x, b)` is `log(x) / log(b)`. Anything outside the op set is an
 * `a ** b` is `a ^ b` (same precedence, right-associative, so `-x ** 2` is `-(x^2)`), `pow(a, b)` is `a ^ b`,
 * `ln` is `log`, and `arcsin`, `arccos`, `arctan`, `arsinh`, `arcosh`, `artanh` are `asin` … `atanh`; printing
 * stays canonical. `atan2(y, x)`, `min(a, b)` and `max(a, b)` take two arguments. Anything outside the op set is an
 * {@link UnsupportedSyntaxError} or an {@link UnknownFunctionError}, and bad syntax a {@link ParseError}, each with
 * the column and a caret. At most 200 levels of parentheses; chains of `^` and of signs may be of any length in
 * the plain syntax (numbers, names, `+ - * / ^`, calls, parentheses), which is read without recursion; other
 * input goes through mathjs's parser, whose recursion limits a chain to about 2,000 `^`.
 *
 * @example
 * ```ts
 * parse('x*y') === parse('y*x'); // true
 * format(parse('e^(2*n) - 2x')); // 'exp(2 * n) - 2 * x'
 * ```
 */
export function parse(src: string): Expr {
  if (typeof src !== 'string') {
    throw new ArgumentError(
      'src',
      `parse: expected a string, got ${src === undefined ? 'undefined' : describe(src)}`,
    );
  }
  if (src.trim() === '') throw new ParseError('empty expression', src, 1);
  const deep = tooDeepAt(src, false);
  if (deep >= 0) {
    throw new ParseError(
      `the expression nests too deeply (at most ${MAX_NESTING} levels of parentheses)`,
      src,
      deep + 1,
    );
  }
  const problems = new Problems(src);
  // `**` becomes `^` in place (two characters for two), so every column still points into `src`.
  const text = powersAsCarets(src);
  let tree = readSimple(text, FUNCTIONS);
  if (tree === undefined) {
    lexicalProblems(src);
    const chained = tooDeepAt(text, true);
    if (chained >= 0) {
      throw new ParseError(
        'too many ^ or signs in a row for the parser with implicit multiplication or other syntax ' +
          '(write products with *: the plain syntax reads chains of any length)',
        src,
        chained + 1,
      );
    }
    try {
      tree = parser().parse(text);
    } catch (err) {
      throw fromMathjs(err, src);
    }
  }
  return convert(tree, problems);
}

/** `src` with each `**` (two adjacent `*` tokens, not inside a string) written `^ `: the same length, so columns
 * stay those of `src`. */
function powersAsCarets(src: string): string {
  if (!src.includes('**')) return src;
  const tokens = tokenize(src);
  let out = '';
  let from = 0;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [t, next] = [tokens[i], tokens[i + 1]];
    if (t.text === '*' && next.text === '*' && next.start === t.start + 1) {
      out += src.slice(from, t.start) + '^ ';
      from = t.start + 2;
      i++;
    }
  }
  return out + src.slice(from);
}

/** Habits from other languages that mathjs would misread or report vaguely. */
function lexicalProblems(src: string): void {
  const tokens = tokenize(src);
  // Numbers in another base: mathjs reads 0x10 as 16, the point's inputs refuse it; the grammar is decimal.
  const radix = tokens.find((t) => t.kind === 'number' && /^0[xXbBoO]/.test(t.text));
  if (radix !== undefined) {
    throw new ParseError(
      numberProblem(radix.text) ?? `'${radix.text}' is not a number`,
      src,
      radix.start + 1,
    );
  }
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [t, next] = [tokens[i], tokens[i + 1]];
    const adjacent = next.start === t.start + t.text.length;
    if (t.kind === 'number' && next.kind === 'name' && adjacent && /^_\d/.test(next.text)) {
      throw new ParseError(
        `'_' between digits is not supported: write ${t.text}${next.text.replace(/_/g, '')} for one number`,
        src,
        next.start + 1,
      );
    }
  }
}

function fromMathjs(err: unknown, src: string): SymbolicError {
  if (err instanceof RangeError) {
    return new ParseError('the expression nests too deeply for the parser', src, 1);
  }
  const message = err instanceof Error ? err.message : String(err);
  const char = (err as { char?: unknown } | null)?.char;
  const column = typeof char === 'number' ? char : 1;
  const problem = message.replace(/ \(char \d+\)$/, '');
  return new ParseError(problem.charAt(0).toLowerCase() + problem.slice(1), src, column);
}
