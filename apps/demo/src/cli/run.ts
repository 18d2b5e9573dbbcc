import { parseCommandLine } from './args.js';
import { helpText } from './help.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

/**
 * Runs the CLI on its arguments and returns the exit status: 0 every derivative agrees at a point where the
 * function is differentiable, 1 a disagreement (or an internal error), 2 bad input, 3 no derivative to check at the
 * point (verdict undefined, not-differentiable or skipped), 4 `fit` or `minimize` stopped without converging. Never throws: every error becomes one message on stderr.
 *
 * Commands are imported when chosen, so `--help` and bad options answer without loading the libraries.
 *
 * @example
 * ```ts
 * process.exitCode = await run(['--expr', 'x^2', '--at', 'x=3'], { stdout: process.stdout, stderr: process.stderr, env: process.env });
 * ```
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    switch (command.kind) {
      case 'help':
        io.stdout.write(helpText());
        return 0;
      case 'check': {
        const { runCheck } = await import('../commands/check-command.js');
        return await runCheck(command, io);
      }
      case 'train': {
        const { runTrain } = await import('../commands/train-command.js');
        return await runTrain(command, io);
      }
      case 'fit': {
        const { runFit } = await import('../commands/fit-command.js');
        return await runFit(command, io);
      }
      case 'minimize': {
        const { runMinimize } = await import('../commands/minimize-command.js');
        return await runMinimize(command, io);
      }
    }
  } catch (error) {
    const { message, status } =
      error instanceof UsageError
        ? { message: error.message, status: 2 }
        : (await import('./describe-error.js')).describeError(error);
    io.stderr.write(`crossgrad: ${message}\n`);
    if (status !== 2 && io.env['CROSSGRAD_DEBUG'] !== undefined && error instanceof Error) {
      io.stderr.write(`${error.stack ?? ''}\n`);
    }
    return status;
  }
}
