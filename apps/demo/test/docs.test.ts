import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  blockKey,
  collectDocs,
  compareText,
  maskTiming,
  parseConsole,
  runnableTsBlocks,
  repoRoot,
  typecheckBlocks,
  type BlockResult,
  type CodeBlock,
  type ConsoleCommand,
} from '../../../scripts/doc-snippets.js';
import { runCli } from './run-cli.js';

// Every Markdown file of the repository, found anew on each run (a new library's README is covered without an
// edit here): each ts block runs as a module and each value its comments show is compared, each console session of
// the CLI runs and its output is compared. The conventions are in ARCHITECTURE.md ("Documentation that runs").

const execFileAsync = promisify(execFile);

const docs = collectDocs();
const tsResults = new Map<string, BlockResult>();
let runnerError: string | undefined;
const counted = { ts: 0, checks: 0, outputs: 0, commands: 0, notRun: [] as string[] };

beforeAll(async () => {
  // One process runs every ts block (each its own module), as `node --import tsx` with the source condition: what
  // a reader does who pastes a block into a file of a project that depends on the packages.
  const dir = mkdtempSync(join(tmpdir(), 'doc-snippets-'));
  const report = join(dir, 'report.json');
  try {
    await execFileAsync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@crossgrad/source', 'scripts/doc-snippets.ts', '--report', report],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { code?: number; stderr?: string }) => {
      // Status 1: some block failed (the report says which); anything else is a failure of the runner itself.
      if (error.code !== 1) throw new Error(`the snippet runner failed: ${error.stderr ?? String(error)}`);
    });
    for (const result of JSON.parse(readFileSync(report, 'utf8')) as BlockResult[]) {
      tsResults.set(blockKey(result), result);
    }
  } catch (error) {
    runnerError = String(error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);

afterAll(() => {
  console.log(
    `documentation: ${counted.ts} ts blocks run (${counted.checks} values checked, ${counted.outputs} printed ` +
      `outputs), ${counted.commands} CLI commands run, ${counted.notRun.length} blocks not run` +
      counted.notRun.map((entry) => `\n  not run: ${entry}`).join(''),
  );
});

function tsTest(block: CodeBlock): void {
  it(`${blockKey(block)} ts block runs and shows what it gives`, () => {
    expect(runnerError, 'the snippet runner').toBeUndefined();
    const result = tsResults.get(blockKey(block));
    expect(result, `${blockKey(block)} was not run`).toBeDefined();
    counted.ts += 1;
    counted.checks += result!.checks;
    if (result!.comparedOutput) counted.outputs += 1;
    expect(result!.failures).toEqual([]);
  });
}

function consoleTest(command: ConsoleCommand, timing: boolean): void {
  // Concurrent: runCli runs two child processes at a time. From the repository's root, where the READMEs' sessions
  // are typed (and where `npm start` runs whatever the folder it is typed in).
  it.concurrent(`${command.file}:${command.line} $ ${command.command}`, async () => {
    const { stdout, stderr } = await runCli(command.args, command.env, repoRoot);
    counted.commands += 1;
    const problem = compareText(command.expected, stdout + stderr, {
      ...(timing ? { mask: maskTiming } : {}),
      where: (index) => `${command.file}:${command.line + 1 + index}`,
    });
    // On failure the message names the Markdown line, the line shown and the line printed.
    expect(problem === undefined ? 'as shown' : `${problem} (the output of $ ${command.command})`).toBe(
      'as shown',
    );
  });
}

describe('the documentation compiles as written', () => {
  it('every ts block that runs typechecks as a strict TypeScript module', () => {
    // On the Markdown line; `// @ts-expect-error` before a line that shows an error on purpose.
    expect(typecheckBlocks(runnableTsBlocks(docs))).toEqual([]);
  }, 300_000);
});

describe('the documentation runs as written', () => {
  const runnable = new Set(runnableTsBlocks(docs).map(blockKey));
  for (const doc of docs) {
    if (doc.blocks.length === 0) continue;
    describe(doc.file, () => {
      for (const block of doc.blocks) {
        if (block.directive?.kind === 'no-run') {
          const note = `${blockKey(block)} ${block.lang} block, not run: ${block.directive.reason}`;
          counted.notRun.push(note);
          it.skip(note, () => {});
        } else if (block.lang === 'console') {
          let commands: ConsoleCommand[];
          try {
            commands = parseConsole(block);
          } catch (error) {
            it(`${blockKey(block)} console block`, () => {
              throw error;
            });
            continue;
          }
          for (const command of commands) consoleTest(command, block.directive?.kind === 'timing');
        } else if (runnable.has(blockKey(block))) {
          tsTest(block);
        }
      }
    });
  }
});
