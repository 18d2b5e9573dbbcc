import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Vitest settings every project shares: resolve workspace packages to their TypeScript sources, and write a JSON
 * report per project next to the console output so CI can count real results.
 *
 * The suite must pass on a 2-core machine whose cores are busy with other work, so:
 * - Nx runs one project at a time (`--parallel=1` in the root `test` script) and each project uses at most two
 *   worker processes;
 * - modules stay loaded across a worker's test files (`isolate: false`), so mathjs and fast-check load once per
 *   worker, not once per file (no test keeps mutable state between files);
 * - a test's budget is 60 s, not vitest's 5 s: a hang guard sized for a loaded machine, never a speed assertion.
 *   Heavy tests name their own budget beside the test.
 */
export function projectConfig(name: string) {
  return defineConfig({
    resolve: { conditions: ['@crossgrad/source', 'module', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@crossgrad/source', 'module', 'node', 'import', 'default'] } },
    test: {
      name,
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: `${root}.test-results/${name}.json` },
      maxWorkers: 2,
      isolate: false,
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  });
}
