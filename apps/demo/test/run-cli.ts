import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The demo's folder: the CLI runs from here so relative output paths land in a known place. */
export const demoRoot = fileURLToPath(new URL('..', import.meta.url));

/** What a finished CLI process left behind. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Child processes one test file runs at once: vitest runs files in parallel too, on a 2-core machine. */
const MAX_CHILDREN = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_CHILDREN) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    waiting.shift()?.();
  };
}

/** The CLI's entry point, by absolute path, so it runs from any working directory. */
const mainTs = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/**
 * Runs the CLI from its TypeScript source through tsx (no build needed) in a child process, stdin closed and
 * stdout/stderr piped, so it sees no terminal. It runs in `cwd` (the demo's folder unless given).
 */
export async function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  cwd: string = demoRoot,
): Promise<CliResult> {
  const release = await slot();
  try {
    return await spawnCli(args, env, cwd);
  } finally {
    release();
  }
}

function spawnCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string,
): Promise<CliResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@crossgrad/source', mainTs, ...args],
    { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** One row of the plain (piped) table. */
export interface TableRow {
  readonly formula: string;
  readonly symbolic: string;
  readonly autograd: string;
  readonly finiteDifference: string;
  readonly verdict: string;
}

/**
 * The rows of the plain table, by variable name. The formula may hold spaces, the four cells after it do not, so a
 * row is read from both ends.
 */
export function tableRows(stdout: string): Map<string, TableRow> {
  const lines = stdout.split('\n');
  const head = lines.findIndex((line) => /^\s+v\s+d\w+\/dv/.test(line));
  const rows = new Map<string, TableRow>();
  if (head < 0) return rows;
  for (const line of lines.slice(head + 1)) {
    if (line.trim() === '') break;
    const cells = line.trim().split(/\s+/);
    const [symbolic = '', autograd = '', finiteDifference = '', verdict = ''] = cells.slice(-4);
    rows.set(cells[0] ?? '', {
      formula: cells.slice(1, -4).join(' '),
      symbolic,
      autograd,
      finiteDifference,
      verdict,
    });
  }
  return rows;
}

/**
 * Runs the CLI in this process with captured output, for checks of the numbers that need no process of their own
 * (each child process costs about a second with mathjs). Exit status, stderr and stack traces are the child-process
 * tests' business.
 */
export async function runInProcess(args: readonly string[]): Promise<CliResult> {
  const { run } = await import('../src/cli/run.js');
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    stdout: { isTTY: false, write: (text) => ((stdout += text), true) },
    stderr: { isTTY: false, write: (text) => ((stderr += text), true) },
    env: {},
  });
  return { status, stdout, stderr };
}
