/**
 * Pack each library, install its tarball into an empty project beside the tarballs of its @crossgrad
 * dependencies, and use it every way a project might: ESM `import`, CommonJS `require`, and TypeScript with
 * `nodenext`, `bundler` and `node10` module resolution.
 *
 * The libraries are built and packed from a copy of their sources in a temporary folder, so the repository's own
 * dist folders are left alone. Offline: the libraries' third-party dependencies (mathjs, fast-check and theirs)
 * are copied from this repository's node_modules into each project before `npm install --offline`, which then
 * finds them installed.
 *
 *   tsx scripts/pack-install.ts [--keep]
 *
 * Prints one line per check and exits 1 if any failed. `--keep` leaves the temporary projects for a look.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

interface Library {
  readonly name: string;
  readonly dir: string;
  /** A line of code that prints `ok` when the library works; `lib` is the imported module. */
  readonly smoke: string;
  /** TypeScript that must type-check against the installed types. */
  readonly typed: string;
}

const LIBRARIES: readonly Library[] = [
  {
    name: '@crossgrad/libm',
    dir: 'libs/libm',
    smoke: 'ok(lib.exp(1) === Math.E && lib.exp(-Infinity) === 0);',
    typed: "import { exp } from '@crossgrad/libm';\nconst y: number = exp(1);\nexport { y };\n",
  },
  {
    name: '@crossgrad/loops',
    dir: 'libs/loops',
    smoke:
      'const r = lib.findRepeats(Float64Array.of(1, 1, 1), Int32Array.of(2, 0, 1, 3, 1, 2, 4, 2, 3), Int32Array.of(0, 3, 6, 9)); ok(r.length === 1 && r[0].reps === 3);',
    typed:
      "import { findRepeats, type Repeat } from '@crossgrad/loops';\nconst r: Repeat[] | undefined = findRepeats(new Float64Array(0), new Int32Array(0), Int32Array.of(0));\nexport { r };\n",
  },
  {
    name: '@crossgrad/autograd',
    dir: 'libs/autograd',
    smoke: "const a = new lib.Value(2, 'a'); const y = a.mul(a).add(a); y.backward(); ok(a.grad === 5);",
    typed:
      "import { Value } from '@crossgrad/autograd';\nconst a: Value = new Value(2);\nconst g: number = a.tanh().data;\nexport { g };\n",
  },
  {
    name: '@crossgrad/symbolic',
    dir: 'libs/symbolic',
    smoke: "ok(lib.format(lib.diff(lib.parse('x^3'), 'x')) === '3 * x^2');",
    typed:
      "import { diff, parse, type Expr } from '@crossgrad/symbolic';\nconst d: Expr = diff(parse('x^3'), 'x');\nexport { d };\n",
  },
  {
    name: '@crossgrad/verify',
    dir: 'libs/verify',
    smoke:
      "const r = lib.compareGradients('sin(x) * y', { x: 1, y: 2 }); ok(r.verdict === 'agree' && r.mathjs.applicable);",
    typed:
      "import { compareGradients, type Verdict } from '@crossgrad/verify';\nconst v: Verdict = compareGradients('x^2', { x: 3 }).verdict;\nexport { v };\n",
  },
  {
    name: '@crossgrad/optimize',
    dir: 'libs/optimize',
    smoke:
      "const r = lib.fit('a * x + b', { x: [0, 1, 2], y: [1, 3, 5] }, { a: 0, b: 0 }); ok(r.converged && Math.abs(r.params.a - 2) < 1e-12);",
    typed:
      "import { fit, type FitResult } from '@crossgrad/optimize';\nconst r: FitResult = fit('a * x', { x: [1, 2], y: [2, 4] }, { a: 1 });\nexport { r };\n",
  },
];

/** TypeScript settings per resolution mode, and whether the consumer is an ES module. */
const TYPESCRIPT: readonly { mode: string; esm: boolean; options: Record<string, string | boolean> }[] = [
  {
    mode: 'nodenext',
    esm: true,
    options: { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false },
  },
  {
    mode: 'bundler',
    esm: true,
    options: { module: 'esnext', moduleResolution: 'bundler', skipLibCheck: false },
  },
  // fast-check's own declarations import pure-rand by subpath exports, which node10 cannot resolve: as any
  // node10 project using fast-check must, skip checking the declaration files (ours are still resolved and used).
  {
    mode: 'node10',
    esm: false,
    options: { module: 'commonjs', moduleResolution: 'node10', skipLibCheck: true },
  },
];

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
}
interface LockEntry {
  dependencies?: Record<string, string>;
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** The library's @crossgrad dependencies (transitively) and its third-party ones with theirs, from the lock file. */
async function closure(lib: Library): Promise<{ crossgrad: string[]; thirdParty: string[] }> {
  const lock = (await readJson<{ packages: Record<string, LockEntry> }>(join(repo, 'package-lock.json')))
    .packages;
  const manifests = new Map<string, PackageJson>();
  for (const l of LIBRARIES)
    manifests.set(l.name, await readJson<PackageJson>(join(repo, l.dir, 'package.json')));
  const crossgrad = new Set<string>();
  const thirdParty = new Set<string>();
  const pending = [lib.name];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (crossgrad.has(name) || thirdParty.has(name)) continue;
    const own = manifests.get(name);
    if (own !== undefined) {
      crossgrad.add(name);
      pending.push(...Object.keys(own.dependencies ?? {}));
    } else {
      thirdParty.add(name);
      pending.push(...Object.keys(lock[`node_modules/${name}`]?.dependencies ?? {}));
    }
  }
  return { crossgrad: [...crossgrad], thirdParty: [...thirdParty] };
}

