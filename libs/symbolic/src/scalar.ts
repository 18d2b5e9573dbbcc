// The numeric meaning of `^`, shared by constant folding, `evaluate` and `compile` so the three agree bit for bit;
// the functions' values are in the function table (functions.ts). IEEE throughout: NaN outside a domain, NaN in
// gives NaN out.

/**
 * `a ^ b`; `b = -1` is an exact division, as constant folding of `1 / b` must give the same number, and `b = -2`
 * (the derivative of every division) is 1/a² correctly rounded ({@link inverseSquare}). A fractional power of a
 * negative number is NaN (the real domain: see the README's numeric conventions).
 *
 * @example
 * ```ts
 * powScalar(2, -1); // 0.5
 * powScalar(-1.7288170196519247e-8, -2); // 3345815133754005.5 (Math.pow: 3345815133754006)
 * ```
 */
export function powScalar(a: number, b: number): number {
  return b === -1 ? 1 / a : b === -2 ? inverseSquare(a) : Math.pow(a, b);
}

/**
 * 1/a², correctly rounded where a² is a normal number (|a| from about 1e-145 to 1e145), else `Math.pow(a, -2)`
 * (0, ±Infinity, NaN and the far ends). V8's `Math.pow(a, -2)` is one ulp off for about 7% of arguments and costs
 * about 50 ns; CPython's (glibc's) pow, which micrograd uses, is correctly rounded. With a² = p + e and q·p = u + w
 * exactly (Dekker's products), q = 1/p is corrected by q·(1 - q·a²) = q·((1 - u) - w - q·e).
 *
 * @example
 * ```ts
 * inverseSquare(3); // 0.1111111111111111
 * ```
 */
export function inverseSquare(a: number): number {
  const p = a * a;
  if (!(p > 1e-290 && p < 1e290)) return Math.pow(a, -2);
  const q = 1 / p;
  const u = q * p;
  return q + q * (1 - u - productError(q, p, u) - q * productError(a, a, p));
}

/** x·y - xy exactly, for xy = fl(x·y) (Dekker's product, each factor split in halves of 26 bits by Veltkamp). */
function productError(x: number, y: number, xy: number): number {
  const sx = 134217729 * x;
  const xHigh = sx - (sx - x);
  const xLow = x - xHigh;
  const sy = 134217729 * y;
  const yHigh = sy - (sy - y);
  const yLow = y - yHigh;
  return xHigh * yHigh - xy + xHigh * yLow + xLow * yHigh + xLow * yLow;
}

/**
 * JavaScript statements setting `dst` to `inverseSquare(a)` with its operations in its order (the same bits), for
 * the generated loops: written in, they cost no call and no share of the engine's inlining budget. `a` is evaluated
 * once.
 *
 * @example
 * ```ts
 * inverseSquareSource('v[3]', 'v[1]'); // '{const $a=v[1],$p=$a*$a;…'
 * ```
 */
export function inverseSquareSource(dst: string, a: string): string {
  // productError(x, y, xy) written out twice: for (q, p, u), then (a, a, p). Names start with $ so that they
  // shadow nothing the arguments read.
  const error = (x: string, y: string, xy: string, n: string): string =>
    `const ${n}x=134217729*${x},${n}h=${n}x-(${n}x-${x}),${n}l=${x}-${n}h,` +
    `${n}y=134217729*${y},${n}H=${n}y-(${n}y-${y}),${n}L=${y}-${n}H,` +
    `${n}=${n}h*${n}H-${xy}+${n}h*${n}L+${n}l*${n}H+${n}l*${n}L;`;
  return (
    `{const $a=${a},$p=$a*$a;if(!($p>1e-290&&$p<1e290))${dst}=Math.pow($a,-2);else{const $q=1/$p,$u=$q*$p;` +
    error('$q', '$p', '$u', '$e') +
    error('$a', '$a', '$p', '$f') +
    `${dst}=$q+$q*(1-$u-$e-$q*$f);}}`
  );
}
