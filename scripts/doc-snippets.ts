/**
 * The documentation's code, checked as a reader would use it. Every Markdown file of the repository is read; each
 * ```ts block runs as a standalone ES module (its own imports, `@crossgrad/*` resolved to the workspace sources by
 * the `@crossgrad/source` condition), and each value a comment shows is compared with what the code gives. The
 * conventions are in ARCHITECTURE.md ("Documentation that runs"); apps/demo/test/docs.test.ts runs this inside
 * `npm test`, and the ```console blocks of the CLI there.
 *
 * Run by hand (prints each failure with its file and line, exits 1 on any):
 *
 *   node --import tsx --conditions=@crossgrad/source scripts/doc-snippets.ts [FILE.md ...] [--typecheck]
 *
 * (`--report FILE` writes the results as JSON instead, for the test.)
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';

import ts from 'typescript';

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Folders never searched for documentation: installed, built or generated output. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  'dist',
  'dist-web',
  'out-tsc',
  '.nx',
  '.git',
  '.test-results',
]);

/** Where the ts blocks are written to run: inside the repository, so `@crossgrad/*` resolves as in a project. */
export const snippetFolder = join(repoRoot, 'node_modules', '.cache', 'doc-snippets');

// ---------------------------------------------------------------------------------------------------------------
// Markdown: the fenced blocks and the directives before them
// ---------------------------------------------------------------------------------------------------------------

/** A directive written as an HTML comment on the line before a block (blank lines between are allowed). */
export interface Directive {
  readonly kind: 'no-run' | 'timing';
  readonly reason: string;
}

/** One fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The file, relative to the repository root, with `/` separators. */
  readonly file: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The first word of the info string (`ts`, `console`, `text`, …), lower case; '' for none. */
  readonly lang: string;
  readonly code: string;
  /** The `<!-- doc-test: … -->` directive before the block, if any. */
  readonly directive?: Directive;
  /** For a ts block: the ```text block right after it (only blank lines between), which shows its printed output. */
  readonly output?: { readonly line: number; readonly text: string };
}

/** A problem with the documentation itself (a malformed directive or value comment), named by file and line. */
export class DocSnippetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocSnippetError';
  }
}

const DIRECTIVE = /^<!--\s*doc-test:\s*([\w-]+)\s*(.*?)\s*-->$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)?.*$/;

/** Every `.md` file of the repository (outside installed and generated folders), sorted, relative to `root`. */
export function findMarkdownFiles(root: string = repoRoot): string[] {
  const found: string[] = [];
  const folders = [root];
  while (folders.length > 0) {
    const folder = folders.pop()!;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) folders.push(join(folder, entry.name));
      } else if (entry.isFile() && entry.name.endsWith('.md')) {
        found.push(relative(root, join(folder, entry.name)).split(sep).join('/'));
      }
    }
  }
  return found.sort();
}

