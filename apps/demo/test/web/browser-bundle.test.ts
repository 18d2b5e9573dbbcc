import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** Bundle one entry for the browser (no Node built-ins, no Node polyfills), resolving the libraries' sources. */
async function bundleForBrowser(entry: { path: string } | { contents: string }) {
  const result = await build({
    ...('path' in entry
      ? { entryPoints: [entry.path] }
      : { stdin: { contents: entry.contents, resolveDir: repo, loader: 'ts' as const } }),
    absWorkingDir: repo,
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    conditions: ['@crossgrad/source'],
    logLevel: 'silent',
  });
  return result;
}

describe('the libraries bundle for a browser', () => {
  for (const lib of ['autograd', 'symbolic', 'verify']) {
    it(`@crossgrad/${lib} has no Node-only import`, async () => {
      const result = await bundleForBrowser({ path: `libs/${lib}/src/index.ts` });
      expect(result.errors).toEqual([]);
      expect(result.warnings.map((w) => w.text)).toEqual([]);
      const code = result.outputFiles[0]!.text;
      expect(code).not.toMatch(/\bfrom\s*["']node:|require\(\s*["']node:|import\(\s*["']node:/);
    });
  }

  it('the check fails on a Node-only import', async () => {
    const attempt = bundleForBrowser({
      contents: "import { createRequire } from 'node:module'; export const r = createRequire('/');",
    });
    await expect(attempt).rejects.toThrow(/Could not resolve "node:module"/);
  });
});
