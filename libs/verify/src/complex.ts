/**
 * The complex arithmetic the complex-step oracle needs, and nothing else. It is written for points `a + ib` with a
 * tiny `b` (a real point plus a perturbation of 1e-20): every function is the principal branch of its analytic
 * extension, evaluated in a form that keeps the imaginary part accurate to rounding. Where the real function is
 * undefined (log or sqrt of a negative number, a negative base to a fractional power) the result is NaN, as it is in
 * real arithmetic, instead of a branch value that would look like a derivative.
 */

/** A complex number `re + i·im`. */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

/**
 * Builds a complex number.
 *
 * @example
 * ```ts
 * complex(1, 2); // { re: 1, im: 2 }
 * ```
 */
export function complex(re: number, im = 0): Complex {
  return { re, im };
}

const NAN: Complex = { re: NaN, im: NaN };

/** `a + b`. @example `cadd(complex(1, 2), complex(3, 4)) // { re: 4, im: 6 }` */
export function cadd(a: Complex, b: Complex): Complex {
  return { re: a.re + b.re, im: a.im + b.im };
}

/** `a · b`. @example `cmul(complex(0, 1), complex(0, 1)) // { re: -1, im: 0 }` */
export function cmul(a: Complex, b: Complex): Complex {
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
}

/**
 * `1 / z` by Smith's algorithm, so that a large real part does not overflow into a square. A zero real part is
 * the pole of the real function (its imaginary part is only the perturbation): `±Infinity`, with an infinite slope.
 *
 * @example `crecip(complex(0.5, 0.5)) // { re: 1, im: -1 }`
 */
export function crecip(z: Complex): Complex {
  const { re: c, im: d } = z;
  if (d === 0) return { re: 1 / c, im: 0 };
  // The pole: the value is real arithmetic's ±Infinity, not the -i/d a perturbation-sized real part would give.
  if (c === 0) return { re: 1 / c, im: singular(-d) };
  if (Math.abs(c) >= Math.abs(d)) {
    const r = d / c;
    const den = c + d * r;
    return { re: 1 / den, im: -r / den };
  }
  const r = c / d;
  const den = c * r + d;
  return { re: r / den, im: -1 / den };
}

/** `e^z`. @example `cexp(complex(0, Math.PI)) // ≈ { re: -1, im: 0 }` */
export function cexp(z: Complex): Complex {
  const m = Math.exp(z.re);
  // An imaginary part of exactly 0 stays 0 even when e^re overflows (Infinity · 0 would be NaN).
  return { re: m * Math.cos(z.im), im: z.im === 0 ? 0 : m * Math.sin(z.im) };
}

/**
 * Natural logarithm, principal branch. NaN for a negative real part (where the real log is NaN); `log(0 + ib)` is
 * `-Infinity` with an imaginary part of `±Infinity` (or 0 when `b` is 0): the pole's derivative.
 *
 * @example `clog(complex(Math.E, 1e-20)) // { re: 1, im: ≈ 3.68e-21 }`
 */
export function clog(z: Complex): Complex {
  if (z.re < 0) return NAN;
  if (z.re === 0) return { re: -Infinity, im: singular(z.im) };
  // atan2(b, a) for a > 0 is b/a to rounding when b is tiny, and hypot keeps |z| exact for large parts.
  return { re: Math.log(Math.hypot(z.re, z.im)), im: Math.atan2(z.im, z.re) };
}

/**
 * Square root, principal branch; NaN for a negative real part. At `0 + ib` the real part is 0 and the imaginary part
 * carries the infinite slope.
 *
 * @example `csqrt(complex(4, 1e-20)) // { re: 2, im: 2.5e-21 }`
 */
export function csqrt(z: Complex): Complex {
  if (z.re < 0) return NAN;
  if (z.re === 0) return { re: 0, im: singular(z.im) };
  const r = Math.sqrt((Math.hypot(z.re, z.im) + z.re) / 2);
  return { re: r, im: z.im / (2 * r) };
}

/** `sin z`. @example `csin(complex(0, 1e-20)) // { re: 0, im: 1e-20 }` */
export function csin(z: Complex): Complex {
  return { re: Math.sin(z.re) * Math.cosh(z.im), im: Math.cos(z.re) * Math.sinh(z.im) };
}