/** The fenced blocks of one Markdown text, with their directives and the output block each ts block shows. */
export function parseMarkdown(file: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const raw: { line: number; end: number; lang: string; code: string; directive?: Directive }[] = [];
  let pending: { directive: Directive; line: number } | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const directive = DIRECTIVE.exec(line.trim());
    if (directive) {
      const kind = directive[1]!;
      const reason = directive[2]!.replace(/^[:—–-]\s*/, '');
      if (kind !== 'no-run' && kind !== 'timing') {
        throw new DocSnippetError(
          `${file}:${i + 1}: unknown directive 'doc-test: ${kind}' (no-run or timing)`,
        );
      }
      if (reason === '') {
        throw new DocSnippetError(`${file}:${i + 1}: 'doc-test: ${kind}' needs a reason after it`);
      }
      pending = { directive: { kind, reason }, line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      if (pending && line.trim() !== '') {
        throw new DocSnippetError(
          `${file}:${pending.line}: a doc-test directive must come right before a block`,
        );
      }
      continue;
    }
    const [, indent = '', marks = '', info = ''] = fence;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j += 1) {
      const closing = lines[j]!.trim();
      if (closing.startsWith(marks) && closing.replace(/[`~]/g, '') === '' && closing[0] === marks[0]) break;
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!);
    }
    raw.push({
      line: i + 1,
      end: j + 1,
      lang: info.toLowerCase(),
      code: body.join('\n'),
      ...(pending ? { directive: pending.directive } : {}),
    });
    pending = undefined;
    i = j;
  }
  const blocks: CodeBlock[] = [];
  for (let k = 0; k < raw.length; k += 1) {
    const block = raw[k]!;
    const next = raw[k + 1];
    const adjacent =
      next !== undefined && lines.slice(block.end, next.line - 1).every((l) => l.trim() === '');
    let output: CodeBlock['output'];
    if (isTs(block.lang) && adjacent && next.lang === 'text') {
      output = { line: next.line, text: next.code };
    } else if (isTs(block.lang) && adjacent && next.lang === '') {
      throw new DocSnippetError(
        `${file}:${next.line}: a block without a language right after a ts block: label it text if it shows the output`,
      );
    }
    blocks.push({
      file,
      line: block.line,
      lang: block.lang,
      code: block.code,
      ...(block.directive ? { directive: block.directive } : {}),
      ...(output ? { output } : {}),
    });
  }
  return blocks;
}

function isTs(lang: string): boolean {
  return lang === 'ts' || lang === 'typescript';
}

/** The runnable blocks of every Markdown file: ts blocks and console blocks. */
export function collectDocs(root: string = repoRoot): { file: string; blocks: CodeBlock[] }[] {
  return findMarkdownFiles(root).map((file) => ({
    file,
    blocks: parseMarkdown(file, readFileSync(join(root, file), 'utf8')).filter(
      (block) => isTs(block.lang) || block.lang === 'console',
    ),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Value comments: the grammar of what a comment shows
// ---------------------------------------------------------------------------------------------------------------

/** A value as a comment shows it. */
export type Shown =
  | { readonly kind: 'number'; readonly text: string; readonly approx: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'constant'; readonly value: boolean | null | undefined }
  | { readonly kind: 'array'; readonly items: readonly Shown[]; readonly open: boolean }
  | {
      readonly kind: 'object';
      readonly entries: readonly (readonly [string, Shown])[];
      readonly open: boolean;
    }
  | { readonly kind: 'any' };

/** What a comment after an expression statement expects. */
export type Expectation =
  | { readonly kind: 'value'; readonly shown: Shown; readonly text: string }
  | { readonly kind: 'throws'; readonly name: string; readonly message?: string; readonly text: string };

const LITERAL_START = /^(?:['"[{\d≈]|-\s*[\d.I]|\.\d|(?:true|false|null|undefined|NaN|Infinity)(?![\w$]))/;
const SEPARATOR = /^\s*(?:$|[;:,(—–])/;

/**
 * Reads the comment after an expression statement. Returns undefined for prose (a comment that does not start
 * with a value or `throws`); throws a DocSnippetError for a comment that starts with a value it cannot read, or
 * whose value is followed by more than a separator (`;`, `:`, `,`, `(`, `—`) and prose.
 */
export function readExpectation(comment: string): Expectation | undefined {
  const text = comment.trim();
  const throws = /^throws(?:\s+([\w$.]+))?(?::\s*(.*))?$/.exec(text);
  if (throws) {
    if (!throws[1]) throw new DocSnippetError(`'throws' needs the error's class name: '${text}'`);
    return {
      kind: 'throws',
      name: throws[1],
      ...(throws[2] !== undefined ? { message: throws[2] } : {}),
      text,
    };
  }
  if (!LITERAL_START.test(text)) return undefined;
  const reader = new LiteralReader(text);
  const shown = reader.value();
  const rest = text.slice(reader.pos);
  if (!SEPARATOR.test(rest)) {
    throw new DocSnippetError(
      `cannot read the value in '${text}': after a value comes nothing, or ';', ':', ',', '(' or '—' and prose`,
    );
  }
  return { kind: 'value', shown, text: text.slice(0, reader.pos).trim() };
}

class LiteralReader {
  pos = 0;
  constructor(private readonly text: string) {}

  private fail(what: string): never {
    throw new DocSnippetError(`cannot read the value in '${this.text}': ${what} at column ${this.pos + 1}`);
  }

  private skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos += 1;
  }

  private eat(s: string): boolean {
    this.skipSpaces();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  /** A value; after `≈` (here or around it) every number in it compares to its digits, integers included. */
  value(approxAround = false): Shown {
    this.skipSpaces();
    const rest = this.text.slice(this.pos);
    if (rest.startsWith('…') || rest.startsWith('...')) {
      this.pos += rest.startsWith('…') ? 1 : 3;
      return { kind: 'any' };
    }
    const approx = this.eat('≈') || approxAround;
    this.skipSpaces();
    const number = /^-?\s*(?:Infinity|NaN|(?:\d[\d_]*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)(?![\w$.])/.exec(
      this.text.slice(this.pos),
    );
    if (number) {
      this.pos += number[0].length;
      return { kind: 'number', text: number[0].replace(/\s|_/g, ''), approx };
    }
    const c = this.text[this.pos];
    if (c === "'" || c === '"') return { kind: 'string', value: this.string(c) };
    if (c === '[') return this.array(approx);
    if (c === '{') return this.object(approx);
    const word = /^(true|false|null|undefined)(?![\w$])/.exec(this.text.slice(this.pos));
    if (word) {
      this.pos += word[0].length;
      const value = { true: true, false: false, null: null, undefined: undefined }[word[1] as 'true'];
      return { kind: 'constant', value };
    }
    return this.fail('a value');
  }

  private string(quote: string): string {
    this.pos += 1;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      this.pos += 1;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos];
      this.pos += 1;
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '0': '\0',
        b: '\b',
        f: '\f',
        v: '\v',
      };
      if (e === undefined) break;
      if (e in simple) out += simple[e];
      else if (e === 'u' || e === 'x') {
        const hex = /^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{4}))/.exec(this.text.slice(this.pos));
        const short = e === 'x' ? /^[0-9a-fA-F]{2}/.exec(this.text.slice(this.pos)) : null;
        const digits = short?.[0] ?? hex?.[1] ?? hex?.[2];
        if (!digits) this.fail('an escape');
        this.pos += short ? 2 : hex![0].length;
        out += String.fromCodePoint(parseInt(digits, 16));
      } else out += e;
    }
    return this.fail('an unterminated string');
  }

  private array(approx: boolean): Shown {
    this.pos += 1;
    const items: Shown[] = [];
    let open = false;
    while (!this.eat(']')) {
      const item = this.value(approx);
      if (item.kind === 'any' && this.eat(']')) {
        open = true;
        break;
      }
      items.push(item);
      if (!this.eat(',')) {
        if (this.eat(']')) break;
        this.fail("',' or ']'");
      }
    }
    return { kind: 'array', items, open };
  }

  private object(approx: boolean): Shown {
    this.pos += 1;
    const entries: [string, Shown][] = [];
    let open = false;
    while (!this.eat('}')) {
      this.skipSpaces();
      const rest = this.text.slice(this.pos);
      if (rest.startsWith('…') || rest.startsWith('...')) {
        this.pos += rest.startsWith('…') ? 1 : 3;
        open = true;
        this.eat(',');
        continue;
      }
      let key: string;
      const c = this.text[this.pos];
      if (c === "'" || c === '"') key = this.string(c);
      else {
        const name = /^[\w$]+/.exec(rest);
        if (!name) this.fail('a key');
        key = name[0];
        this.pos += key.length;
      }
      if (!this.eat(':')) this.fail("':'");
      entries.push([key, this.value(approx)]);
      if (!this.eat(',')) {
        if (this.eat('}')) break;
        this.fail("',' or '}'");
      }
    }
    return { kind: 'object', entries, open };
  }
}

