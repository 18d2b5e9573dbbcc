/**
 * One set-up in a fresh process, as a program meets it: W4's graph built, then compiled at once in the mode given
 * as the argument, the first compile of the process (the compiler's own code not optimised yet). Prints the set-up's
 * milliseconds as JSON: `{ wall, thread, process }` (see `threadCpuMs`). index.ts runs it several times, each in a
 * process of its own: `tsx --conditions=@crossgrad/source bench/cold.ts loops`.
 */
import { compileW4Timed } from './w4.js';

const mode = process.argv[2];
if (mode !== 'loops' && mode !== 'codegen' && mode !== 'tape') {
  throw new Error(`cold.ts: the mode must be loops, codegen or tape, got ${mode}`);
}
const { compiled, timing } = compileW4Timed(mode);
if (compiled.mode !== mode) throw new Error(`cold.ts: compiled as ${compiled.mode}, not ${mode}`);
process.stdout.write(JSON.stringify({ wall: timing.wall, thread: timing.cpu, process: timing.process }));
