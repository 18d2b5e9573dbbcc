import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { UsageError } from '../cli/usage-error.js';

/**
 * Checks before any work that a file can be written, so a bad path fails fast with status 2.
 *
 * @throws UsageError naming the option, the path and the reason.
 * @example
 * ```ts
 * checkWritable('--svg', 'out/graph.svg'); // throws if out/ does not exist
 * ```
 */
export function checkWritable(option: string, path: string): void {
  const full = resolve(path);
  const existing = statOrUndefined(full);
  if (existing?.isDirectory() === true)
    throw new UsageError(`cannot write ${option} ${path}: it is a directory`);
  const dir = dirname(full);
  const parent = statOrUndefined(dir);
  if (parent === undefined) throw new UsageError(`cannot write ${option} ${path}: no directory ${dir}`);
  if (!parent.isDirectory())
    throw new UsageError(`cannot write ${option} ${path}: ${dir} is not a directory`);
  try {
    accessSync(existing === undefined ? dir : full, constants.W_OK);
  } catch {
    throw new UsageError(`cannot write ${option} ${path}: permission denied`);
  }
}

/**
 * Writes a text file, turning a file-system failure into a one-line UsageError.
 *
 * @example
 * ```ts
 * writeOutput('--dot', 'graph.dot', dot);
 * ```
 */
export function writeOutput(option: string, path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`cannot write ${option} ${path}: ${reason}`);
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