/**
 * A copy of the libraries' sources, package files and TypeScript settings, with node_modules linking to this
 * repository's (and @crossgrad/* to the copies), built with `tsc -b`.
 */
async function stageAndBuild(stage: string): Promise<void> {
  await cp(join(repo, 'tsconfig.base.json'), join(stage, 'tsconfig.base.json'));
  for (const lib of LIBRARIES) {
    for (const entry of ['package.json', 'README.md', 'tsconfig.json', 'src']) {
      await cp(join(repo, lib.dir, entry), join(stage, lib.dir, entry), { recursive: true });
    }
  }
  const modules = join(stage, 'node_modules');
  await mkdir(join(modules, '@crossgrad'), { recursive: true });
  for (const entry of await readdir(join(repo, 'node_modules'))) {
    if (entry !== '@crossgrad') await symlink(join(repo, 'node_modules', entry), join(modules, entry));
  }
  for (const lib of LIBRARIES) await symlink(join(stage, lib.dir), join(modules, lib.name));
  await run(process.execPath, [tsc, '-b', ...LIBRARIES.map((l) => join(stage, l.dir))]);
}

async function pack(stage: string, lib: Library, into: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', into], {
    cwd: join(stage, lib.dir),
  });
  const [info] = JSON.parse(stdout) as { filename: string }[];
  return join(into, info!.filename);
}

async function check(label: string, results: string[], body: () => Promise<void>): Promise<boolean> {
  try {
    await body();
    results.push(`ok    ${label}`);
    return true;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message?: string };
    const detail = (e.stdout ?? '') + (e.stderr ?? '') || (e.message ?? String(error));
    results.push(`FAIL  ${label}\n${detail.trim().replace(/^/gm, '        ')}`);
    return false;
  }
}

const SMOKE_HEAD = "const ok = (c) => { if (!c) throw new Error('wrong result'); console.log('ok'); };\n";

async function main(): Promise<number> {
  const keep = process.argv.includes('--keep');
  const work = await mkdtemp(join(tmpdir(), 'crossgrad-pack-'));
  const results: string[] = [];
  let passed = true;
  try {
    const stage = join(work, 'stage');
    await stageAndBuild(stage);
    const tarballs = join(work, 'tarballs');
    await mkdir(tarballs);
    const tarball = new Map<string, string>();
    for (const lib of LIBRARIES) tarball.set(lib.name, await pack(stage, lib, tarballs));

    for (const lib of LIBRARIES) {
      const project = join(work, lib.name.replace('@crossgrad/', ''));
      await mkdir(project);
      await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
      const { crossgrad, thirdParty } = await closure(lib);
      for (const dep of thirdParty) {
        await cp(join(repo, 'node_modules', dep), join(project, 'node_modules', dep), { recursive: true });
      }
      const installed = await check(
        `${lib.name}: npm install of its tarball with ${crossgrad.join(', ')}`,
        results,
        () =>
          run(
            'npm',
            [
              'install',
              '--offline',
              '--no-audit',
              '--no-fund',
              '--ignore-scripts',
              ...crossgrad.map((n) => tarball.get(n)!),
            ],
            {
              cwd: project,
            },
          ).then(() => undefined),
      );
      if (!installed) {
        passed = false;
        continue;
      }
      await writeFile(
        join(project, 'smoke.mjs'),
        `${SMOKE_HEAD}import * as lib from '${lib.name}';\n${lib.smoke}\n`,
      );
      await writeFile(
        join(project, 'smoke.cjs'),
        `${SMOKE_HEAD}const lib = require('${lib.name}');\n${lib.smoke}\n`,
      );
      for (const [label, file] of [
        ['ESM import', 'smoke.mjs'],
        ['CommonJS require', 'smoke.cjs'],
      ] as const) {
        passed =
          (await check(`${lib.name}: ${label}`, results, async () => {
            const { stdout } = await run(process.execPath, [file], { cwd: project });
            if (stdout.trim() !== 'ok') throw new Error(`printed ${JSON.stringify(stdout)}`);
          })) && passed;
      }
      for (const ts of TYPESCRIPT) {
        const dir = join(project, `ts-${ts.mode}`);
        await mkdir(dir);
        await writeFile(join(dir, 'package.json'), JSON.stringify({ type: ts.esm ? 'module' : 'commonjs' }));
        await writeFile(join(dir, 'index.ts'), lib.typed);
        await writeFile(
          join(dir, 'tsconfig.json'),
          JSON.stringify({
            compilerOptions: { target: 'es2022', strict: true, noEmit: true, types: [], ...ts.options },
            files: ['index.ts'],
          }),
        );
        passed =
          (await check(`${lib.name}: TypeScript, ${ts.mode} resolution`, results, () =>
            run(process.execPath, [tsc, '-p', dir]).then(() => undefined),
          )) && passed;
      }
    }
  } finally {
    console.log(results.join('\n'));
    if (keep) console.log(`projects kept in ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
  return passed ? 0 : 1;
}

process.exitCode = await main();
