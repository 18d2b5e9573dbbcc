import type fc from 'fast-check';

/** The shrunk counterexample of a failed `fc.check`; an error naming seed and path when the property held. */
export function counterexampleOf<T>(result: fc.RunDetails<T>): T {
  const found = result.counterexample;
  if (found === null) throw new Error(`no counterexample found (seed ${result.seed})`);
  return found;
}

/** `map.get(key)`, or an error naming the key when it is missing. */
export function entry<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no entry for ${String(key)}`);
  return value;
}
