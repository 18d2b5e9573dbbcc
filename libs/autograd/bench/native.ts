/**
 * The native reference for W4: bench/w4.c, the same workload as a C tape interpreter in double precision, built
 * with `cc -O3` into a temporary folder at bench time and run there, so every W4 path can be reported as a ratio to
 * it from the same `npm run bench`. Without a C compiler the reference is skipped with a note.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the C program printed: its best milliseconds per iteration, and the last node's value. */
export interface NativeW4 {
  /** The best repetition (each the mean over `iterations` forward + backward passes) of all its runs. */
  ms: number;
  /** The same in CPU time of the process (which other work on the machine inflates less than wall time). */
  cpuMs: number;
  value: number;
  /** The compiler and flags, as printed beside the figures. */
  compiler: string;
}

/** The compiler to use: $CC, else cc, gcc or clang, whichever answers first; undefined when none does. */
function findCompiler(): string | undefined {
  const candidates = [process.env.CC, 'cc', 'gcc', 'clang'].filter(
    (c): c is string => c !== undefined && c !== '',
  );
  return candidates.find((c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0);
}

/**
 * Build bench/w4.c and run it `runs` times on `nOps` ops (5 repetitions of `iterations` passes each); undefined, with a note
 * printed by `note`, when there is no C compiler or the build or run fails.
 */
export function runNativeW4(
  nOps: number,
  iterations: number,
  runs: number,
  note: (text: string) => void,
): NativeW4 | undefined {
  const compiler = findCompiler();
  if (compiler === undefined) {
    note('no C compiler found (cc, gcc, clang or $CC): the C reference is skipped');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'crossgrad-w4-'));
  try {
    const source = fileURLToPath(new URL('./w4.c', import.meta.url));
    const binary = join(dir, 'w4');
    const flags = ['-O3', '-o', binary, source, '-lm'];
    const build = spawnSync(compiler, flags, { encoding: 'utf8' });
    if (build.status !== 0) {
      note(`the C reference did not build (${compiler} ${flags.join(' ')}): ${build.stderr.trim()}`);
      return undefined;
    }
    // Many short samples, as the JavaScript paths are timed (a long one averages in the machine's other work):
    // `runs` invocations of 5 repetitions of `iterations` passes, the best repetition of all.
    let ms = Infinity;
    let cpuMs = Infinity;
    let value = NaN;
    for (let r = 0; r < runs; r++) {
      const run = spawnSync(binary, [String(nOps), String(iterations)], { encoding: 'utf8' });
      const [best, last, , bestCpu] = run.stdout.trim().split(/\s+/).map(Number);
      if (run.status !== 0 || !Number.isFinite(best) || !Number.isFinite(last) || !Number.isFinite(bestCpu)) {
        note(`the C reference did not run: ${run.stderr.trim() || run.stdout.trim()}`);
        return undefined;
      }
      ms = Math.min(ms, best);
      cpuMs = Math.min(cpuMs, bestCpu);
      value = last;
    }
    const version = spawnSync(compiler, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    return { ms, cpuMs, value, compiler: `${version} -O3` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