/** How a value prints in a failure message: strings quoted, numbers in full, objects as JSON-like text. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return `'${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined || value === null || typeof value !== 'object') return String(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `[${Array.from(value as unknown as ArrayLike<number>, describeValue).join(', ')}]`;
  }
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (value instanceof Map) {
    return `Map { ${[...value].map(([k, v]) => `${describeValue(k)} => ${describeValue(v)}`).join(', ')} }`;
  }
  const entries = Object.entries(value).map(([k, v]) => `${k}: ${describeValue(v)}`);
  return `{ ${entries.join(', ')} }`;
}

/** Counts a number's shown decimals and exponent: what "to the digits shown" means for it. */
function halfUnit(text: string): number {
  const [mantissa = '', exponent = '0'] = text.toLowerCase().split('e');
  const decimals = mantissa.includes('.') ? mantissa.split('.')[1]!.length : 0;
  return 0.5 * 10 ** (Number(exponent) - decimals);
}

/**
 * Compares a value with what a comment shows; returns undefined when they match, else why not (the path into the
 * value, the shown text and the actual value).
 */
export function compareShown(shown: Shown, actual: unknown, path = ''): string | undefined {
  const at = path === '' ? '' : ` at ${path}`;
  const problem = (expected: string): string => `expected ${expected}${at}, got ${describeValue(actual)}`;
  switch (shown.kind) {
    case 'any':
      return undefined;
    case 'number': {
      if (typeof actual !== 'number') return problem(`the number ${shown.text}`);
      const text = shown.text;
      if (text === 'NaN') return Number.isNaN(actual) ? undefined : problem('NaN');
      const expected = Number(text);
      const exact = !shown.approx && !/[.eE]/.test(text);
      if (exact || !Number.isFinite(expected)) {
        const same = text.startsWith('-0') && expected === 0 ? Object.is(actual, -0) : actual === expected;
        return same ? undefined : problem(`${text} exactly`);
      }
      // "Rounds to the digits shown": within half a unit of the last digit shown, plus a little for the
      // binary rounding of the shown number itself.
      const tolerance = halfUnit(text) * (1 + 1e-9);
      return Math.abs(actual - expected) <= tolerance ? undefined : problem(`${text} (to the digits shown)`);
    }
    case 'string':
      return typeof actual === 'string' && globMatch(shown.value, actual)
        ? undefined
        : problem(describeValue(shown.value));
    case 'constant':
      return Object.is(actual, shown.value) ? undefined : problem(String(shown.value));
    case 'array': {
      const items =
        Array.isArray(actual) || (ArrayBuffer.isView(actual) && !(actual instanceof DataView))
          ? Array.from(actual as ArrayLike<unknown>)
          : undefined;
      if (!items) return problem('an array');
      const lengthOk = shown.open ? items.length >= shown.items.length : items.length === shown.items.length;
      if (!lengthOk) return problem(`${shown.open ? 'at least ' : ''}${shown.items.length} items`);
      for (let i = 0; i < shown.items.length; i += 1) {
        const inner = compareShown(shown.items[i]!, items[i], `${path}[${i}]`);
        if (inner) return inner;
      }
      return undefined;
    }
    case 'object': {
      if (actual === null || typeof actual !== 'object') return problem('an object');
      const get = (key: string): unknown =>
        actual instanceof Map ? actual.get(key) : (actual as Record<string, unknown>)[key];
      const keys = actual instanceof Map ? [...actual.keys()].map(String) : Object.keys(actual);
      const shownKeys = shown.entries.map(([key]) => key);
      if (!shown.open) {
        const extra = keys.filter((key) => !shownKeys.includes(key));
        if (extra.length > 0)
          return problem(`no key ${extra.join(', ')} (end the object with … to allow more)`);
      }
      for (const [key, value] of shown.entries) {
        if (!keys.includes(key)) return problem(`a key ${key}`);
        const inner = compareShown(value, get(key), path === '' ? key : `${path}.${key}`);
        if (inner) return inner;
      }
      return undefined;
    }
  }
}

