import fc from 'fast-check';
import { InvalidInputError } from '../errors.js';
import { checkVariableList } from '../tape.js';

/**
 * Options of {@link pointArbitrary}.
 *
 * @example
 * ```ts
 * pointArbitrary(['x'], { max: 1 }); // coordinates in [-1, 1]
 * ```
 */
export interface PointArbitraryOptions {
  /** Coordinates lie in `[-max, max]`. Default 3: larger points mostly overflow nested `exp`. */
  readonly max?: number;
}

/**
 * A fast-check arbitrary of points: one coordinate per variable, in `[-max, max]`: 2 in 5 a round number (a multiple
 * of 1/4), 2 in 5 spread evenly at 30-bit resolution, 1 in 5 any double (fast-check leans to the extremes:
 * subnormals, the bounds). Coordinates shrink to 0 and to round numbers.
 *
 * @example
 * ```ts
 * fc.sample(pointArbitrary(['x', 'y']), 1); // e.g. [{ x: 0.25, y: -2.0318… }]
 * ```
 */
export function pointArbitrary(
  variables: readonly string[],
  opts: PointArbitraryOptions = {},
): fc.Arbitrary<Record<string, number>> {
  const max = opts.max ?? 3;
  if (!(max > 0) || !Number.isFinite(max))
    throw new InvalidInputError(`max must be a positive number, got ${max}`);
  checkVariableList(variables);
  const quarters = Math.floor(max * 4);
  const steps = 2 ** 30;
  // Cross-shrinking lets a coordinate from any branch shrink into the first: round numbers.
  const coordinate = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.integer({ min: -quarters, max: quarters }).map((n) => n / 4), weight: 2 },
    // Spread evenly over the range with 30 bits: no accidental tiny magnitudes.
    { arbitrary: fc.integer({ min: -steps, max: steps }).map((n) => (n / steps) * max), weight: 2 },
    // Any double, with fast-check's bias to the extremes (subnormals, ±max): the edges of the number range.
    { arbitrary: fc.double({ min: -max, max, noNaN: true, noDefaultInfinity: true }), weight: 1 },
  );
  const record: Record<string, fc.Arbitrary<number>> = {};
  for (const v of variables) record[v] = coordinate;
  return fc.record(record);
}
