/**
 * The native reference for W4: bench/w4.c, the same workload as a C tape interpreter in double precision, built
 * with `cc -O3` into a temporary folder at bench time and run there, so every W4 path can be reported as a ratio to
 * it from the same `npm run bench`. Without a C compiler the reference is skipped with a note.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What one run of the C program printed: its best milliseconds per iteration, and the last node's value. */
export interface NativeW4Sample {
  /** The best of its 5 repetitions, each the mean over `iterations` forward + backward passes. */
  ms: number;
  /** The same in CPU time of the process (which other work on the machine inflates less than wall time). */
  cpuMs: number;
  value: number;
}

/**
 * The compiler to use, $CC, else cc, gcc or clang, whichever answers first, with the first line of its `--version`;
 * undefined when none answers.
 */
function findCompiler(): { compiler: string; version: string } | undefined {
  const candidates = [process.env.CC, 'cc', 'gcc', 'clang'].filter(
    (c): c is string => c !== undefined && c !== '',
  );
  for (const compiler of candidates) {
    const answer = spawnSync(compiler, ['--version'], { encoding: 'utf8' });
    if (answer.status === 0) return { compiler, version: answer.stdout.split('\n')[0] };
  }
  return undefined;
}

/** The processor this process's main thread last ran on (Linux's /proc), or undefined. */
function currentCpu(): number | undefined {
  try {
    const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
    // Field 39, counted from the state (field 3) after the parenthesised command name.
    const cpu = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[36]);
    return Number.isInteger(cpu) ? cpu : undefined;
  } catch {
    return undefined;
  }
}

/** bench/w4.c built: `sample` runs it once (5 repetitions of `iterations` passes, the best of them). */
export interface NativeW4Program {
  /** The compiler and flags, as printed beside the figures. */
  compiler: string;
  /** One run on `nOps` ops; undefined, with a note, when it fails. */
  sample(nOps: number, iterations: number): NativeW4Sample | undefined;
  /** Deletes the binary. */
  dispose(): void;
}

/**
 * Build bench/w4.c with `cc -O3` into a temporary folder; undefined, with a note printed by `note`, when there is no
 * C compiler or the build fails. Benchmarks run it between their own samples (`sample`), so that the C figures and
 * the JavaScript ones come from the same stretch of time on a machine whose speed varies.
 */
export function buildNativeW4(note: (text: string) => void): NativeW4Program | undefined {
  const found = findCompiler();
  if (found === undefined) {
    note('no C compiler found (cc, gcc, clang or $CC): the C reference is skipped');
    return undefined;
  }
  const { compiler, version } = found;
  const dir = mkdtempSync(join(tmpdir(), 'crossgrad-w4-'));
  const source = fileURLToPath(new URL('./w4.c', import.meta.url));
  const binary = join(dir, 'w4');
  const flags = ['-O3', '-o', binary, source, '-lm'];
  const build = spawnSync(compiler, flags, { encoding: 'utf8' });
  if (build.status !== 0) {
    note(`the C reference did not build (${compiler} ${flags.join(' ')}): ${build.stderr.trim()}`);
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  // The program runs on the processor the benchmark's JavaScript just ran on, where `taskset` can pin it: a
  // machine's cores need not run alike (on a shared virtual machine one may be slower for seconds at a time), and
  // left to the scheduler a child process started from a busy one tends to land on another.
  const pin = spawnSync('taskset', ['--version'], { encoding: 'utf8' }).status === 0;
  return {
    compiler: `${version} -O3`,
    sample(nOps, iterations) {
      const args = [String(nOps), String(iterations)];
      const cpu = pin ? currentCpu() : undefined;
      const run =
        cpu === undefined
          ? spawnSync(binary, args, { encoding: 'utf8' })
          : spawnSync('taskset', ['-c', String(cpu), binary, ...args], { encoding: 'utf8' });
      const [best, last, , bestCpu] = run.stdout.trim().split(/\s+/).map(Number);
      if (run.status !== 0 || !Number.isFinite(best) || !Number.isFinite(last) || !Number.isFinite(bestCpu)) {
        note(`the C reference did not run: ${run.stderr.trim() || run.stdout.trim()}`);
        return undefined;
      }
      return { ms: best, cpuMs: bestCpu, value: last };
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
