/**
 * A number for the table: six significant digits without trailing zeros (`-1.5`, not `-1.4999999999999996`),
 * exponent notation when very large or small, a dash for a number that was not computed.
 *
 * @example
 * ```ts
 * showNumber(-1.4999999999999996); // '-1.5'
 * showNumber(undefined); // '–'
 * ```
 */
export function showNumber(x: number | undefined, digits = 6): string {
  if (x === undefined) return '–';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e7) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}
