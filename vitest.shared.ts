import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Vitest settings every project shares: resolve workspace packages to their TypeScript sources, and write a JSON
 * report per project next to the console output so CI can count real results.
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
    },
  });
}