/** `cos z`. @example `ccos(complex(0, 1e-20)) // { re: 1, im: -0 }` */
export function ccos(z: Complex): Complex {
  return { re: Math.cos(z.re) * Math.cosh(z.im), im: -Math.sin(z.re) * Math.sinh(z.im) };
}

/**
 * `tanh z` in Kahan's form `(t(1 + τ²) + iτ·sech²a) / (1 + t²τ²)` with `t = tanh a`, `τ = tan b`: no overflow for a
 * large real part, and `sech² a` computed directly rather than as `1 - t²`, which would cancel to 0.
 *
 * @example `ctanh(complex(0, 1e-20)) // { re: 0, im: 1e-20 }`
 */
export function ctanh(z: Complex): Complex {
  const t = Math.tanh(z.re);
  const tau = Math.tan(z.im);
  const c = Math.cosh(z.re);
  const den = 1 + t * t * tau * tau;
  return { re: (t * (1 + tau * tau)) / den, im: tau / (c * c) / den };
}

/**
 * `tan z` as `-i·tanh(iz)` in Kahan's form: with `τ = tan a` and `t = tanh b`, `tan(a + ib) = (τ(1 - t²) + it(1 +
 * τ²)) / (1 + τ²t²)`, the real part written `τ·sech²b`. For a tiny `b` this is `tan a + ib(1 + tan² a)`: the real part is
 * `Math.tan` itself and the imaginary part has no cancellation, however close `a` is to a pole.
 *
 * @example `ctan(complex(0, 1e-20)) // { re: 0, im: 1e-20 }`
 */
export function ctan(z: Complex): Complex {
  const tau = Math.tan(z.re);
  const t = Math.tanh(z.im);
  const c = Math.cosh(z.im);
  const den = 1 + tau * tau * t * t;
  return { re: tau / (c * c) / den, im: (t * (1 + tau * tau)) / den };
}

/**
 * `softplus z = log(1 + e^z)`, in the stable form of the real function: `z + log(1 + e^-z)` for a positive real part,
 * `log(1 + e^z)` otherwise, so `e^±z` never overflows; the logarithm is taken as `log1p` of the real part (with the
 * imaginary part's share added), so the real part is the real softplus to rounding and the imaginary part is
 * `b·sigmoid(a)` for a tiny `b`.
 *
 * @example `csoftplus(complex(0, 1e-20)) // { re: Math.LN2, im: 5e-21 }`
 */
export function csoftplus(z: Complex): Complex {
  if (Number.isNaN(z.re)) return NAN;
  const positive = z.re > 0;
  const w = cexp(positive ? cneg(z) : z);
  const onePlus = 1 + w.re;
  const q = w.im / onePlus;
  const log1p: Complex = { re: Math.log1p(w.re) + 0.5 * Math.log1p(q * q), im: Math.atan2(w.im, onePlus) };
  return positive ? cadd(z, log1p) : log1p;
}

/**
 * The logistic function `1 / (1 + e^-z)`, evaluated as `e^z / (1 + e^z)` for a negative real part so neither form
 * overflows.
 *
 * @example `csigmoid(complex(0, 1e-20)) // { re: 0.5, im: 2.5e-21 }`
 */
export function csigmoid(z: Complex): Complex {
  if (z.re >= 0) return crecip(cadd(ONE, cexp(cneg(z))));
  const e = cexp(z);
  return cmul(e, crecip(cadd(ONE, e)));
}

/** `-z`. @example `cneg(complex(1, -2)) // { re: -1, im: 2 }` */
export function cneg(z: Complex): Complex {
  return { re: -z.re, im: -z.im };
}

const ONE: Complex = { re: 1, im: 0 };
const ZERO: Complex = { re: 0, im: 0 };

/**
 * `max(0, x)` extended by the sign of the real part: the identity on the right, 0 on the left and at 0 itself, so the
 * derivative at the kink is 0 as in micrograd and PyTorch.
 *
 * @example `crelu(complex(-1, 1e-20)) // { re: 0, im: 0 }`
 */
export function crelu(z: Complex): Complex {
  return z.re > 0 ? z : Number.isNaN(z.re) ? NAN : ZERO;
}

/** `|x|` extended by the sign of the real part (`z` or `-z`); 0 at 0. @example `cabs(complex(-2, 1e-20)) // { re: 2, im: -1e-20 }` */
export function cabs(z: Complex): Complex {
  return z.re > 0 ? z : z.re < 0 ? cneg(z) : Number.isNaN(z.re) ? NAN : ZERO;
}

