/**
 * A number in at most `digits` significant digits, without trailing zeros: `-1.4999999999999996` → `-1.5`.
 *
 * @example
 * ```ts
 * formatNumber(0.7071067811865476); // '0.707107'
 * formatNumber(1.2e-13); // '1.2e-13'
 * ```
 */
export function formatNumber(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return String(Number(x.toPrecision(digits)));
}

/**
 * A function value as the seed prints it: four decimals (`0.7071`), or four significant digits when very large or
 * small.
 *
 * @example
 * ```ts
 * formatValue(0.7071067811865476); // '0.7071'
 * ```
 */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const size = Math.abs(x);
  if (x === 0 || (size >= 1e-3 && size < 1e7)) return String(Number(x.toFixed(4)));
  return String(Number(x.toPrecision(4)));
}

/**
 * Shortens text to `width` characters, ending in `ellipsis`.
 *
 * @example
 * ```ts
 * truncate('exp(2*n) + 1', 8, '...'); // 'exp(2...'
 * ```
 */
export function truncate(text: string, width: number, ellipsis: string): string {
  if (text.length <= width) return text;
  return text.slice(0, Math.max(0, width - ellipsis.length)) + ellipsis;
}
