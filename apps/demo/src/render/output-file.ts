import { accessSync, closeSync, constants, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { UsageError } from '../cli/usage-error.js';

/**
 * Checks before any work that a file can be written, so a bad path fails fast with status 2. An existing file is
 * opened for writing (without truncating it) and written zero bytes, which fails where the file takes no writes
 * although its permission bits allow them (`/proc/version` for root: EIO).
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
  if (existing !== undefined) probeWrite(option, path, full);
}

/** Opens an existing file for appending and writes nothing to it: the write fails where the file takes none. */
function probeWrite(option: string, path: string, full: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(full, 'a');
    writeSync(fd, new Uint8Array(0));
  } catch (error) {
    throw new UsageError(`cannot write ${option} ${path}: ${firstLine(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
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
    throw new UsageError(`cannot write ${option} ${path}: ${firstLine(error)}`);
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
