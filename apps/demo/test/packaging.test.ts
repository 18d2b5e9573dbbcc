import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));

const LIBRARIES = [
  '@crossgrad/libm',
  '@crossgrad/loops',
  '@crossgrad/autograd',
  '@crossgrad/symbolic',
  '@crossgrad/verify',
  '@crossgrad/optimize',
];
const WAYS = [
  'ESM import',
  'CommonJS require',
  'TypeScript, nodenext resolution',
  'TypeScript, bundler resolution',
  'TypeScript, node10 resolution',
];

describe('the libraries install outside the monorepo', () => {
  it('each tarball installs into an empty project with its @crossgrad dependencies and works every way', async () => {
    // scripts/pack-install.ts exits 1 when any check fails; its report names each check.
    const { stdout } = await run(process.execPath, [tsx, 'scripts/pack-install.ts'], {
      cwd: repo,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`pack-install failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    const lines = stdout.trim().split('\n');
    const expected = LIBRARIES.flatMap((lib) => [
      expect.stringMatching(new RegExp(`^ok {4}${lib}: npm install of its tarball with ${lib}`)),
      ...WAYS.map((way) => `ok    ${lib}: ${way}`),
    ]);
    expect(lines).toEqual(expected);
    // autograd's and symbolic's tarballs need loops' and libm's beside them.
    expect(lines[12]).toBe(
      'ok    @crossgrad/autograd: npm install of its tarball with @crossgrad/autograd, @crossgrad/loops, @crossgrad/libm',
    );
    expect(lines[18]).toBe(
      'ok    @crossgrad/symbolic: npm install of its tarball with @crossgrad/symbolic, @crossgrad/loops, @crossgrad/libm',
    );
    // verify's needs autograd's, symbolic's, loops' and libm's.
    expect(lines[24]).toBe(
      'ok    @crossgrad/verify: npm install of its tarball with @crossgrad/verify, @crossgrad/symbolic, @crossgrad/loops, @crossgrad/libm, @crossgrad/autograd',
    );
    // So does optimize's.
    expect(lines[30]).toMatch(
      /^ok {4}@crossgrad\/optimize: npm install of its tarball with @crossgrad\/optimize, /,
    );
    for (const lib of ['@crossgrad/autograd', '@crossgrad/symbolic', '@crossgrad/loops', '@crossgrad/libm'])
      expect(lines[30]).toContain(lib);
  }, 600_000);
});
