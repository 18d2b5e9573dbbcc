/**
 * Exact arithmetic for the tests: the elementary functions to 200 bits with BigInt fixed point, the tables'
 * entries recomputed from first principles, and a result's error in units in the last place (ulps).
 */

/** Bits after the point of the fixed-point numbers below. */
export const P = 200n;
const ONE = 1n << P;

/** ln 2 · 2^P: the series ln 2 = Σ 1/(k·2^k). */
export const LN2 = (() => {
  let s = 0n;
  for (let k = 1n; k < P + 20n; k++) s += (ONE << 20n) / (k << k);
  return s >> 20n;
})();

/** A double as an exact pair: value = m · 2^e (m an integer, signed). */
export interface Exact {
  readonly m: bigint;
  readonly e: number;
}

const view = new DataView(new ArrayBuffer(8));

/** The exact value of a finite double. */
export function exactOf(x: number): Exact {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  if (biased !== 0) m |= 1n << 52n;
  if (bits >> 63n) m = -m;
  return { m, e: (biased === 0 ? 1 : biased) - 1075 };
}

/** x · 2^P rounded toward zero (exact when x's last bit is at 2^-P or above). */
function fixed(x: number): bigint {
  const { m, e } = exactOf(x);
  return e + Number(P) >= 0 ? m << BigInt(e + Number(P)) : m >> BigInt(-(e + Number(P)));
}

/** e^x to about 190 bits, for -746 <= x <= 710 with |x| >= 2^-100 (or x = 0). */
export function expExact(x: number): Exact {
  const X = fixed(x);
  // x = k·ln2 + r, |r| <= ln2 / 2 (about), then the Taylor series of e^r.
  let k = X / LN2;
  let r = X - k * LN2;
  if (r > LN2 / 2n) {
    k += 1n;
    r -= LN2;
  } else if (r < -LN2 / 2n) {
    k -= 1n;
    r += LN2;
  }
  let term = ONE;
  let sum = ONE;
  for (let n = 1n; term !== 0n; n++) {
    term = (term * r) / (n << P);
    sum += term;
  }
  return { m: sum, e: Number(k) - Number(P) };
}

/** ln(1 + x) to about 190 bits, for x > -1 (|x| >= 2^-100): ln(2^k·z) = k·ln2 + 2·atanh((z-1)/(z+1)). */
export function log1pExact(x: number): Exact {
  // 1 + x exactly, as a fixed-point number with enough bits for x's last one.
  const { m, e } = exactOf(x);
  const shift = Math.max(0, -e);
  const S = BigInt(shift);
  const u = (1n << S) + (e >= 0 ? m << BigInt(e) : m); // (1 + x) · 2^shift
  // u = 2^j · z with z in [1/√2·…, √2): use z in [1, 2) then centre on 1 by moving a bit.
  let j = u.toString(2).length - 1 - shift; // 1 + x = 2^j · (u / 2^(shift + j)), in [1, 2)
  let Z = shift + j >= 0 ? (u << P) >> BigInt(shift + j) : (u << P) << BigInt(-(shift + j)); // z · 2^P
  if (Z > (ONE * 3n) / 2n) {
    Z >>= 1n;
    j += 1;
  }
  const t = ((Z - ONE) << P) / (Z + ONE); // (z-1)/(z+1) · 2^P, |t| < 1/5
  const t2 = (t * t) >> P;
  let power = t;
  let sum = 0n;
  // Division truncates toward 0, so the powers of a negative t reach 0 too (a shift would stop at -1).
  for (let n = 1n; power !== 0n; n += 2n) {
    sum += power / n;
    power = (power * t2) / ONE;
  }
  return { m: 2n * sum + BigInt(j) * LN2, e: -Number(P) };
}

/** 2^(i/n) · 2^P, by Newton's method on y^n = 2^i (integer arithmetic, exact to the last bit's rounding down). */
export function exp2Fraction(i: number, n: number): bigint {
  const N = BigInt(n);
  const target = 1n << (BigInt(i) + P * N);
  let y = ONE << 1n; // above the root: Newton's iteration then decreases to it
  for (;;) {
    const yn1 = y ** (N - 1n);
    const next = y - (yn1 * y - target) / (N * yn1);
    if (next >= y) break;
    y = next;
  }
  while (y ** N > target) y -= 1n;
  return y;
}

/** The double nearest m · 2^e (ties to even), for a positive m of any size. */
export function nearest(x: Exact): number {
  // Number() of a BigInt rounds to nearest, ties to even; scale by exact powers of two after.
  const bits = x.m < 0n ? -x.m : x.m;
  const len = bits.toString(2).length;
  const drop = Math.max(0, len - 64);
  // Keep 64 bits and a sticky bit, so that Number() rounds as the whole number would.
  const kept = (bits >> BigInt(drop)) | (drop > 0 && bits & ((1n << BigInt(drop)) - 1n) ? 1n : 0n);
  let v = Number(kept);
  let e = x.e + drop;
  while (e > 0) {
    const s = Math.min(e, 1000);
    v *= 2 ** s;
    e -= s;
  }
  while (e < 0) {
    const s = Math.min(-e, 1000);
    v /= 2 ** s;
    e += s;
  }
  return x.m < 0n ? -v : v;
}

/** y's error in ulps of the exact value (the ulp of the binade it lies in, subnormals' 2^-1074 at the bottom). */
export function ulpError(exact: Exact, y: number): number {
  const { m: my, e: ey } = exactOf(y);
  const s = Math.min(ey, exact.e);
  const diff = (my << BigInt(ey - s)) - (exact.m << BigInt(exact.e - s));
  const mag = exact.m < 0n ? -exact.m : exact.m;
  const top = mag.toString(2).length - 1 + exact.e; // floor(log2 |exact|)
  const ulp = Math.max(top, -1022) - 52;
  return Number(diff) * 2 ** (s - ulp);
}