/**
 * log with logz(0) = 0: the principal logarithm, except at exactly 0 (a real 0 with no imaginary part), where it
 * is 0. @example `clogz(complex(0)) // { re: 0, im: 0 }`
 */
export function clogz(z: Complex): Complex {
  return z.re === 0 && z.im === 0 ? { re: 0, im: 0 } : clog(z);
}

/** The step function of the real part (1 for a positive one, else 0), a constant: its derivative is 0. @example `cstep(complex(3, 1)) // { re: 1, im: 0 }` */
export function cstep(z: Complex): Complex {
  return { re: Number.isNaN(z.re) ? NaN : z.re > 0 ? 1 : 0, im: 0 };
}

/** The sign of the real part (-1, 0 or 1), a constant: its derivative is 0. @example `csign(complex(-3, 1)) // { re: -1, im: 0 }` */
export function csign(z: Complex): Complex {
  return { re: Math.sign(z.re), im: 0 };
}

/**
 * `z^w`, principal branch, with the real conventions at the edges:
 * - a real integer exponent uses repeated squaring, so a negative base stays exact (`exp(k·log z)` would leave a
 *   rounding-sized imaginary part far larger than the perturbation);
 * - a negative real base to any other exponent is NaN, as `Math.pow` is (and as `a^b·ln a` is for the exponent);
 * - a zero base follows PyTorch: `0^w` is `0^Re w`, its slope in the base is `w·0^(w-1)` (0 where `w` is 0) and in
 *   the exponent 0 for `Re w >= 0`.
 *
 * @example `cpow(complex(-2, 1e-20), complex(3)) // { re: -8, im: 1.2e-19 }`
 */
export function cpow(z: Complex, w: Complex): Complex {
  if (w.im === 0 && Number.isInteger(w.re) && Math.abs(w.re) <= 1024) return cpowInt(z, w.re);
  if (z.re < 0) return NAN;
  if (z.re === 0) {
    // A branch point: no perturbation is small next to it, so the slopes come from the real limits.
    const b = w.re;
    const value = Math.pow(0, b);
    const slopeBase = z.im === 0 || b === 0 ? 0 : b * Math.pow(0, b - 1) * z.im;
    const slopeExponent = w.im === 0 || b >= 0 ? 0 : value * -Infinity * w.im;
    return { re: value, im: slopeBase + slopeExponent };
  }
  if (w.im === 0 && z.im === 0) return { re: Math.pow(z.re, w.re), im: 0 };
  // exp(w·log z) with log z = ln r + iθ, written so the modulus r^c comes from Math.pow (correctly rounded) and not
  // from exp(c·ln r), whose error grows with |c·ln r|.
  const r = Math.hypot(z.re, z.im);
  const theta = Math.atan2(z.im, z.re);
  const modulus = Math.pow(r, w.re) * Math.exp(-w.im * theta);
  const angle = w.re * theta + w.im * Math.log(r);
  return { re: modulus * Math.cos(angle), im: modulus * Math.sin(angle) };
}

/** `z^k` for an integer `k` by repeated squaring; `0^k` for negative `k` is `Infinity`, as in real arithmetic. */
function cpowInt(z: Complex, k: number): Complex {
  if (z.im === 0) return { re: Math.pow(z.re, k), im: 0 };
  if (z.re === 0) {
    // Next to 0 the perturbation is the whole number: (ih)^k would leave h^k terms where the slope k·0^(k-1) is meant.
    if (k === 0 || k === 1) return k === 0 ? ONE : z;
    return { re: Math.pow(z.re, k), im: k > 0 ? 0 : k * Math.pow(z.re, k - 1) * z.im };
  }
  let result = ONE;
  let base = z;
  for (let n = Math.abs(k); n > 0; n = Math.floor(n / 2)) {
    if (n % 2 === 1) result = cmul(result, base);
    if (n > 1) base = cmul(base, base);
  }
  return k < 0 ? crecip(result) : result;
}

/** The imaginary part at a pole or branch point: an infinite slope in the perturbation's direction. */
function singular(im: number): number {
  return im === 0 ? 0 : im > 0 ? Infinity : -Infinity;
}

