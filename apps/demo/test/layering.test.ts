import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The lint rule that keeps the layers apart (eslint.config.js): autograd and symbolic never import each other,
// verify and optimize never import each other, loops and libm (below both engines) import no other library, and
// no library imports a layer above it. Each case lints one line as if it stood in a library's source file.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${root}${file}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('the layering lint rule', () => {
  it.each([
    [
      'libs/autograd/src/x.ts',
      "import { parse } from '@crossgrad/symbolic';",
      'autograd must not import symbolic',
    ],
    [
      'libs/autograd/src/x.ts',
      "import type { Expr } from '@crossgrad/symbolic';",
      'autograd must not import symbolic',
    ],
    [
      'libs/symbolic/src/x.ts',
      "import { Value } from '@crossgrad/autograd';",
      'symbolic must not import autograd',
    ],
    [
      'libs/symbolic/src/x.ts',
      "export { Value } from '../../autograd/src/value.js';",
      'symbolic must not reach into',
    ],
    [
      'libs/autograd/test/x.test.ts',
      "import { diff } from '../../symbolic/src/diff.js';",
      'autograd must not reach',
    ],
    [
      'libs/verify/src/x.ts',
      "import { run } from '@crossgrad/demo';",
      'verify must not import optimize, demo',
    ],
    ['libs/verify/src/x.ts', "import { fit } from '@crossgrad/optimize';", 'verify must not import optimize'],
    [
      'libs/optimize/src/x.ts',
      "import { compareGradients } from '@crossgrad/verify';",
      'optimize must not import verify',
    ],
    [
      'libs/optimize/test/x.test.ts',
      "import { gradcheck } from '../../verify/src/gradcheck.js';",
      'optimize must not reach into verify',
    ],
    [
      'libs/optimize/src/x.ts',
      "import { run } from '@crossgrad/demo';",
      'optimize must not import verify, demo',
    ],
    ['libs/autograd/src/x.ts', "import { fit } from '@crossgrad/optimize';", 'autograd must not import'],
    [
      'libs/symbolic/src/x.ts',
      "import type { FitResult } from '@crossgrad/optimize';",
      'symbolic must not import',
    ],
    ['libs/loops/src/x.ts', "import { Value } from '@crossgrad/autograd';", 'loops must not import autograd'],
    ['libs/loops/src/x.ts', "import { parse } from '@crossgrad/symbolic';", 'loops must not import'],
    ['libs/loops/test/x.test.ts', "import { W } from '../../symbolic/src/words.js';", 'loops must not reach'],
    ['libs/libm/src/x.ts', "import { Value } from '@crossgrad/autograd';", 'libm must not import'],
    ['libs/libm/src/x.ts', "import { findRepeats } from '@crossgrad/loops';", 'libm must not import'],
    ['libs/loops/src/x.ts', "import { exp } from '@crossgrad/libm';", 'loops must not import'],
  ])(
    '%s: %s is refused',
    async (file, source, message) => {
      const found = await problems(file, source);
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(message);
    },
    120_000,
  );

  it.each([
    [
      'libs/verify/src/x.ts',
      "import { Value } from '@crossgrad/autograd';\nimport { parse } from '@crossgrad/symbolic';",
    ],
    ['apps/demo/src/x.ts', "import { compareGradients } from '@crossgrad/verify';"],
    [
      'libs/optimize/src/x.ts',
      "import { Value } from '@crossgrad/autograd';\nimport { parse } from '@crossgrad/symbolic';",
    ],
    ['apps/demo/src/x.ts', "import { fit } from '@crossgrad/optimize';"],
    ['libs/autograd/src/x.ts', "import { Value } from './value.js';"],
    ['libs/autograd/src/x.ts', "import { findRepeats } from '@crossgrad/loops';"],
    ['libs/symbolic/src/x.ts', "import { FunctionWriter } from '@crossgrad/loops';"],
    ['libs/autograd/src/x.ts', "import { exp } from '@crossgrad/libm';"],
    ['libs/symbolic/src/x.ts', "import { expSource } from '@crossgrad/libm';"],
  ])(
    '%s: allowed imports pass',
    async (file, source) => {
      expect(await problems(file, source)).toEqual([]);
    },
    120_000,
  );
});
