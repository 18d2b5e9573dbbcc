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
 * A fast-check arbitrary of points: one coordinate per variable, half the time a round number (a multiple of 1/4),
 * otherwise any double in `[-max, max]`. Coordinates shrink to 0 and to round numbers.
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
  const coordinate = fc.oneof(
    fc.integer({ min: -quarters, max: quarters }).map((n) => n / 4),
    fc.double({ min: -max, max, noNaN: true, noDefaultInfinity: true }),
  );
  const record: Record<string, fc.Arbitrary<number>> = {};
  for (const v of variables) record[v] = coordinate;
  return fc.record(record);
}