// The inverse and hyperbolic functions. The complex step only evaluates them at a real point plus a perturbation far
// below the real part's scale (`h ≤ 1e-8` times the length scale), where the analytic extension's real part is the
// real function's value to O(b²), below rounding; so the real part is the real function itself (exactly the value
// the other oracles see) and the imaginary part is an exact closed form of Im f(a + ib), written without squaring
// `b` (which would underflow) and without a difference that cancels. Principal branches: the cuts lie on the real
// axis outside the real domain, where the real function is NaN and so is the result; at an end of the domain
// (asin, acos at ±1, acosh at 1, atanh at ±1) the slope is infinite, as at log's and sqrt's branch point.

/** `sinh z = sinh a cos b + i cosh a sin b`. @example `csinh(complex(0, 1e-20)) // { re: 0, im: 1e-20 }` */
export function csinh(z: Complex): Complex {
  return {
    re: z.im === 0 ? Math.sinh(z.re) : Math.sinh(z.re) * Math.cos(z.im),
    im: z.im === 0 ? 0 : Math.cosh(z.re) * Math.sin(z.im),
  };
}

/** `cosh z = cosh a cos b + i sinh a sin b`. @example `ccosh(complex(0, 1e-20)) // { re: 1, im: 0 }` */
export function ccosh(z: Complex): Complex {
  return {
    re: z.im === 0 ? Math.cosh(z.re) : Math.cosh(z.re) * Math.cos(z.im),
    im: z.im === 0 ? 0 : Math.sinh(z.re) * Math.sin(z.im),
  };
}

/**
 * `atan z`, principal branch: `Im atan(a + ib) = ¼·log1p(4b / (a² + (1 - b)²))`, exact for any `b`.
 *
 * @example `catan(complex(1, 1e-20)) // { re: Math.PI / 4, im: 5e-21 }`
 */
export function catan(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (Number.isNaN(a)) return NAN;
  if (b === 0) return { re: Math.atan(a), im: 0 };
  const d = a * a + (1 - b) * (1 - b);
  return { re: Math.atan(a), im: 0.25 * Math.log1p((4 * b) / d) };
}

/**
 * The imaginary part of `asin(a + ib)` for `|a| < 1` (Hull, Fairgrieve and Tang's algorithm): with `r = |z + 1|`,
 * `s = |z - 1|` and `A = (r + s)/2`, `Im = sign(b)·log(A + √(A² - 1))`, where `A - 1` is written as
 * `½b²(1/(r + 1 + a) + 1/(s + 1 - a))` and `√((A - 1)(A + 1))` as `|b|·√(½(A + 1)(…))`, so nothing cancels or
 * underflows for a tiny `b`.
 */
function asinImaginary(a: number, b: number): number {
  const r = Math.hypot(a + 1, b);
  const s = Math.hypot(a - 1, b);
  const big = r + s;
  // 1 - a and 1 + a first: s + 1 - a would round s + 1 and lose the digits of a small 1 - a.
  const q = 1 / (r + (1 + a)) + 1 / (s + (1 - a));
  const am1 = 0.5 * b * (b * q);
  const root = Math.abs(b) * Math.sqrt(0.25 * (big + 2) * q);
  const im = Math.log1p(am1 + root);
  return b < 0 ? -im : im;
}

/**
 * `asin z`, principal branch; NaN outside `[-1, 1]` (the cuts), an infinite slope at ±1.
 *
 * @example `casin(complex(0, 1e-20)) // { re: 0, im: 1e-20 }`
 */
export function casin(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (!(Math.abs(a) <= 1)) return NAN;
  if (Math.abs(a) === 1) return { re: Math.asin(a), im: singular(b) };
  return { re: Math.asin(a), im: b === 0 ? 0 : asinImaginary(a, b) };
}

/**
 * `acos z = π/2 - asin z`, principal branch; NaN outside `[-1, 1]`, an infinite slope at ±1.
 *
 * @example `cacos(complex(0, 1e-20)) // { re: Math.PI / 2, im: -1e-20 }`
 */
export function cacos(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (!(Math.abs(a) <= 1)) return NAN;
  if (Math.abs(a) === 1) return { re: Math.acos(a), im: singular(-b) };
  return { re: Math.acos(a), im: b === 0 ? 0 : -asinImaginary(a, b) };
}

/**
 * `asinh z = -i·asin(iz)`, principal branch: `Im asinh(a + ib) = asin(b / A)` with `A = (|z + i| + |z - i|)/2`.
 *
 * @example `casinh(complex(0, 1e-20)) // { re: 0, im: 1e-20 }`
 */
