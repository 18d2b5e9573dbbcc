import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The reference values of `shared/cases/public.json` that these tests use. */
export interface PublicCases {
  seedNeuron: {
    point: { x1: number; x2: number; w1: number; w2: number; b: number };
    value: number;
    gradient: { x1: number; w1: number; x2: number; w2: number; b: number; n: number };
  };
  micrograd_sanity_check: { steps: string[]; y: number; 'x.grad': number };
  micrograd_more_ops: { steps: string[]; g: number; 'a.grad': number; 'b.grad': number };
}

/**
 * `shared/` sits next to the repository (a sibling of the clone in CI, `/work/shared` here), so look for
 * `shared/cases/public.json` in every ancestor of this folder.
 */
export function loadPublicCases(): PublicCases {
  const tried: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared', 'cases', 'public.json');
    tried.push(candidate);
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, 'utf8')) as PublicCases;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`shared/cases/public.json not found; tried:\n${tried.join('\n')}`);
    dir = parent;
  }
}
