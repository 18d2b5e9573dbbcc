import { readFileSync } from 'node:fs';

/** The reference values of `cases/public.json` that these tests use. */
export interface PublicCases {
  seedNeuron: {
    point: { x1: number; x2: number; w1: number; w2: number; b: number };
    value: number;
    gradient: { x1: number; w1: number; x2: number; w2: number; b: number; n: number };
  };
  micrograd_sanity_check: { steps: string[]; y: number; 'x.grad': number };
  micrograd_more_ops: { steps: string[]; g: number; 'a.grad': number; 'b.grad': number };
}

/** The public reference values in `cases/public.json` at the repository root. */
export function loadPublicCases(): PublicCases {
  return JSON.parse(
    readFileSync(new URL('../../../cases/public.json', import.meta.url), 'utf8'),
  ) as PublicCases;
}
