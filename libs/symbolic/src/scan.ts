// A small lexical scan of the source, beside mathjs's parser, for what mathjs does not tell: how deeply the input
// nests (mathjs's recursive descent overflows the stack a few hundred parentheses down), and where in the source
// a construct it accepted but we reject begins (mathjs nodes carry no positions).

/** Most parentheses (of any kind) the parser may meet nested. */
export const MAX_NESTING = 200;
/** Most `^` and unary signs chained without an operand between them, per level of nesting budget. */
const CHAIN_WEIGHT = 10;

/**
 * 0-based index where the input first nests deeper than the parser can take, or -1. With `chains` false, only
 * parentheses and brackets count (more than MAX_NESTING levels). With `chains` true, runs of `^` and unary signs
 * count too, as mathjs's recursive descent spends stack on each of them.
 */
export function tooDeepAt(src: string, chains: boolean): number {
  // Cost in units of one chained `^` or unary sign; a parenthesis costs CHAIN_WEIGHT (mathjs spends about that many
  // more stack frames on it).
  const budget = MAX_NESTING * CHAIN_WEIGHT;
  const runs: number[] = [0];
  let depth = 0;
  let afterOperand = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '"' || (c === "'" && !afterOperand)) {
      i = endOfString(src, i);
      afterOperand = true;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      depth++;
      runs.push(0);
      afterOperand = false;
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth > 0) {
        depth--;
        runs.pop();
      }
      afterOperand = true;
      continue;
    } else if (c === '^' || ((c === '-' || c === '+') && !afterOperand)) {
      runs[runs.length - 1]++;
      afterOperand = false;
    } else if (c === '+' || c === '-' || c === '*' || c === '/' || c === ',' || c === ';') {
      runs[runs.length - 1] = 0;
      afterOperand = false;
    } else {
      afterOperand = /[\w$.\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F'!%]/.test(c);
      continue;
    }
    if (depth > MAX_NESTING) return i;
    if (chains && depth * CHAIN_WEIGHT + runs[runs.length - 1] > budget) return i;
  }
  return -1;
}

function endOfString(src: string, open: number): number {
  const quote = src[open];
  for (let i = open + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === quote) return i;
  }
  return src.length;
}

/** A token of the source: enough of mathjs's lexical rules to find where a construct starts. */
export interface Token {
  readonly text: string;
  /** 0-based. */
  readonly start: number;
  readonly kind: 'number' | 'name' | 'string' | 'op';
}

const OPERATORS = ['>>>', '<<', '>>', '==', '!=', '<=', '>=', '.*', './', '.^', '?.', '??', "'"];
const NAME_START = /[A-Za-z_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]/;
const NAME_PART = /[A-Za-z0-9_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]/;

/** The tokens of `src` (comments and spaces dropped; newlines kept as op tokens, since they separate statements). */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const start = i;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const prev = tokens.length > 0 ? tokens[tokens.length - 1] : undefined;
    const afterOperand =
      prev !== undefined &&
      (prev.kind !== 'op' || prev.text === ')' || prev.text === ']' || prev.text === "'");
    if (c === '"' || (c === "'" && !afterOperand)) {
      i = endOfString(src, i) + 1;
      tokens.push({ text: src.slice(start, i), start, kind: 'string' });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      // 0x10, 0b101, 0o17 (with their digits), or digits, a point and an exponent (1e-7); a name right after a
      // number (2x, 2PI, 1_000) is a token of its own.
      const radix = /^0[xXbBoO]/.test(src.slice(i, i + 2));
      i += radix ? 2 : 1;
      while (i < src.length) {
        const d = src[i];
        if (radix ? /[0-9a-fA-F.]/.test(d) : /[0-9.]/.test(d)) i++;
        else if (!radix && (d === 'e' || d === 'E') && /^[+-]?[0-9]/.test(src.slice(i + 1, i + 3))) {
          i += src[i + 1] === '+' || src[i + 1] === '-' ? 2 : 1;
        } else break;
      }
      tokens.push({ text: src.slice(start, i), start, kind: 'number' });
    } else if (NAME_START.test(c)) {
      i++;
      while (i < src.length && NAME_PART.test(src[i])) i++;
      tokens.push({ text: src.slice(start, i), start, kind: 'name' });
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i)) ?? c;
      i += op.length;
      tokens.push({ text: op, start, kind: 'op' });
    }
  }
  return tokens;
}

/** 1-based column of the first token that satisfies `test`, or 1 if there is none. */
export function columnOf(src: string, test: (t: Token, next: Token | undefined) => boolean): number {
  const tokens = tokenize(src);
  for (let i = 0; i < tokens.length; i++) if (test(tokens[i], tokens[i + 1])) return tokens[i].start + 1;
  return 1;
}

/** The parts of a mathjs node the converter reads; the simple reader below builds the same shapes. */
export interface SyntaxNode {
  readonly type: string;
  readonly op?: string;
  readonly fn?: string | SyntaxNode;
  readonly name?: string;
  readonly args?: readonly SyntaxNode[];
  readonly value?: unknown;
  readonly content?: SyntaxNode;
  readonly isPercentage?: boolean;
}

// Names mathjs reads as something other than a variable (constants, operator words): left to mathjs.
const NOT_VARIABLES = new Set(['Infinity', 'NaN', 'true', 'false', 'null', 'undefined', 'mod', 'to', 'in', 'and',
  'or', 'xor', 'not']); // prettier-ignore

