import { mulWithCoefficient } from './build.js';
import { ONE, type Expr } from './expr.js';

// Products not built yet. Along a chain of n unary functions the derivative at level k is a flat product of k
// factors; building each of them would copy O(n²) factor slots and intern n products nobody keeps. `diff` and
// `gradient` keep such a product as a persistent list instead (one cell per level, sharing the rest) and build it
// once, where a rule needs it as an Expr. The result is the node the builders would have made step by step.

/** `factor · rest`, not built. Never zero: it has a non-numeric factor somewhere (see {@link times}). */
export class LazyProduct {
  /** The Expr, once built: a later product over this one starts from it rather than from the factors below. */
  built: Expr | undefined = undefined;

  constructor(
    readonly factor: Expr,
    readonly rest: Expr | LazyProduct,
  ) {}
}

/** A derivative or adjoint on its way: an Expr, or a product still to be built. */
export type Pending = Expr | LazyProduct;

/** True for the constant 0 (a product still to be built is never 0). */
export function isZeroPending(v: Pending): boolean {
  return !(v instanceof LazyProduct) && v.kind === 'num' && v.value === 0;
}

/** The numeric coefficient a product with `f` takes from it (1 for a non-numeric factor). */
function coefficientOf(f: Expr): number {
  if (f.kind === 'num') return f.value;
  if (f.kind === 'mul' && f.factors[0].kind === 'num') return f.factors[0].value;
  return 1;
}

/** `mulList([rest, factor])`, deferred when that could be long to build. */
export function times(factor: Expr, rest: Pending): Pending {
  if (factor === ONE) return rest;
  if (rest instanceof LazyProduct) return new LazyProduct(factor, rest);
  if (rest === ONE) return factor;
  // Only numbers: build it now, so a LazyProduct always has a non-numeric factor and is never 0.
  if (factor.kind === 'num' && rest.kind === 'num') return mulWithCoefficient(factor.value * rest.value, []);
  return new LazyProduct(factor, rest);
}

/** The Expr `v` stands for: the product the builders would give for `mulList([..., mulList([rest, f2]), f1])`. */
export function materialize(v: Pending): Expr {
  if (!(v instanceof LazyProduct)) return v;
  if (v.built !== undefined) return v.built;
  const parts: Expr[] = [];
  let cell: Pending = v;
  while (cell instanceof LazyProduct && cell.built === undefined) {
    parts.push(cell.factor);
    cell = cell.rest;
  }
  const bottom = cell instanceof LazyProduct ? (cell.built as Expr) : cell;
  parts.push(bottom);
  // The coefficient as the step-by-step builds multiply it, innermost first (rounding included).
  let coefficient = coefficientOf(bottom);
  for (let i = parts.length - 2; i >= 0; i--) coefficient = coefficientOf(parts[i]) * coefficient;
  return (v.built = mulWithCoefficient(coefficient, parts));
}
