/**
 * Throws the TypeError of a function of libm given something other than a number, naming the function and what it
 * got. Kept out of the functions themselves so that their bytecode stays short enough for V8 to inline them.
 */
export function notANumber(fn: string, x: unknown): never {
  const got = typeof x === 'string' ? `the string '${x}'` : x === null ? 'null' : typeof x;
  throw new TypeError(`${fn}: x must be a number, got ${got}`);
}
