// A small lexical scan of the source, beside mathjs's parser, for what mathjs does not tell: how deeply the input
// nests (mathjs's recursive descent overflows the stack a few hundred parentheses down), and where in the source
// a construct it accepted but we reject begins (mathjs nodes carry no positions).

/** Most parentheses (of any kind) the parser may meet nested. */
export const MAX_NESTING = 200;
/** Most `^` and unary signs chained without an operand between them, per level of nesting budget. */
const CHAIN_WEIGHT = 10;

/** 0-based index where the input first nests deeper than the parser can take, or -1. */
export function tooDeepAt(src: string): number {
  // Cost in units of one chained `^` or unary sign; a parenthesis costs CHAIN_WEIGHT (mathjs spends about that many
  // more stack frames on it).
  const budget = MAX_NESTING * CHAIN_WEIGHT;
  const chains: number[] = [0];
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
      chains.push(0);
      afterOperand = false;
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth > 0) {
        depth--;
        chains.pop();
      }
      afterOperand = true;
      continue;
    } else if (c === '^' || ((c === '-' || c === '+') && !afterOperand)) {
      chains[chains.length - 1]++;
      afterOperand = false;
    } else if (c === '+' || c === '-' || c === '*' || c === '/' || c === ',' || c === ';') {
      chains[chains.length - 1] = 0;
      afterOperand = false;
    } else {
      afterOperand = /[\w$.\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F'!%]/.test(c);
      continue;
    }
    if (depth * CHAIN_WEIGHT + chains[chains.length - 1] > budget) return i;
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
      i++;
      while (i < src.length && /[0-9a-zA-Z.]/.test(src[i])) {
        // An exponent's sign belongs to the number: 1e-7.
        if ((src[i] === 'e' || src[i] === 'E') && (src[i + 1] === '+' || src[i + 1] === '-')) i++;
        i++;
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
