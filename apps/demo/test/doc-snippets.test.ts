import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import {
  compareShown,
  compareText,
  DocSnippetError,
  instrument,
  maskTiming,
  parseConsole,
  parseMarkdown,
  readExpectation,
  repoRoot,
  splitShell,
  typecheckBlocks,
  type BlockResult,
  type Expectation,
} from '../../../scripts/doc-snippets.js';

const execFileAsync = promisify(execFile);

/** What a value comment shows, read. */
function shown(comment: string) {
  const expectation = readExpectation(comment) as Extract<Expectation, { kind: 'value' }>;
  expect(expectation.kind).toBe('value');
  return expectation.shown;
}

const fence = '```';

describe('value comments', () => {
  it('a number compares to the digits shown, an integer exactly, ≈ rounds integers too', () => {
    expect(compareShown(shown('0.2222'), 2 / 9)).toBeUndefined();
    expect(compareShown(shown('0.2222'), 0.22225)).toBeUndefined();
    expect(compareShown(shown('0.2222'), 0.2223)).toBe('expected 0.2222 (to the digits shown), got 0.2223');
    expect(compareShown(shown('9.603412753561243e+40'), 9.603412753561243e40)).toBeUndefined();
    expect(compareShown(shown('9.6034e+40'), 9.6035e40)).toMatch(
      /^expected 9.6034e\+40 \(to the digits shown\)/,
    );
    expect(compareShown(shown('46'), 45.99999999999999)).toBe('expected 46 exactly, got 45.99999999999999');
    expect(compareShown(shown('≈ 46'), 45.99999999999999)).toBeUndefined();
    expect(compareShown(shown('0'), -0)).toBeUndefined();
    expect(compareShown(shown('-0'), 0)).toBe('expected -0 exactly, got 0');
    expect(compareShown(shown('NaN'), NaN)).toBeUndefined();
    expect(compareShown(shown('-Infinity'), -Infinity)).toBeUndefined();
    expect(compareShown(shown('1'), '1')).toBe("expected the number 1, got '1'");
  });

  it('arrays, typed arrays and objects compare item by item; … leaves the rest open', () => {
    expect(compareShown(shown('[0.2222, 0.1296, 0.4815]; prose'), [2 / 9, 0.12962, 0.48148])).toBeUndefined();
    expect(compareShown(shown('[0.2222, 0.1296]'), new Float64Array([2 / 9, 0.1297]))).toBe(
      'expected 0.1296 (to the digits shown) at [1], got 0.1297',
    );
    expect(compareShown(shown('[1, 2]'), [1, 2, 3])).toBe('expected 2 items, got [1, 2, 3]');
    expect(compareShown(shown('[1, 2, …]'), [1, 2, 3])).toBeUndefined();
    expect(compareShown(shown('≈ [-1.5, 1]'), [-1.5000000000000004, 1.0000000000000002])).toBeUndefined();
    expect(
      compareShown(shown('{ value: 0.7071, gradient: [1] }'), { value: Math.SQRT1_2, gradient: [1] }),
    ).toBe(undefined);
    expect(compareShown(shown('{ value: 0.7071 }'), { value: Math.SQRT1_2, gradient: [1] })).toMatch(
      /^expected no key gradient/,
    );
    expect(
      compareShown(shown('{ value: 0.7071, … }'), { value: Math.SQRT1_2, gradient: [1] }),
    ).toBeUndefined();
    expect(compareShown(shown("{ 'w1': 2 }"), new Map([['w1', 3]]))).toBe('expected 2 exactly at w1, got 3');
  });

  it('strings compare exactly, … standing for any text', () => {
    expect(compareShown(shown("'3 * x^2'"), '3 * x^2')).toBeUndefined();
    expect(compareShown(shown("'3 * x^2'"), '3 * x ^ 2')).toBe("expected '3 * x^2', got '3 * x ^ 2'");
    expect(compareShown(shown("'a\\nb'"), 'a\nb')).toBeUndefined();
    expect(
      compareShown(shown("'numeric 1.38… (abs error 1.08, …)'"), 'numeric 1.381 (abs error 1.08, x)'),
    ).toBe(undefined);
    expect(compareShown(shown("'numeric 1.38…)'"), 'numeric 1.381 (abs')).toMatch(/^expected/);
  });

  it('prose is no value; a value must end or be followed by a separator', () => {
    expect(readExpectation(' Map of every partial')).toBeUndefined();
    expect(readExpectation(' …run many: d/dx')).toBeUndefined();
    expect(readExpectation(' true; on failure it names the worst entry')).toMatchObject({ text: 'true' });
    expect(readExpectation(" '3 * x^2' — the derivative")).toMatchObject({ text: "'3 * x^2'" });
    expect(readExpectation(' 1: 100% accuracy')).toMatchObject({ text: '1' });
    expect(() => readExpectation(' 100% training accuracy')).toThrow(DocSnippetError);
    expect(() => readExpectation(' 100% training accuracy')).toThrow(
      /cannot read the value in '100% training/,
    );
    expect(() => readExpectation(" 'unterminated")).toThrow(/an unterminated string/);
    expect(readExpectation(' throws ParseError: parenthesis ) expected (column 6)')).toEqual({
      kind: 'throws',
      name: 'ParseError',
      message: 'parenthesis ) expected (column 6)',
      text: 'throws ParseError: parenthesis ) expected (column 6)',
    });
  });
});

