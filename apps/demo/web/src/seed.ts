/**
 * The lecture's point: b is chosen so that n = 0.8813735870195432 and o = tanh(n) = 1/sqrt(2).
 *
 * @example
 * ```ts
 * SEED_POINT.b; // 6.881373587019543
 * ```
 */
export const SEED_POINT: Readonly<Record<string, number>> = {
  x1: 2,
  x2: 0,
  w1: -3,
  w2: 1,
  b: 6.8813735870195432,
};

/**
 * The seed neuron as text, as the expression box shows it.
 *
 * @example
 * ```ts
 * expressionBox.value = SEED_EXPRESSION; // 'tanh(x1*w1 + x2*w2 + b)'
 * ```
 */
export const SEED_EXPRESSION = 'tanh(x1*w1 + x2*w2 + b)';
