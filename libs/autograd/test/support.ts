import { expect } from 'vitest';

/**
 * The properties' seed: a fixed default, so every run (CI's included) checks the same cases; `AUTOGRAD_SEED=<n>`
 * replays a seed and `AUTOGRAD_SEED=random` explores a fresh one. It is printed with each property.
 */
export function propertySeed(): number {
  const raw = process.env.AUTOGRAD_SEED;
  if (raw === undefined || raw === '') return 20261207;
  return raw === 'random' ? Date.now() % 2 ** 31 : Number(raw);
}

/** Bitwise equality of two lists of numbers (Object.is: NaN equals NaN, 0 and -0 differ). */
export function expectIdentical(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  const differ: string[] = [];
  for (let k = 0; k < want.length; k++) {
    if (!Object.is(got[k], want[k])) differ.push(`[${k}] ${got[k]} vs ${want[k]}`);
  }
  expect(differ).toEqual([]);
}
