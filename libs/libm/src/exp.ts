/**
 * e^x in IEEE-754 double arithmetic alone (no `Math.exp`), so that every JavaScript engine gives the same bits,
 * correctly rounded for all but about 1 argument in 1,000 (at most 0.51 ulp from the exact value); V8's `Math.exp`
 * is off by more than half an ulp for about 1 in 11 and by up to 0.85 ulp.
 *
 * The method is Tang's table-driven exponential (P. T. P. Tang, "Table-driven implementation of the exponential
 * function in IEEE floating-point arithmetic", ACM TOMS 15(2), 1989), with 128 table entries and the scale folded
 * in as in ARM's optimized-routines `exp`:
 *
 *   x = (128·e + i)·ln2/128 + r,  |r| <= ln2/256,
 *   e^x = 2^e · 2^(i/128) · e^r ≈ 2^e · (S_i + S_i·(T_i + r + r²/2 + r³/6 + r⁴/24 + r⁵/120)),
 *
 * where S_i is 2^(i/128) rounded to a double and T_i = (2^(i/128) - S_i)/S_i its relative rounding error, so
 * S_i·(1 + T_i) is 2^(i/128) to about 2^-105. ln2/128 is split in two so that k·ln2hi is exact for every k the
 * domain needs (ln2hi has 32 significant bits, |k| < 2^18), and r is computed with a single rounding. The Taylor
 * polynomial's truncation error is below r⁶/720 < 2^-60 (0.003 ulp); the last step's rounding is the half ulp.
 */

import { notANumber } from './errors.js';

/** S_i = 2^(i/128) rounded to nearest (i = 0 … 127); recomputed exactly in the tests. */
const SCALE = Float64Array.of(
  1,
  1.0054299011128027,
  1.0108892860517005,
  1.016378314910953,
  1.0218971486541166,
  1.0274459491187637,
  1.0330248790212284,
  1.0386341019613787,
  1.0442737824274138,
  1.0499440858006872,
  1.0556451783605572,
  1.061377227289262,
  1.0671404006768237,
  1.0729348675259756,
  1.0787607977571199,
  1.0846183622133092,
  1.0905077326652577,
  1.0964290818163769,
  1.102382583307841,
  1.1083684117236787,
  1.1143867425958924,
  1.1204377524096067,
  1.1265216186082418,
  1.1326385195987192,
  1.1387886347566916,
  1.1449721444318042,
  1.1511892299529827,
  1.1574400736337511,
  1.1637248587775775,
  1.1700437696832502,
  1.1763969916502812,
  1.182784710984341,
  1.189207115002721,
  1.1956643920398273,
  1.202156731452703,
  1.2086843236265816,
  1.215247359980469,
  1.2218460329727576,
  1.22848053610687,
  1.2351510639369334,
  1.241857812073484,
  1.2486009771892048,
  1.255380757024691,
  1.2621973503942507,
  1.2690509571917332,
  1.275941778396392,
  1.2828700160787783,
  1.2898358734066657,
  1.2968395546510096,
  1.3038812651919358,
  1.3109612115247644,
  1.318079601266064,
  1.3252366431597413,
  1.3324325470831615,
  1.339667524053303,
  1.3469417862329458,
  1.3542555469368927,
  1.3616090206382248,
  1.3690024229745905,
  1.3764359707545302,
  1.383909881963832,
  1.3914243757719262,
  1.3989796725383112,
  1.4065759938190154,
  1.4142135623730951,
  1.4218926021691656,
  1.42961333839197,
  1.4373759974489824,
  1.4451808069770467,
  1.4530279958490526,
  1.460917794180647,
  1.4688504333369818,
  1.4768261459394993,
  1.4848451658727524,
  1.4929077282912648,
  1.5010140696264256,
  1.5091644275934228,
  1.5173590411982147,
  1.5255981507445384,
  1.533881997840956,
  1.5422108254079407,
  1.550584877685,
  1.559004400237837,
  1.567469639965553,
  1.5759808451078865,
  1.5845382652524937,
  1.593142151342267,
  1.6017927556826934,
  1.6104903319492543,
  1.6192351351948637,
  1.6280274218573478,
  1.6368674497669644,
  1.645755478153965,
  1.6546917676561943,
  1.6636765803267364,
  1.6727101796415966,
  1.681792830507429,
  1.6909247992693053,
  1.7001063537185235,
  1.709337763100463,
  1.718619298122478,
  1.7279512309618377,
  1.7373338352737062,
  1.746767386199169,
  1.7562521603732995,
  1.7657884359332727,
  1.7753764925265212,
  1.785016611318935,
  1.7947090750031072,
  1.804454167806624,
  1.8142521755003989,
  1.8241033854070534,
  1.8340080864093424,
  1.843966568958626,
  1.8539791250833855,
  1.864046048397789,
  1.8741676341103,
  1.8843441790323345,
  1.8945759815869656,
  1.9048633418176741,
  1.9152065613971474,
  1.925605943636125,
  1.9360617934922943,
  1.9465744175792332,
  1.9571441241754002,
  1.9677712232331759,
  1.978456026387951,
  1.9891988469672663,
);

