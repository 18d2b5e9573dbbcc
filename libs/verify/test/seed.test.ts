import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_SEED, runs, seedFrom } from './support/runs.js';

describe('property seeds', () => {
  test('every property of a file starts from the seed the setup file printed', () => {
    const global = fc.readConfigureGlobal();
    expect(global.seed).toBeTypeOf('number');
    expect(Number.isSafeInteger(global.seed)).toBe(true);
    const raw = process.env['VERIFY_SEED'];
    // A number replays that seed; unset, the default; "random" draws one (whatever it is, printed by the setup file).
    if (raw === undefined || raw === '') expect(global.seed).toBe(DEFAULT_SEED);
    else if (raw !== 'random') expect(global.seed).toBe(Number(raw));
  });

  test('a failing property reports the seed and the path that replay its shrunk counterexample', () => {
    const global = fc.readConfigureGlobal();
    let message = '';
    try {
      fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), (n) => n < 500));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`seed: ${global.seed}, path: "`);
    expect(message).toContain('Counterexample: [500]');
    // The seed and path printed replay the same counterexample directly.
    const path = /path: "([^"]*)"/.exec(message)?.[1];
    expect(path).toBeDefined();
    const replay = fc.check(
      fc.property(fc.integer({ min: 0, max: 1000 }), (n) => n < 500),
      {
        seed: global.seed,
        path,
      },
    );
    expect(replay.counterexample).toEqual([500]);
  });

  test('a plain run uses the fixed default seed; VERIFY_SEED replays one, or draws one when "random"', () => {
    expect(seedFrom(undefined, () => 0.5)).toBe(DEFAULT_SEED);
    expect(seedFrom('', () => 0.25)).toBe(DEFAULT_SEED);
    expect(seedFrom('12345')).toBe(12345);
    expect(seedFrom('-7')).toBe(-7);
    expect(seedFrom('random', () => 0.5)).toBe(-(2 ** 31));
    expect(seedFrom('random', () => 0.25)).toBe(2 ** 30);
    expect(() => seedFrom('1.5')).toThrow(
      'VERIFY_SEED must be an integer from -2147483648 to 2147483647 or "random", got "1.5"',
    );
    expect(() => seedFrom('4294967296')).toThrow('got "4294967296"');
    expect(() => seedFrom('x')).toThrow('got "x"');
  });

  test('VERIFY_RUNS sets the number of runs; a bad one is refused by name', () => {
    expect(runs(300, undefined)).toBe(300);
    expect(runs(300, '10000')).toBe(10000);
    expect(() => runs(300, '0')).toThrow('VERIFY_RUNS must be a positive integer, got "0"');
  });
});
