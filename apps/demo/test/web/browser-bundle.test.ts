import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** A Node-only global used directly (not `globalThis.process`, which code may probe for). */
const NODE_GLOBAL = /(?<![.\w$])(process\.|Buffer\b|__dirname\b|__filename\b|require\()/;

/** Globals a browser has too (Node implements them as well): all that a library may assume beyond the language. */
const WEB_GLOBALS = {
  console,
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval,
  queueMicrotask,
  performance,
  structuredClone,
  TextEncoder,
  TextDecoder,
  URL,
  crypto,
};

function sourcesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourcesOf(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Bundle one entry for the browser (no Node built-ins, no Node polyfills), resolving the libraries' sources. */
async function bundleForBrowser(
  entry: { path: string } | { contents: string },
  format: 'esm' | 'iife' = 'esm',
) {
  const result = await build({
    ...('path' in entry
      ? { entryPoints: [entry.path] }
      : { stdin: { contents: entry.contents, resolveDir: repo, loader: 'ts' as const } }),
    absWorkingDir: repo,
    bundle: true,
    write: false,
    platform: 'browser',
    format,
    globalName: 'lib',
    conditions: ['@crossgrad/source'],
    logLevel: 'silent',
  });
  return result;
}

/** Per library, an export its users call first. */
const MAIN_EXPORT: Record<string, string> = {
  libm: 'exp',
  loops: 'findRepeats',
  autograd: 'Value',
  symbolic: 'parse',
  verify: 'compareGradients',
  optimize: 'fit',
};

describe('the libraries bundle for a browser', () => {
  for (const lib of ['libm', 'loops', 'autograd', 'symbolic', 'verify', 'optimize']) {
    it(`@crossgrad/${lib} has no Node-only import`, async () => {
      const result = await bundleForBrowser({ path: `libs/${lib}/src/index.ts` });
      expect(result.errors).toEqual([]);
      expect(result.warnings.map((w) => w.text)).toEqual([]);
      const code = result.outputFiles[0]!.text;
      expect(code).not.toMatch(/\bfrom\s*["']node:|require\(\s*["']node:|import\(\s*["']node:/);
    });

    it(`@crossgrad/${lib} loads where there is no process, Buffer or require`, async () => {
      const result = await bundleForBrowser({ path: `libs/${lib}/src/index.ts` }, 'iife');
      // A realm with the language's built-ins and the web platform's globals, and nothing only Node has.
      const realm = createContext({ ...WEB_GLOBALS });
      runInContext(result.outputFiles[0]!.text, realm);
      const exported = runInContext('Object.keys(lib)', realm) as string[];
      expect(exported).toContain(MAIN_EXPORT[lib]);
      expect(runInContext(`typeof lib.${MAIN_EXPORT[lib]}`, realm)).toBe('function');
    });

    it(`@crossgrad/${lib}'s sources use no Node global`, () => {
      const offenders = sourcesOf(join(repo, 'libs', lib, 'src')).flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line: line.replace(/\/\/.*$|^\s*\*.*$/, ''), at: `${file}:${i + 1}` }))
          .filter(({ line }) => NODE_GLOBAL.test(line))
          .map(({ at }) => at),
      );
      expect(offenders).toEqual([]);
    });
  }

  it('without Node, parse works once loadParser() has loaded mathjs by import()', async () => {
    const result = await bundleForBrowser({ path: 'libs/symbolic/src/index.ts' }, 'iife');
    const realm = createContext({ ...WEB_GLOBALS });
    runInContext(result.outputFiles[0]!.text, realm);
    await (runInContext('lib.loadParser()', realm) as Promise<void>);
    const slope = runInContext(
      "lib.evaluate(lib.diff(lib.parse('sin(x)^2 + e^x * y'), 'x'), { x: 0.3, y: 2 })",
      realm,
    ) as number;
    expect(slope).toBeCloseTo(2 * Math.cos(0.3) * Math.sin(0.3) + Math.exp(0.3) * 2, 12);
  });

  it("without Node, verify's mathjs oracle says it is not loaded, then judges after loadMathjs()", async () => {
    const entry = "export * from '@crossgrad/verify'; export { mul, sin, sym } from '@crossgrad/symbolic';";
    const result = await bundleForBrowser({ contents: entry }, 'iife');
    const realm = createContext({ ...WEB_GLOBALS });
    runInContext(result.outputFiles[0]!.text, realm);
    // sin(x) * y built directly, so that no parser is involved.
    const compare =
      "lib.compareGradients(lib.mul(lib.sin(lib.sym('x')), lib.sym('y')), { x: 1, y: 2 }).mathjs";
    expect(runInContext(compare, realm)).toEqual({
      applicable: false,
      reason: 'mathjs is not loaded (await loadMathjs() first)',
    });
    await (runInContext('lib.loadMathjs()', realm) as Promise<void>);
    expect(runInContext(compare, realm)).toEqual({ applicable: true });
  });

  it('the check fails on a Node-only import', async () => {
    const attempt = bundleForBrowser({
      contents: "import { createRequire } from 'node:module'; export const r = createRequire('/');",
    });
    await expect(attempt).rejects.toThrow(/Could not resolve "node:module"/);
  });
});