/** T_i = (2^(i/128) − S_i) / S_i rounded to nearest; recomputed exactly in the tests. */
const TAIL = Float64Array.of(
  0,
  9.447885451727066e-17,
  -1.507066976926039e-17,
  -5.679155082825012e-17,
  4.9997448722726326e-17,
  -4.823683599994895e-17,
  7.357846871247418e-18,
  5.773230223741951e-17,
  8.189317638195515e-17,
  5.326891139980878e-17,
  1.6665881442326747e-18,
  -1.128113245461828e-17,
  -7.402825309426177e-17,
  -3.578659767309563e-18,
  -6.170654745608695e-17,
  2.919139999949279e-17,
  -2.7939114859515733e-17,
  -5.399285355184285e-17,
  4.776959425256223e-17,
  -7.927701432338473e-17,
  9.341710609905046e-17,
  -5.534520675707472e-17,
  4.585670326662351e-17,
  2.8582430411116143e-17,
  7.826573258636076e-17,
  4.053626906769216e-17,
  2.823784425951061e-17,
  -7.882802262487991e-17,
  3.2904726646008416e-17,
  -1.5792094703347882e-18,
  4.721368121170128e-17,
  1.3045277096919659e-17,
  3.3484623336251524e-17,
  3.8611199774925664e-17,
  5.527550048505249e-17,
  -3.927184172445234e-17,
  -6.346552106729483e-17,
  -8.684417614865944e-17,
  -1.5456342819397733e-17,
  -8.70763476495455e-17,
  3.750854201303127e-17,
  -6.616854503526488e-17,
  -5.346099009198751e-18,
  -2.443726321015018e-17,
  2.1023049675215714e-18,
  7.771067937501065e-17,
  1.3357510088834541e-17,
  6.938291696959204e-17,
  1.9572585293112036e-17,
  6.632256961675804e-17,
  -5.478069123926778e-17,
  -4.140839310392624e-17,
  -2.1571477251208752e-17,
  -3.8287766552120535e-17,
  6.663804589232195e-17,
  2.3936187400285282e-17,
  5.68648095791174e-17,
  1.1264523354521684e-18,
  7.007875046906994e-17,
  -5.0119214278381254e-17,
  -4.8923067513522756e-17,
  -3.5260089953269434e-17,
  -6.872303720902018e-17,
  5.001446664133532e-18,
  -6.835808657661922e-17,
  -1.1307344092910212e-17,
  -8.416011634717156e-18,
  -2.9247977035436566e-17,
  -2.092304381843353e-17,
  -3.9778645875427124e-17,
  -3.833464968654295e-17,
  5.763611164480894e-17,
  -2.3591094770850053e-17,
  7.260074661098575e-17,
  9.50689710108796e-18,
  -4.272956133839906e-17,
  -6.735219232374683e-17,
  -2.8396044410430936e-17,
  -7.226635472101257e-17,
  5.786121003395918e-17,
  5.1548301170786783e-17,
  -9.416257568878152e-18,
  2.4253985766689806e-17,
  -6.604314051707707e-17,
  -6.432131775424189e-18,
  -1.2204007601863921e-17,
  -6.336161863401293e-17,
  -3.7800879246373815e-17,
  1.5341410053603723e-17,
  1.2932855580427452e-17,
  -4.123367330661149e-17,
  4.703083974463456e-17,
  -6.152602891550265e-17,
  5.827849326195279e-17,
  3.540948262646183e-17,
  -3.2741571320938764e-17,
  4.875160526227062e-17,
  -5.718569790077838e-17,
  -4.719539664590972e-18,
  -5.773451958805706e-17,
  -1.0772487078934056e-17,
  -6.221808618533911e-17,
  1.821405440362259e-17,
  -6.155536546227639e-17,
  1.685487290628973e-17,
  5.3581249177694816e-17,
  3.621615935336894e-17,
  8.588379527574144e-18,
  1.01562190116415e-17,
  -2.869134889187244e-17,
  -5.495118966122005e-17,
  -5.56965572431627e-17,
  1.790126907604513e-17,
  -3.2211766346200164e-17,
  5.265370768556274e-17,
  3.5089866402403033e-17,
  -3.266924100901318e-17,
  -4.3657593008079375e-17,
  1.7963932659833022e-17,
  3.4300925275214166e-17,
  -5.545065618639427e-17,
  -5.149009745457733e-17,
  5.336805878514151e-17,
  3.498978661192973e-17,
  4.5784915277060095e-17,
  -5.241934575393899e-17,
  2.0414278897578303e-17,
  4.124842848606488e-18,
);