const BINARY: Readonly<Record<string, readonly [fn: string, prec: number]>> = {
  '+': ['add', 1],
  '-': ['subtract', 1],
  '*': ['multiply', 2],
  '/': ['divide', 2],
  '^': ['pow', 4],
};
const UNARY: Readonly<Record<string, string>> = { '-': 'unaryMinus', '+': 'unaryPlus' };
const UNARY_PREC = 3;

interface Operator {
  readonly op: string;
  readonly fn: string;
  readonly prec: number;
  readonly unary: boolean;
}

/** One level of parentheses: a group `( … )`, a call `f( … , … )`, or the whole input. */
interface Frame {
  readonly call: string | undefined;
  readonly operands: SyntaxNode[];
  readonly operators: Operator[];
  readonly args: SyntaxNode[];
}

function newFrame(call: string | undefined): Frame {
  return { call, operands: [], operators: [], args: [] };
}

/** Pop `frame`'s operators while `more(top)` says so, each combining its operands into a node. */
function reduce(frame: Frame, more: (top: Operator) => boolean): void {
  const { operators, operands } = frame;
  while (operators.length > 0 && more(operators[operators.length - 1])) {
    const o = operators.pop() as Operator;
    const right = operands.pop() as SyntaxNode;
    const args = o.unary ? [right] : [operands.pop() as SyntaxNode, right];
    operands.push({ type: 'OperatorNode', op: o.op, fn: o.fn, args, isPercentage: false });
  }
}

/** The finished expression of `frame` (one operand left once every operator is applied). */
function finish(frame: Frame): SyntaxNode {
  reduce(frame, () => true);
  return frame.operands[0];
}

const SIMPLE_NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const SIMPLE_NAME = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const NAME_OR_DIGIT = /[\w$.\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]/;

/**
 * The syntax tree of `src` when it keeps to the plain syntax: numbers, names, `+ - * / ^`, unary signs, calls of
 * `functions`, parentheses, spaces. Read by operator precedence with explicit stacks, so neither a long `^` chain
 * nor a long run of signs recurses; nodes have the shapes mathjs gives them (binary operators left-associative,
 * `^` right-associative and binding tighter than a unary sign: `-x^2` is `-(x^2)`, `x^-y^z` is `x^(-(y^z))`).
 * Anything else (implicit multiplication, comments, newlines, other operators, unknown functions) gives undefined,
 * and mathjs reads it, with its errors.
 */
export function readSimple(src: string, functions: ReadonlySet<string>): SyntaxNode | undefined {
  const frames: Frame[] = [newFrame(undefined)];
  let frame = frames[0];
  let expectOperand = true;
  let i = 0;
  const skipSpaces = (): void => {
    while (i < src.length && (src[i] === ' ' || src[i] === '\t')) i++;
  };
  for (skipSpaces(); i < src.length; skipSpaces()) {
    const c = src[i];
    if (expectOperand) {
      if (c === '-' || c === '+') {
        frame.operators.push({ op: c, fn: UNARY[c], prec: UNARY_PREC, unary: true });
        i++;
      } else if (c === '(') {
        frames.push((frame = newFrame(undefined)));
        i++;
      } else if ((c >= '0' && c <= '9') || c === '.') {
        SIMPLE_NUMBER.lastIndex = i;
        const m = SIMPLE_NUMBER.exec(src);
        if (m === null) return undefined;
        i += m[0].length;
        if (i < src.length && NAME_OR_DIGIT.test(src[i])) return undefined;
        frame.operands.push({ type: 'ConstantNode', value: Number(m[0]) });
        expectOperand = false;
      } else {
        SIMPLE_NAME.lastIndex = i;
        const m = SIMPLE_NAME.exec(src);
        if (m === null) return undefined;
        const name = m[0];
        i += name.length;
        if (i < src.length && NAME_OR_DIGIT.test(src[i])) return undefined;
        skipSpaces();
        if (src[i] === '(') {
          if (!functions.has(name)) return undefined;
          frames.push((frame = newFrame(name)));
          i++;
          continue;
        }
        if (NOT_VARIABLES.has(name) || functions.has(name)) return undefined;
        frame.operands.push({ type: 'SymbolNode', name });
        expectOperand = false;
      }
      continue;
    }
    const binary = BINARY[c];
    if (binary !== undefined) {
      if (c === '*' && src[i + 1] === '*') return undefined;
      const [fn, prec] = binary;
      // Left-associative operators take what binds at least as tightly; `^` (right-associative) only tighter.
      reduce(frame, (top) => (fn === 'pow' ? top.prec > prec : top.prec >= prec));
      frame.operators.push({ op: c, fn, prec, unary: false });
      expectOperand = true;
      i++;
    } else if (c === ',' && frame.call !== undefined) {
      frame.args.push(finish(frame));
      frame.operands.length = 0;
      expectOperand = true;
      i++;
    } else if (c === ')' && frames.length > 1) {
      const done = frames.pop() as Frame;
      const last = finish(done);
      frame = frames[frames.length - 1];
      frame.operands.push(
        done.call === undefined
          ? { type: 'ParenthesisNode', content: last }
          : { type: 'FunctionNode', fn: { type: 'SymbolNode', name: done.call }, args: [...done.args, last] },
      );
      i++;
    } else {
      return undefined;
    }
  }
  return expectOperand || frames.length > 1 ? undefined : finish(frame);
}
