import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';

const web = fileURLToPath(new URL('..', import.meta.url));
const libs = fileURLToPath(new URL('../../../../libs/', import.meta.url));

/**
 * The libraries' modules do nothing when imported but define things, so a module the page does not use can be
 * left out: verify's fast-check arbitraries (for property tests) would otherwise be two thirds of the page's
 * first script. esbuild cannot tell on its own, because building an arbitrary at module level calls fast-check.
 */
const librariesArePure: Plugin = {
  name: 'crossgrad-libraries-are-pure',
  setup(b) {
    b.onResolve({ filter: /^(@crossgrad\/|\.{1,2}\/)/ }, async (args) => {
      if (args.pluginData === librariesArePure) return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: librariesArePure,
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(libs)) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

/**
 * Where `npm run build:web` writes the site.
 *
 * @example
 * ```ts
 * await serveStatic(DEFAULT_OUTDIR);
 * ```
 */
export const DEFAULT_OUTDIR = join(web, '..', 'dist-web');

/** What a build wrote, with the JavaScript's sizes. */
export interface WebBuild {
  readonly outdir: string;
  /** Every JavaScript file, raw and gzipped bytes. */
  readonly scripts: readonly { readonly file: string; readonly bytes: number; readonly gzip: number }[];
  /** gzipped bytes of the JavaScript loaded before the seed table shows (main.js and the chunks it imports). */
  readonly initialGzip: number;
  /** gzipped bytes of all the JavaScript, Graphviz, the parser, TeX and the worker included. */
  readonly totalGzip: number;
}

/**
 * Bundle the page with esbuild: `main.js` (the page), `check-worker.js` (parsing, differentiating, checking and
 * printing, off the main thread), `draw-worker.js` (Graphviz) and `train-worker.js` (training), ES modules split into
 * chunks so that Graphviz (WASM), mathjs (the parser) and the TeX typesetter load only when first needed. All
 * paths are relative, so the folder works from any static file server.
 *
 * @example
 * ```ts
 * const { totalGzip } = await buildWeb();
 * ```
 */
export async function buildWeb(outdir: string = DEFAULT_OUTDIR): Promise<WebBuild> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const common: BuildOptions = {
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'linked',
    conditions: ['@crossgrad/source'],
    metafile: true,
    plugins: [librariesArePure],
    logLevel: 'warning',
  };
  // The training worker is built on its own: with it among the split entries, esbuild puts every module it shares
  // with the page (autograd's index reaches compileGraph and its two code generators) in a chunk the page loads
  // first, used or not. Alone, it carries its own copy of what it needs, loaded when training starts.
  const [split, trainer] = await Promise.all([
    build({
      ...common,
      entryPoints: [
        join(web, 'src/main.ts'),
        join(web, 'src/check-worker.ts'),
        join(web, 'src/draw-worker.ts'),
      ],
    }),
    build({ ...common, entryPoints: [join(web, 'src/train-worker.ts')], splitting: false }),
  ]);
  const outputsOf = (m: Metafile | undefined): Metafile['outputs'] => {
    if (m === undefined) throw new Error('esbuild wrote no metafile');
    return m.outputs;
  };
  const result = { metafile: { outputs: { ...outputsOf(split.metafile), ...outputsOf(trainer.metafile) } } };
  await Promise.all(['index.html', 'style.css'].map((f) => copyFile(join(web, f), join(outdir, f))));

  const outputs = result.metafile.outputs;
  const scripts = await Promise.all(
    Object.keys(outputs)
      .filter((f) => f.endsWith('.js'))
      .map(async (f) => {
        const text = await readFile(f);
        return { file: relative(outdir, f), bytes: text.length, gzip: gzipSync(text, { level: 9 }).length };
      }),
  );
  // main.js and its static imports: what the browser must load before the page's code runs.
  const initial = new Set<string>();
  const pending = Object.keys(outputs).filter((f) => f.endsWith('main.js'));
  while (pending.length > 0) {
    const f = pending.pop()!;
    if (initial.has(f)) continue;
    initial.add(f);
    for (const imp of outputs[f]?.imports ?? []) if (imp.kind === 'import-statement') pending.push(imp.path);
  }
  const initialFiles = new Set([...initial].map((f) => relative(outdir, f)));
  return {
    outdir,
    scripts,
    initialGzip: scripts.filter((s) => initialFiles.has(s.file)).reduce((n, s) => n + s.gzip, 0),
    totalGzip: scripts.reduce((n, s) => n + s.gzip, 0),
  };
}

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await buildWeb(process.argv[2] ?? DEFAULT_OUTDIR);
  const where = relative(process.cwd(), built.outdir) || '.';
  console.log(
    `wrote ${where}/ (JavaScript gzipped: ${kib(built.initialGzip)} before the table, ${kib(built.totalGzip)} in all)`,
  );
}
