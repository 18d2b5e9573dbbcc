/**
 * Bad input from the command line: the CLI prints its message on one line and exits with status 2.
 *
 * @example
 * ```ts
 * throw new UsageError('missing value for y in --at (the expression uses x, y)');
 * ```
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
