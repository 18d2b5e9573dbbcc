/**
 * B5's set-up in a fresh process, as a program meets it: W4's graph (N_OPS from the argument) built, then
 * fromValue and compileGradient (loops) at once, the first of each in the process (the libraries' own code not
 * optimised yet). Prints their Timings as JSON, `{ fromValue, compileGradient }`. index.ts runs it several times,
 * each in a process of its own: `tsx --conditions=@crossgrad/source bench/cold.ts 10000`.
 */
import { compileGradient } from '@crossgrad/symbolic';
import { fromValue } from '@crossgrad/verify';
import { timed } from '../../autograd/bench/measure.js';
import { w4Graph } from './setup.js';

const nOps = Number(process.argv[2]);
if (!Number.isInteger(nOps) || nOps <= 0)
  throw new Error(`cold.ts: N_OPS must be a positive integer, got ${process.argv[2]}`);
const { output, names } = w4Graph(nOps);
const [expr, fromValueMs] = timed(() => fromValue(output));
const [, compileMs] = timed(() => compileGradient(expr, names, { mode: 'loops' }));
process.stdout.write(JSON.stringify({ fromValue: fromValueMs, compileGradient: compileMs }));
