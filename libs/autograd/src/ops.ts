import { asValue, type Value } from './value.js';

// TypeScript has no operator overloading, so `2 * a` is `mul(2, a)`. Each function wraps a number on the left in
// a constant leaf and calls the method, so the operands keep their order in `children`.

/**
 * `a + b` for Values or numbers on either side.
 *
 * @example
 * ```ts
 * add(1, new Value(2)).data; // 3
 * ```
 */
export function add(a: Value | number, b: Value | number): Value {
  return asValue(a).add(b);
}

/**
 * `a - b`, built as `a + (b * -1)`.
 *
 * @example
 * ```ts
 * sub(5, new Value(2)).data; // 3
 * ```
 */
export function sub(a: Value | number, b: Value | number): Value {
  return asValue(a).sub(b);
}

/**
 * `a * b` for Values or numbers on either side: `mul(2, a)` is micrograd's `2 * a`.
 *
 * @example
 * ```ts
 * mul(2, new Value(3)).data; // 6
 * ```
 */
export function mul(a: Value | number, b: Value | number): Value {
  return asValue(a).mul(b);
}

/**
 * `a / b`, built as `a * b**-1`.
 *
 * @example
 * ```ts
 * div(1, new Value(4)).data; // 0.25
 * ```
 */
export function div(a: Value | number, b: Value | number): Value {
  return asValue(a).div(b);
}

/**
 * `a ** b`: op `**k` for a number exponent, `**` with children `[base, exponent]` for a Value exponent.
 *
 * @example
 * ```ts
 * pow(2, new Value(3)).data; // 8
 * pow(new Value(3), 2).op; // '**2'
 * ```
 */
export function pow(a: Value | number, b: Value | number): Value {
  return asValue(a).pow(b);
}

/**
 * `-a`, built as `a * -1`.
 *
 * @example
 * ```ts
 * neg(new Value(2)).data; // -2
 * ```
 */
export function neg(a: Value | number): Value {
  return asValue(a).neg();
}

/**
 * `e ** a`.
 *
 * @example
 * ```ts
 * exp(0).data; // 1
 * ```
 */
export function exp(a: Value | number): Value {
  return asValue(a).exp();
}

/**
 * Natural logarithm (NaN below 0).
 *
 * @example
 * ```ts
 * log(new Value(1)).data; // 0
 * ```
 */
export function log(a: Value | number): Value {
  return asValue(a).log();
}

/**
 * Square root (NaN below 0).
 *
 * @example
 * ```ts
 * sqrt(new Value(4)).data; // 2
 * ```
 */
export function sqrt(a: Value | number): Value {
  return asValue(a).sqrt();
}

/**
 * Sine.
 *
 * @example
 * ```ts
 * sin(new Value(0)).data; // 0
 * ```
 */
export function sin(a: Value | number): Value {
  return asValue(a).sin();
}

/**
 * Cosine.
 *
 * @example
 * ```ts
 * cos(new Value(0)).data; // 1
 * ```
 */
export function cos(a: Value | number): Value {
  return asValue(a).cos();
}

/**
 * Tangent, derivative `1 + tan²`.
 *
 * @example
 * ```ts
 * tan(new Value(0)).data; // 0
 * ```
 */
export function tan(a: Value | number): Value {
  return asValue(a).tan();
}

/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * tanh(new Value(0)).data; // 0
 * ```
 */
export function tanh(a: Value | number): Value {
  return asValue(a).tanh();
}

/**
 * Logistic sigmoid.
 *
 * @example
 * ```ts
 * sigmoid(new Value(0)).data; // 0.5
 * ```
 */
export function sigmoid(a: Value | number): Value {
  return asValue(a).sigmoid();
}

/**
 * `log(1 + e^a)`, computed stably; derivative `sigmoid(a)`.
 *
 * @example
 * ```ts
 * softplus(new Value(0)).data; // Math.LN2
 * ```
 */
export function softplus(a: Value | number): Value {
  return asValue(a).softplus();
}

/**
 * `max(0, a)` (op `'ReLU'`), derivative 0 at 0.
 *
 * @example
 * ```ts
 * relu(new Value(-1)).data; // 0
 * ```
 */
export function relu(a: Value | number): Value {
  return asValue(a).relu();
}

/**
 * Absolute value, derivative 0 at 0.
 *
 * @example
 * ```ts
 * abs(new Value(-3)).data; // 3
 * ```
 */
export function abs(a: Value | number): Value {
  return asValue(a).abs();
}

/**
 * Inverse sine (NaN outside [-1, 1]; derivative Infinity at ±1).
 *
 * @example
 * ```ts
 * asin(new Value(0)).data; // 0
 * ```
 */
export function asin(a: Value | number): Value {
  return asValue(a).asin();
}

/**
 * Inverse cosine (NaN outside [-1, 1]; derivative -Infinity at ±1).
 *
 * @example
 * ```ts
 * acos(new Value(1)).data; // 0
 * ```
 */
export function acos(a: Value | number): Value {
  return asValue(a).acos();
}

/**
 * Inverse tangent.
 *
 * @example
 * ```ts
 * atan(new Value(0)).data; // 0
 * ```
 */
export function atan(a: Value | number): Value {
  return asValue(a).atan();
}

/**
 * Hyperbolic sine.
 *
 * @example
 * ```ts
 * sinh(new Value(0)).data; // 0
 * ```
 */
export function sinh(a: Value | number): Value {
  return asValue(a).sinh();
}

/**
 * Hyperbolic cosine.
 *
 * @example
 * ```ts
 * cosh(new Value(0)).data; // 1
 * ```
 */
export function cosh(a: Value | number): Value {
  return asValue(a).cosh();
}

/**
 * Inverse hyperbolic sine.
 *
 * @example
 * ```ts
 * asinh(new Value(0)).data; // 0
 * ```
 */
export function asinh(a: Value | number): Value {
  return asValue(a).asinh();
}

/**
 * Inverse hyperbolic cosine (NaN below 1; derivative Infinity at 1).
 *
 * @example
 * ```ts
 * acosh(new Value(1)).data; // 0
 * ```
 */
export function acosh(a: Value | number): Value {
  return asValue(a).acosh();
}

/**
 * Inverse hyperbolic tangent (NaN outside [-1, 1], ±Infinity at ±1).
 *
 * @example
 * ```ts
 * atanh(new Value(0)).data; // 0
 * ```
 */
export function atanh(a: Value | number): Value {
  return asValue(a).atanh();
}

/**
 * `atan2(y, x)`, the angle of the point (x, y), as Math.atan2; both partials NaN at (0, 0).
 *
 * @example
 * ```ts
 * atan2(new Value(1), 1).data; // Math.PI / 4
 * ```
 */
export function atan2(y: Value | number, x: Value | number): Value {
  return asValue(y).atan2(x);
}

/**
 * `min(a, b)`; at a tie the gradient goes to `b` (see `FUNCTIONS2`).
 *
 * @example
 * ```ts
 * min(new Value(2), 3).data; // 2
 * ```
 */
export function min(a: Value | number, b: Value | number): Value {
  return asValue(a).min(b);
}

/**
 * `max(a, b)`; at a tie the gradient goes to `b`, so `max(x, 0)` is `relu(x)` (see `FUNCTIONS2`).
 *
 * @example
 * ```ts
 * max(new Value(-1), 0).data; // 0
 * ```
 */
export function max(a: Value | number, b: Value | number): Value {
  return asValue(a).max(b);
}
