import { AutogradError } from '@crossgrad/autograd';
import { OptimizeError } from '@crossgrad/optimize';
import { ParseError, SymbolicError } from '@crossgrad/symbolic';
import { VerifyError } from '@crossgrad/verify';

import { UsageError } from './usage-error.js';

/** What to print for an error, and the exit status it earns. */
export interface ErrorDescription {
  readonly message: string;
  readonly status: 1 | 2;
}

/**
 * Turns any thrown value into a message and a status. The libraries' typed errors come from the input (an unknown
 * function, a syntax error, a missing variable) and earn status 2; anything else is a fault of crossgrad itself,
 * status 1, and the message says so (CROSSGRAD_DEBUG=1 adds the stack).
 *
 * @example
 * ```ts
 * describeError(new UsageError('--at needs --expr')); // { message: '--at needs --expr', status: 2 }
 * ```
 */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof ParseError) {
    // The library's message has the source and a caret on extra lines; a CLI error is one line, so quote the
    // stretch of source around the column instead.
    return { message: `${firstLine(error.message)} in ${excerpt(error.source, error.column)}`, status: 2 };
  }
  if (
    error instanceof UsageError ||
    error instanceof SymbolicError ||
    error instanceof VerifyError ||
    error instanceof OptimizeError ||
    error instanceof AutogradError
  ) {
    return { message: firstLine(error.message), status: 2 };
  }
  if (error instanceof Error) {
    return { message: `internal error: ${error.name}: ${firstLine(error.message)}`, status: 1 };
  }
  return { message: `internal error: ${String(error)}`, status: 1 };
}

/** How many characters of source to quote on each side of an error's column. */
const EXCERPT = 30;

function excerpt(source: string, column: number): string {
  const line = source.replace(/\s+/g, ' ');
  const from = Math.max(0, column - 1 - EXCERPT);
  const to = Math.min(line.length, column - 1 + EXCERPT);
  return `${from > 0 ? '…' : ''}"${line.slice(from, to)}"${to < line.length ? '…' : ''}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