/** `pattern` matches `text` where each `…` in the pattern stands for any text (possibly empty). */
export function globMatch(pattern: string, text: string): boolean {
  const parts = pattern.split('…');
  if (parts.length === 1) return pattern === text;
  if (!text.startsWith(parts[0]!) || !text.endsWith(parts.at(-1)!)) return false;
  let from = parts[0]!.length;
  const end = text.length - parts.at(-1)!.length;
  for (const part of parts.slice(1, -1)) {
    const found = text.indexOf(part, from);
    if (found < 0 || found + part.length > end) return false;
    from = found + part.length;
  }
  return from <= end;
}

// ---------------------------------------------------------------------------------------------------------------
// ts blocks: instrumenting the checked statements
// ---------------------------------------------------------------------------------------------------------------

/** One checked expression statement of a ts block. */
export interface Check {
  /** The 1-based line of the comment in the Markdown file. */
  readonly line: number;
  /** The expression's source, for messages. */
  readonly source: string;
  readonly expectation: Expectation;
}

/** A ts block rewritten so that each checked statement reports its value; lines are kept where they were. */
export interface Instrumented {
  readonly code: string;
  readonly checks: readonly Check[];
}

/**
 * Finds the module-level expression statements that carry a value comment: on the statement's last line, or (when
 * that line has none) on a comment-only line right below it. Each is rewritten in place to
 * `__docSnippet.check(i, () => (expression))`, which records the value and returns it.
 */