export function casinh(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (Number.isNaN(a)) return NAN;
  if (b === 0) return { re: Math.asinh(a), im: 0 };
  const big = 0.5 * (Math.hypot(b + 1, a) + Math.hypot(b - 1, a));
  return { re: Math.asinh(a), im: Math.asin(b / big) };
}

/**
 * `acosh z`, principal branch; NaN below 1 (the cut), an infinite slope at 1. For `a > 1`,
 * `Im acosh(a + ib) = sign(b)·atan(|b|·√(½((A + a)/(r + a + 1) + (A + a)/(s + a - 1))) / a)` with `r = |z + 1|`,
 * `s = |z - 1|`, `A = (r + s)/2` (Hull, Fairgrieve and Tang's form of `Re acos` next to 1).
 *
 * @example `cacosh(complex(2, 1e-20)) // { re: 1.3169578969248166, im: ≈ 5.77e-21 }`
 */
export function cacosh(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (!(a >= 1)) return NAN;
  if (a === 1) return { re: 0, im: singular(b) };
  if (b === 0) return { re: Math.acosh(a), im: 0 };
  const r = Math.hypot(a + 1, b);
  const s = Math.hypot(a - 1, b);
  const big = 0.5 * (r + s);
  const apx = big + a;
  const im = Math.atan((Math.abs(b) * Math.sqrt(0.5 * (apx / (r + (a + 1)) + apx / (s + (a - 1))))) / a);
  return { re: Math.acosh(a), im: b < 0 ? -im : im };
}

/**
 * `atanh z = ½(log(1 + z) - log(1 - z))`, principal branch: `Im = ½(atan2(b, 1 + a) + atan2(b, 1 - a))` for
 * `|a| < 1`; NaN outside `[-1, 1]`, ±Infinity (a pole) at ±1.
 *
 * @example `catanh(complex(0, 1e-20)) // { re: 0, im: 1e-20 }`
 */
export function catanh(z: Complex): Complex {
  const { re: a, im: b } = z;
  if (!(Math.abs(a) <= 1)) return NAN;
  if (Math.abs(a) === 1) return { re: Math.atanh(a), im: singular(b) };
  return { re: Math.atanh(a), im: b === 0 ? 0 : 0.5 * (Math.atan2(b, 1 + a) + Math.atan2(b, 1 - a)) };
}

/**
 * `atan2(y, x)` for perturbed real points: the real part is `Math.atan2` of the real parts (the quadrant constant
 * included), the imaginary part that of `atan(y/x)` (or of `-atan(x/y)`, whichever ratio is at most 1 in size),
 * which differs from `atan2` by a real constant. At the origin there is no derivative: a perturbed origin gives a
 * NaN imaginary part.
 *
 * @example `catan2(complex(1, 1e-20), complex(1)) // { re: Math.PI / 4, im: 5e-21 }`
 */
export function catan2(y: Complex, x: Complex): Complex {
  const re = Math.atan2(y.re, x.re);
  if (Number.isNaN(re)) return NAN;
  if (y.im === 0 && x.im === 0) return { re, im: 0 };
  if (y.re === 0 && x.re === 0) return { re, im: NaN };
  const im = Math.abs(x.re) >= Math.abs(y.re) ? catan(cmul(y, crecip(x))).im : -catan(cmul(x, crecip(y))).im;
  return { re, im };
}

/**
 * `max(a, b)` by the real parts, `b` at a tie: the convention's branch (the second argument gets the derivative),
 * as `crelu` takes relu's at 0. Whether a tie has a derivative is for the one-sided slopes to say.
 *
 * @example `cmax(complex(2, 1e-20), complex(1)) // { re: 2, im: 1e-20 }`
 */
export function cmax(a: Complex, b: Complex): Complex {
  if (Number.isNaN(a.re) || Number.isNaN(b.re)) return NAN;
  return a.re > b.re ? a : b;
}

/**
 * `min(a, b)` by the real parts, `b` at a tie (the convention's branch, as for {@link cmax}).
 *
 * @example `cmin(complex(1, 1e-20), complex(1)) // { re: 1, im: 0 }`
 */
export function cmin(a: Complex, b: Complex): Complex {
  if (Number.isNaN(a.re) || Number.isNaN(b.re)) return NAN;
  return a.re < b.re ? a : b;
}