describe('Markdown blocks', () => {
  const text = [
    '# A library', // 1
    '', // 2
    `${fence}ts`, // 3
    "console.log('hi');", // 4
    '1 + 1; // 2', // 5
    fence, // 6
    '', // 7
    `${fence}text`, // 8
    'hi', // 9
    fence, // 10
    '', // 11
    '<!-- doc-test: no-run needs a browser -->', // 12
    `${fence}ts`, // 13
    'document.title;', // 14
    fence, // 15
  ].join('\n');

  it('finds the blocks, the output block after a ts block and the directive before one', () => {
    const blocks = parseMarkdown('lib/README.md', text);
    expect(blocks.map((b) => [b.line, b.lang, b.directive?.kind, b.output?.line])).toEqual([
      [3, 'ts', undefined, 8],
      [8, 'text', undefined, undefined],
      [13, 'ts', 'no-run', undefined],
    ]);
    expect(blocks[2]!.directive?.reason).toBe('needs a browser');
  });

  it('refuses a directive without a reason, an unknown one, and an unlabelled block right after a ts block', () => {
    expect(() => parseMarkdown('a.md', `<!-- doc-test: no-run -->\n${fence}ts\nx;\n${fence}`)).toThrow(
      "a.md:1: 'doc-test: no-run' needs a reason after it",
    );
    expect(() => parseMarkdown('a.md', `<!-- doc-test: skip why -->\n${fence}ts\nx;\n${fence}`)).toThrow(
      "a.md:1: unknown directive 'doc-test: skip'",
    );
    expect(() => parseMarkdown('a.md', `${fence}ts\nx;\n${fence}\n${fence}\nout\n${fence}`)).toThrow(
      'a.md:4: a block without a language right after a ts block',
    );
  });

  it('instruments the checked statements in place, keeping every line where it was', () => {
    const [block] = parseMarkdown('lib/README.md', text);
    const { code, checks } = instrument(block!);
    expect(code.split('\n')).toHaveLength(block!.code.split('\n').length);
    expect(code).toContain('globalThis.__docSnippet.check(0, () => (1 + 1)); // 2');
    expect(checks).toEqual([
      { line: 5, source: '1 + 1', expectation: expect.objectContaining({ text: '2' }) },
    ]);
  });

  it('reads a value on the comment-only line under a statement, and names the line of a bad comment', () => {
    const md = `${fence}ts\nformat(e);\n// 'x + 1'\nf(); // 100% sure\n${fence}`;
    const [block] = parseMarkdown('b.md', md);
    expect(() => instrument(block!)).toThrow("b.md:4: cannot read the value in '100% sure'");
    const [ok] = parseMarkdown('b.md', `${fence}ts\nformat(e);\n// 'x + 1'\n${fence}`);
    expect(instrument(ok!).checks.map((c) => c.line)).toEqual([3]);
  });
});

