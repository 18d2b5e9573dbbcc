import { readArgs, USAGE, UsageError } from './args.js';
import { formatSummary, runFuzz } from './run.js';

/**
 * `npx nx run verify:fuzz -- --runs 100000`: random expressions at random points through every oracle. Prints the
 * figures and exits 1 on any disagreement, 2 on a bad command line.
 */
function main(): number {
  let args;
  try {
    args = readArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`fuzz: ${e.message} (try --help)`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const summary = runFuzz(args, {
    progress: (n) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${n} / ${args.runs}`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\r');
  console.log(formatSummary(summary, args));
  return summary.disagreements.length > 0 ? 1 : 0;
}

process.exitCode = main();