export function instrument(block: CodeBlock): Instrumented {
  const code = block.code;
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const firstCodeLine = block.line + 1;
  const checks: Check[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  const lineOf = (pos: number): number => source.getLineAndCharacterOfPosition(pos).line;
  const lines = code.split('\n');
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const endLine = lineOf(statement.end);
    let comment: { text: string; line: number } | undefined;
    const trailing = ts
      .getTrailingCommentRanges(code, statement.end)
      ?.find(
        (range) => range.kind === ts.SyntaxKind.SingleLineCommentTrivia && lineOf(range.pos) === endLine,
      );
    if (trailing) comment = { text: code.slice(trailing.pos + 2, trailing.end), line: endLine };
    else {
      const below = /^\s*\/\/(.*)$/.exec(lines[endLine + 1] ?? '');
      if (below && LITERAL_START.test(below[1]!.trim())) comment = { text: below[1]!, line: endLine + 1 };
      if (below && /^throws\b/.test(below[1]!.trim())) comment = { text: below[1]!, line: endLine + 1 };
    }
    if (!comment) continue;
    let expectation: Expectation | undefined;
    try {
      expectation = readExpectation(comment.text);
    } catch (error) {
      throw new DocSnippetError(`${block.file}:${firstCodeLine + comment.line}: ${(error as Error).message}`);
    }
    if (!expectation) continue;
    const expression = statement.expression;
    const id = checks.length;
    checks.push({ line: firstCodeLine + comment.line, source: expression.getText(source), expectation });
    const awaits = containsAwait(expression);
    const start = expression.getStart(source);
    edits.push({
      start,
      end: expression.end,
      text: awaits
        ? `await globalThis.__docSnippet.checkAsync(${id}, async () => (${code.slice(start, expression.end)}))`
        : `globalThis.__docSnippet.check(${id}, () => (${code.slice(start, expression.end)}))`,
    });
  }
  let out = code;
  for (const edit of edits.reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return { code: out, checks };
}

/** Whether an expression awaits outside any function of its own (so its check must await too). */
function containsAwait(node: ts.Node): boolean {
  const stack: ts.Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (ts.isAwaitExpression(n)) return true;
    if (ts.isFunctionLike(n)) continue;
    n.forEachChild((child) => {
      stack.push(child);
    });
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// ts blocks: running them
// ---------------------------------------------------------------------------------------------------------------

/** The outcome of one ts block. */
export interface BlockResult {
  readonly file: string;
  readonly line: number;
  readonly checks: number;
  readonly comparedOutput: boolean;
  /** Each problem as `file:line: what was expected, what came`. Empty when the block passed. */
  readonly failures: readonly string[];
}

interface CheckHooks {
  check(id: number, run: () => unknown): unknown;
  checkAsync(id: number, run: () => Promise<unknown>): Promise<unknown>;
}

/** The key of a block in reports: `file:line`. */
export function blockKey(block: { file: string; line: number }): string {
  return `${block.file}:${block.line}`;
}

/**
 * Runs ts blocks one after another in this process, each as its own module written under `snippetFolder`; the
 * process must resolve `@crossgrad/*` with the `@crossgrad/source` condition and load TypeScript (tsx).
 */
export async function runTsBlocks(blocks: readonly CodeBlock[]): Promise<BlockResult[]> {
  // A folder per process, so two runs at once (the test and a test of this file) do not clear each other's files.
  const folder = join(snippetFolder, String(process.pid));
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const results: BlockResult[] = [];
  try {
    for (const block of blocks) results.push(await runTsBlock(block, folder));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return results;
}

async function runTsBlock(block: CodeBlock, folder: string): Promise<BlockResult> {
  const failures: string[] = [];
  let instrumented: Instrumented;
  try {
    instrumented = instrument(block);
  } catch (error) {
    return {
      file: block.file,
      line: block.line,
      checks: 0,
      comparedOutput: false,
      failures: [String(error)],
    };
  }
  const { checks } = instrumented;
  const seen = new Set<number>();
  const report = (id: number, outcome: { value: unknown } | { error: unknown }): void => {
    seen.add(id);
    const check = checks[id]!;
    const where = `${check.line}: \`${oneLine(check.source)}\``;
    const expectation = check.expectation;
    if (expectation.kind === 'throws') {
      if (!('error' in outcome)) {
        failures.push(
          `${block.file}:${where}: expected it to throw ${expectation.name}, got ${describeValue(outcome.value)}`,
        );
        return;
      }
      const error = outcome.error as { name?: unknown; message?: unknown; constructor?: { name?: unknown } };
      const name = error?.constructor?.name === expectation.name ? expectation.name : String(error?.name);
      // The first line: a message may go on to quote the source with a caret under it.
      const message = String(error?.message).split('\n')[0]!;
      if (
        name !== expectation.name ||
        (expectation.message !== undefined && !globMatch(expectation.message, message))
      ) {
        failures.push(
          `${block.file}:${where}: expected throws ${expectation.name}${expectation.message !== undefined ? `: ${expectation.message}` : ''}, got ${name}: ${message}`,
        );
      }
      return;
    }
    if ('error' in outcome) throw outcome.error;
    const problem = compareShown(expectation.shown, outcome.value);
    if (problem) failures.push(`${block.file}:${where}: ${problem}`);
  };
  const hooks: CheckHooks = {
    check(id, run) {
      let value: unknown;
      try {
        value = run();
      } catch (error) {
        report(id, { error });
        return undefined;
      }
      report(id, { value });
      return value;
    },
    async checkAsync(id, run) {
      let value: unknown;
      try {
        value = await run();
      } catch (error) {
        report(id, { error });
        return undefined;
      }
      report(id, { value });
      return value;
    },
  };
  // .mts: a module whatever the folder (node_modules has no package scope, so .ts would load as CommonJS).
  const name = `${block.file.replace(/[^\w]+/g, '_')}_L${block.line}.mts`;
  const path = join(folder, name);
  writeFileSync(path, instrumented.code);
  const printed: string[] = [];
  const restore = captureOutput(printed);
  (globalThis as { __docSnippet?: CheckHooks }).__docSnippet = hooks;
  try {
    await import(pathToFileURL(path).href);
  } catch (error) {
    failures.push(
      `${block.file}:${locate(error, path, block)}: the block threw ${describeError(error, path, block)}`,
    );
  } finally {
    restore();
    delete (globalThis as { __docSnippet?: CheckHooks }).__docSnippet;
  }
  for (let id = 0; id < checks.length; id += 1) {
    if (!seen.has(id) && failures.length === 0) {
      failures.push(`${block.file}:${checks[id]!.line}: the statement never ran`);
    }
  }
  if (block.output) {
    const mask = block.directive?.kind === 'timing' ? maskTiming : undefined;
    const first = block.output.line + 1;
    const problem = compareText(block.output.text, printed.join(''), {
      ...(mask ? { mask } : {}),
      where: (index) => `${block.file}:${first + index}`,
    });
    if (problem) failures.push(`${problem} (the printed output of the block at line ${block.line})`);
  }
  return {
    file: block.file,
    line: block.line,
    checks: checks.length,
    comparedOutput: !!block.output,
    failures,
  };
}

function oneLine(source: string): string {
  const flat = source.replace(/\s*\n\s*/g, ' ');
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

/** Routes console.log/info/debug and process.stdout into `into` until the returned function is called. */
function captureOutput(into: string[]): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug, write: process.stdout.write };
  const print = (...args: unknown[]): void => {
    into.push(`${format(...args)}\n`);
  };
  console.log = print;
  console.info = print;
  console.debug = print;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  return () => {
    console.log = saved.log;
    console.info = saved.info;
    console.debug = saved.debug;
    process.stdout.write = saved.write;
  };
}

/** The Markdown line an error of a block's module points at (its first stack frame in the module). */
function locate(error: unknown, path: string, block: CodeBlock): string {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const url = pathToFileURL(path).href;
  for (const line of stack.split('\n')) {
    const at =
      line.indexOf(url) >= 0
        ? line.indexOf(url) + url.length
        : line.indexOf(path) >= 0
          ? line.indexOf(path) + path.length
          : -1;
    if (at < 0) continue;
    const m = /^:(\d+)/.exec(line.slice(at));
    if (m) return String(block.line + Number(m[1]));
  }
  return String(block.line);
}

function describeError(error: unknown, path: string, block: CodeBlock): string {
  if (!(error instanceof Error)) return String(error);
  const url = pathToFileURL(path).href;
  return `${error.name}: ${error.message}`.split(url).join(`${block.file}`).split(path).join(block.file);
}

/**
 * Typechecks ts blocks as strict TypeScript modules (Node module resolution, `@crossgrad/*` from the sources), as
 * a reader's project would compile them. Returns each error as `file:line: message`, on the Markdown line.
 */
export function typecheckBlocks(blocks: readonly CodeBlock[]): string[] {
  const folder = join(snippetFolder, `typecheck-${process.pid}`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  try {
    const byPath = new Map<string, CodeBlock>();
    blocks.forEach((block, i) => {
      const path = join(folder, `block${i}.mts`);
      writeFileSync(path, block.code);
      byPath.set(path, block);
    });
    const program = ts.createProgram([...byPath.keys()], {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      customConditions: ['@crossgrad/source'],
      noEmit: true,
      skipLibCheck: true,
    });
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
      const file = diagnostic.file;
      if (!file || diagnostic.start === undefined) return message;
      const line = file.getLineAndCharacterOfPosition(diagnostic.start).line;
      const block = byPath.get(resolve(file.fileName));
      return block
        ? `${block.file}:${block.line + 1 + line}: ${message}`
        : `${relative(repoRoot, file.fileName)}:${line + 1}: ${message}`;
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Printed output and console sessions
// ---------------------------------------------------------------------------------------------------------------

/**
 * Compares printed text with the text a block shows: line by line, trailing spaces and the final newlines ignored;
 * a line that is only `...` (any indentation) stands for any number of lines. Returns undefined when they match,
 * else the first line that differs, expected and actual, named by `where` (its index in `expected` to a label such
 * as `README.md:12`; by default `line N` of `expected`). `mask`, if given, is applied to both lines before they
 * are compared.
 */
export function compareText(
  expected: string,
  actual: string,
  options: { mask?: (line: string) => string; where?: (index: number) => string } = {},
): string | undefined {
  const { mask, where = (index: number) => `line ${index + 1}` } = options;
  const want = trimLines(expected);
  const got = trimLines(actual);
  const same = (a: string, b: string): boolean => (mask ? mask(a) === mask(b) : a === b);
  // Matching with `...` wildcards: a small dynamic programme over (expected line, actual line).
  const n = want.length;
  const m = got.length;
  const ok: boolean[][] = Array.from({ length: n + 1 }, () => new Array<boolean>(m + 1).fill(false));
  ok[n]![m] = true;
  for (let i = n; i >= 0; i -= 1) {
    for (let j = m; j >= 0; j -= 1) {
      if (i === n) {
        ok[i]![j] = j === m;
        continue;
      }
      if (want[i]!.trim() === '...') ok[i]![j] = ok[i + 1]![j]! || (j < m && ok[i]![j + 1]!);
      else ok[i]![j] = j < m && same(want[i]!, got[j]!) && ok[i + 1]![j + 1]!;
    }
  }
  if (ok[0]![0]) return undefined;
  // Where it goes wrong: the first line, skipping over wildcards greedily, that does not match.
  let j = 0;
  for (let i = 0; i < n; i += 1) {
    if (want[i]!.trim() === '...') {
      const next = want[i + 1];
      while (j < m && next !== undefined && !same(next, got[j]!)) j += 1;
      continue;
    }
    if (j >= m) return `${where(i)}: expected '${want[i]}', got the end of the output`;
    if (!same(want[i]!, got[j]!)) return `${where(i)}: expected '${want[i]}', got '${got[j]}'`;
    j += 1;
  }
  return `${n === 0 ? 'expected no output' : `${where(n - 1)}: expected the end of the output after it`}, got '${got[j] ?? ''}'`;
}

function trimLines(text: string): string[] {
  const lines = text.split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** Masks what varies from run to run in a `timing` block: every number, and the spacing around it. */
export function maskTiming(line: string): string {
  return line.replace(/-?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?/gi, '#').replace(/\s+/g, ' ');
}

/** One command of a console block, with the output it shows. */
export interface ConsoleCommand {
  readonly file: string;
  /** The 1-based line of the `$` command in the Markdown file. */
  readonly line: number;
  readonly command: string;
  /** The CLI's arguments. */
  readonly args: readonly string[];
  /** Environment variables the command sets (`NO_COLOR=1 crossgrad …`). */
  readonly env: Readonly<Record<string, string>>;
  readonly expected: string;
}

/**
 * The commands of a console block. Each `$ ` line is a command of the CLI: `crossgrad ARGS`, `npm start`,
 * `npm start -- ARGS` or `node apps/demo/dist/main.js ARGS`, optionally after `NAME=value` settings; the lines
 * until the next `$ ` are its output (stdout, then stderr). Any other command throws: mark the block no-run.
 */
export function parseConsole(block: CodeBlock): ConsoleCommand[] {
  const lines = block.code.split('\n');
  const commands: ConsoleCommand[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (!line.startsWith('$ ')) {
      if (commands.length === 0 && line.trim() !== '') {
        throw new DocSnippetError(
          `${block.file}:${block.line + 1 + i}: a console block starts with a '$ ' command`,
        );
      }
      continue;
    }
    const words = splitShell(line.slice(2));
    const env: Record<string, string> = {};
    while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
      const [name, ...value] = words.shift()!.split('=');
      env[name!] = value.join('=');
    }
    let args: string[];
    if (words[0] === 'crossgrad') args = words.slice(1);
    else if (words[0] === 'node' && words[1] === 'apps/demo/dist/main.js') args = words.slice(2);
    else if (words[0] === 'npm' && words[1] === 'start' && (words.length === 2 || words[2] === '--')) {
      args = words.slice(3);
    } else {
      throw new DocSnippetError(
        `${block.file}:${block.line + 1 + i}: '${line.slice(2)}' is not a command of the CLI (crossgrad, npm start): mark the block <!-- doc-test: no-run REASON -->`,
      );
    }
    let end = i + 1;
    while (end < lines.length && !lines[end]!.startsWith('$ ')) end += 1;
    commands.push({
      file: block.file,
      line: block.line + 1 + i,
      command: line.slice(2),
      args,
      env,
      expected: lines.slice(i + 1, end).join('\n'),
    });
    i = end - 1;
  }
  return commands;
}

/** Splits a command line as a POSIX shell would for plain words, '…' and "…" quoting and backslashes. */
export function splitShell(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new DocSnippetError(`unterminated ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      for (; j < line.length && line[j] !== '"'; j += 1) {
        if (line[j] === '\\' && /["\\$`]/.test(line[j + 1] ?? '')) j += 1;
        text += line[j];
      }
      if (j >= line.length) throw new DocSnippetError(`unterminated " in: ${line}`);
      word = (word ?? '') + text;
      i = j;
    } else if (c === '\\') {
      word = (word ?? '') + (line[i + 1] ?? '');
      i += 1;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

// ---------------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------------

/** The ts blocks to run: every one without a no-run directive. */
export function runnableTsBlocks(docs: readonly { blocks: readonly CodeBlock[] }[]): CodeBlock[] {
  return docs.flatMap((doc) => doc.blocks.filter((b) => isTs(b.lang) && b.directive?.kind !== 'no-run'));
}

async function main(argv: readonly string[]): Promise<number> {
  let reportPath: string | undefined;
  let typecheck = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--report') reportPath = argv[++i];
    else if (argv[i] === '--typecheck') typecheck = true;
    else files.push(argv[i]!);
  }
  const docs =
    files.length === 0
      ? collectDocs()
      : files.map((file) => {
          const path = resolve(file);
          const name = relative(repoRoot, path).split(sep).join('/');
          return { file: name, blocks: parseMarkdown(name, readFileSync(path, 'utf8')) };
        });
  const results = await runTsBlocks(runnableTsBlocks(docs));
  if (reportPath) {
    mkdirSync(dirname(resolve(reportPath)), { recursive: true });
    writeFileSync(reportPath, JSON.stringify(results, null, 2));
  } else {
    for (const result of results) {
      const status = result.failures.length === 0 ? 'ok  ' : 'FAIL';
      process.stdout.write(
        `${status} ${blockKey(result)} (${result.checks} checks${result.comparedOutput ? ', output' : ''})\n`,
      );
      for (const failure of result.failures) process.stdout.write(`     ${failure}\n`);
    }
    if (typecheck) {
      const errors = typecheckBlocks(runnableTsBlocks(docs));
      process.stdout.write(`${errors.length === 0 ? 'ok  ' : 'FAIL'} typecheck of the ts blocks\n`);
      for (const error of errors) process.stdout.write(`     ${error}\n`);
      if (errors.length > 0) return 1;
    }
  }
  return results.some((result) => result.failures.length > 0) ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof DocSnippetError ? error.message : String((error as Error)?.stack ?? error)}\n`,
      );
      process.exit(2);
    },
  );
}