describe('printed output and console sessions', () => {
  it('compares line by line; a ... line stands for any lines', () => {
    expect(compareText('a\nb  \n\n', 'a\nb\n')).toBeUndefined();
    expect(compareText('a\n  ...\nd', 'a\nb\nc\nd\n')).toBeUndefined();
    expect(compareText('a\n...\nd', 'a\nb\n')).toBe("line 3: expected 'd', got the end of the output");
    expect(compareText('a\nb', 'a\nc', { where: (i) => `R.md:${10 + i}` })).toBe(
      "R.md:11: expected 'b', got 'c'",
    );
    expect(compareText('a', 'a\nextra')).toBe("line 1: expected the end of the output after it, got 'extra'");
    expect(compareText('', 'extra')).toBe("expected no output, got 'extra'");
    const timing = { mask: maskTiming };
    expect(compareText('ran 100 steps in 0.20 s', 'ran 100 steps in  0.31 s', timing)).toBeUndefined();
    expect(compareText('ran 100 steps in 0.20 s', 'ran 100 steps, 0.31 s', timing)).toMatch(
      /^line 1: expected/,
    );
  });

  it('reads the commands of the CLI with their output, and refuses any other command', () => {
    const block = parseMarkdown(
      'c.md',
      `${fence}console\n$ crossgrad --expr "x * y" --at x=1\nout\n$ NO_COLOR=1 npm start -- --help\nhelp\nmore\n${fence}`,
    )[0]!;
    expect(parseConsole(block)).toEqual([
      {
        file: 'c.md',
        line: 2,
        command: 'crossgrad --expr "x * y" --at x=1',
        args: ['--expr', 'x * y', '--at', 'x=1'],
        env: {},
        expected: 'out',
      },
      {
        file: 'c.md',
        line: 4,
        command: 'NO_COLOR=1 npm start -- --help',
        args: ['--help'],
        env: { NO_COLOR: '1' },
        expected: 'help\nmore',
      },
    ]);
    const other = parseMarkdown('c.md', `${fence}console\n$ npx nx run verify:fuzz\n${fence}`)[0]!;
    expect(() => parseConsole(other)).toThrow("c.md:2: 'npx nx run verify:fuzz' is not a command of the CLI");
    expect(splitShell(`a 'b c' "d \\"e\\"" f\\ g`)).toEqual(['a', 'b c', 'd "e"', 'f g']);
  });
});

describe('the typecheck', () => {
  it('names the Markdown line of a type error, and resolves the workspace packages', () => {
    const md = [
      '# Doc', // 1
      `${fence}ts`, // 2
      "import { parse, format } from '@crossgrad/symbolic';", // 3
      "const n: number = format(parse('x'));", // 4
      fence, // 5
    ].join('\n');
    expect(typecheckBlocks(parseMarkdown('d.md', md))).toEqual([
      "d.md:4: Type 'string' is not assignable to type 'number'.",
    ]);
  }, 120_000);
});

describe('the runner', () => {
  it('names the file, the line, what was expected and what came, for values, output and errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doc-snippets-test-'));
    try {
      const md = join(dir, 'README.md');
      writeFileSync(
        md,
        [
          `${fence}ts`, // 1
          "import { format, diff, parse } from '@crossgrad/symbolic';", // 2
          '', // 3
          "format(diff(parse('x^3'), 'x')); // '3 * x^2'", // 4
          "format(diff(parse('x^3'), 'x')); // '3 * x^3'", // 5
          '2 / 9; // 0.2223', // 6
          "parse('sin(x'); // throws ParseError: parenthesis ) expected (column 6)", // 7
          "console.log('printed');", // 8
          fence, // 9
          '', // 10
          `${fence}text`, // 11
          'shown', // 12
          fence, // 13
          '', // 14
          `${fence}ts`, // 15
          'const x = 1;', // 16
          'undefinedName.call(x);', // 17
          fence, // 18
        ].join('\n'),
      );
      const report = join(dir, 'report.json');
      const status = await execFileAsync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--conditions=@crossgrad/source',
          'scripts/doc-snippets.ts',
          '--report',
          report,
          md,
        ],
        { cwd: repoRoot },
      ).then(
        () => 0,
        (error: { code?: number }) => error.code,
      );
      expect(status).toBe(1);
      const name = relative(repoRoot, md).split('\\').join('/');
      const results = JSON.parse(readFileSync(report, 'utf8')) as BlockResult[];
      expect(results).toEqual([
        {
          file: name,
          line: 1,
          checks: 4,
          comparedOutput: true,
          failures: [
            `${name}:5: \`format(diff(parse('x^3'), 'x'))\`: expected '3 * x^3', got '3 * x^2'`,
            `${name}:6: \`2 / 9\`: expected 0.2223 (to the digits shown), got 0.2222222222222222`,
            `${name}:12: expected 'shown', got 'printed' (the printed output of the block at line 1)`,
          ],
        },
        {
          file: name,
          line: 15,
          checks: 0,
          comparedOutput: false,
          failures: [`${name}:17: the block threw ReferenceError: undefinedName is not defined`],
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