/** 2^e for e = -1022 … 1023 at index e + 1022, made by exact doublings and halvings. */
const POW2 = (() => {
  const p = new Float64Array(2046);
  p[1022] = 1;
  for (let e = 1; e <= 1023; e++) p[1022 + e] = p[1021 + e] * 2;
  for (let e = -1; e >= -1022; e--) p[1022 + e] = p[1023 + e] / 2;
  return p;
})();

/** 128/ln2 rounded; ln2/128 as a 32-bit head and a tail (ln2 = 0x1.62e42feep-1 + 0x1.a39ef35793c76p-33). */
const INV_LN2_N = 184.6649652337873;
const LN2_HI_N = 0.00541521234663378;
const LN2_LO_N = 1.4907929134926466e-12;
/** 1.5·2^52: adding and subtracting it rounds a double of magnitude below 2^51 to an integer, ties to even. */
const ROUND = 6755399441055744;
/** The Taylor coefficients 1/3!, 1/4!, 1/5!. */
const C3 = 1 / 6;
const C4 = 1 / 24;
const C5 = 1 / 120;
/** Past this |x| the result may leave the normal range (e^708 ≈ 3e307, e^-708 ≈ 3.3e-308): `expWide` takes it. */
const FAST = 708;

/**
 * e^x, correctly rounded for all but about 1 argument in 1,000 (at most 0.51 ulp off), the same bits in every
 * engine: exp(0) = exp(-0) = 1, exp(-Infinity) = 0, exp(Infinity) = Infinity, NaN for NaN; results below the
 * normal range are subnormal (one rounding), e^x past 709.78 is Infinity. Anything but a number is a TypeError
 * (`Math.exp` would convert it).
 *
 * @example
 * ```ts
 * import { exp } from '@crossgrad/libm';
 * exp(1); // 2.718281828459045
 * ```
 */
export function exp(x: number): number {
  if (typeof x !== 'number' || !(x <= FAST && x >= -FAST)) return expWide(x);
  const kd = x * INV_LN2_N + ROUND - ROUND;
  const k = kd | 0;
  const r = x - kd * LN2_HI_N - kd * LN2_LO_N;
  const i = k & 127;
  const r2 = r * r;
  const s = SCALE[i];
  return (s + s * (TAIL[i] + r + r2 * (0.5 + r * C3) + r2 * r2 * (C4 + r * C5))) * POW2[(k >> 7) + 1022];
}

/**
 * exp past ±708, NaN and anything but a number (a TypeError): the same steps with the power of two applied so that a result past the normal range is
 * rounded once. Overflow: y·2^(e-1)·2 is exact or Infinity. Underflow (ARM optimized-routines' `specialcase`): with
 * y = e^x·2^1022 computed from S_i·2^(e+1022), a y below 1 is a subnormal result; 1 + y rounds it to the subnormals'
 * spacing (2^-52 there is 2^-1074 after the scaling) with the error of y's own rounding added back, so that
 * rounding to the subnormals happens once, not twice.
 */
function expWide(x: number): number {
  if (typeof x !== 'number') notANumber('exp', x);
  if (x !== x || x === Infinity) return x;
  if (x > 709.8) return Infinity;
  if (x < -745.2) return 0;
  const kd = x * INV_LN2_N + ROUND - ROUND;
  const k = kd | 0;
  const r = x - kd * LN2_HI_N - kd * LN2_LO_N;
  const i = k & 127;
  const r2 = r * r;
  const tmp = TAIL[i] + r + r2 * (0.5 + r * C3) + r2 * r2 * (C4 + r * C5);
  const e = k >> 7;
  if (e > 0) {
    const s = SCALE[i];
    return (s + s * tmp) * POW2[e + 1021] * 2;
  }
  const scale = SCALE[i] * POW2[e + 2044];
  let y = scale + scale * tmp;
  if (y < 1) {
    const lo = scale - y + scale * tmp;
    const hi = 1 + y;
    y = hi + (1 - hi + y + lo) - 1;
  }
  return y * POW2[0];
}

/**
 * exp's tables and constants, for a code generator that writes `exp`'s operations in another language
 * (autograd's WebAssembly): with x in [-fast, fast] (else call `exp`),
 * kd = x·invLn2N + round − round, k = kd as an integer, r = x − kd·ln2HiN − kd·ln2LoN, i = k & 127,
 * s = scale[i], result = (s + s·(tail[i] + r + r²·(0.5 + r·c3) + r²·r²·(c4 + r·c5))) · pow2[(k >> 7) + 1022],
 * each operation rounded in this order, left to right.
 *
 * @example
 * ```ts
 * import { EXP_METHOD } from '@crossgrad/libm';
 * EXP_METHOD.scale.length; // 128
 * ```
 */
export const EXP_METHOD: {
  readonly scale: Float64Array;
  readonly tail: Float64Array;
  readonly pow2: Float64Array;
  readonly invLn2N: number;
  readonly ln2HiN: number;
  readonly ln2LoN: number;
  readonly round: number;
  readonly c3: number;
  readonly c4: number;
  readonly c5: number;
  readonly fast: number;
} = {
  scale: SCALE,
  tail: TAIL,
  pow2: POW2,
  invLn2N: INV_LN2_N,
  ln2HiN: LN2_HI_N,
  ln2LoN: LN2_LO_N,
  round: ROUND,
  c3: C3,
  c4: C4,
  c5: C5,
  fast: FAST,
};

/** The names `expSource`'s statements read (see `INLINE_SCOPE`), and their values. */
export const EXP_NAMES: readonly string[] = ['$expS', '$expT', '$expP', '$exp'];
export const EXP_VALUES: readonly unknown[] = [SCALE, TAIL, POW2, exp];

/**
 * JavaScript statements that set `dst` to `exp(arg)`: the same operations as `exp` in the same order, written
 * inline so that a code generator's loops run them without a call. They read the tables through `INLINE_SCOPE`'s
 * names and declare nothing outside their own block.
 *
 * @example
 * ```ts
 * import { expSource } from '@crossgrad/libm';
 * expSource('val[3]', 'val[1]-m'); // '{const $x=val[1]-m;if(…'
 * ```
 */
export function expSource(dst: string, arg: string): string {
  return (
    `{const $x=${arg};if($x<=${FAST}&&$x>=-${FAST}){` +
    `const $kd=$x*${INV_LN2_N}+${ROUND}-${ROUND},$k=$kd|0,$r=$x-$kd*${LN2_HI_N}-$kd*${LN2_LO_N},$i=$k&127,` +
    `$r2=$r*$r,$s=$expS[$i];` +
    `${dst}=($s+$s*($expT[$i]+$r+$r2*(0.5+$r*${C3})+$r2*$r2*(${C4}+$r*${C5})))*$expP[($k>>7)+1022];` +
    `}else ${dst}=$exp($x);}`
  );
}
