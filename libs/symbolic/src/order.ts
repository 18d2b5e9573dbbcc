import { hashOf, type Expr, type Pow } from './expr.js';

// The canonical order of the operands of a sum or product. It must depend on structure only (never on ids, which
// depend on creation order), so that `x*y` and `y*x` intern to one node and print the same in every process. It
// compares a few levels of structure (readable: variables by name, powers next to their base) and then falls
// back to the structural hash; ids break the tie only for distinct nodes that collide in both, which in practice
// never happens.

const DEPTH = 4;

const RANK = { num: 0, sym: 1, call: 2, call2: 3, pow: 4, mul: 5, add: 6 } as const;

function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1;
  // NaN sorts after every number.
  return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Structural comparison looking `depth` levels down, then at hashes. 0 means "alike as far as it looked". */
function compareShape(a: Expr, b: Expr, depth: number): number {
  if (a === b) return 0;
  if (a.kind !== b.kind) return RANK[a.kind] - RANK[b.kind];
  if (a.kind === 'num') return compareNumbers(a.value, (b as typeof a).value);
  if (a.kind === 'sym') return compareStrings(a.name, (b as typeof a).name);
  if (depth === 0) return hashOf(a) - hashOf(b);
  switch (a.kind) {
    case 'call': {
      const o = b as typeof a;
      return compareStrings(a.fn, o.fn) || compareShape(a.arg, o.arg, depth - 1);
    }
    case 'call2': {
      const o = b as typeof a;
      return compareStrings(a.fn, o.fn) || compareLists(a.args, o.args, depth - 1);
    }
    case 'pow': {
      const o = b as typeof a;
      return compareShape(a.base, o.base, depth - 1) || compareShape(a.exponent, o.exponent, depth - 1);
    }
    case 'mul':
      return compareLists(a.factors, (b as typeof a).factors, depth - 1);
    case 'add':
      return compareLists(a.terms, (b as typeof a).terms, depth - 1);
  }
}

function compareLists(a: readonly Expr[], b: readonly Expr[], depth: number): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareShape(a[i], b[i], depth);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Whether powers with exponent `v` merge with other powers of their base (`x^a · x^b = x^(a+b)`): multiples of
 * 2^-16 up to 2^20 in magnitude, whose sums are exact in any order (so a product is the same node however it was
 * grouped). Integers, halves, quarters...; not 1/3 or 0.1.
 */
export function isMergeableExponent(v: number): boolean {
  return Math.abs(v) <= 1048576 && Number.isInteger(v * 65536);
}

/** The base of a factor that is a power with a mergeable exponent (so `x^2` and `x^0.5` sort and merge with `x`);
 * any other factor is its own base (`x^(1/3)` does not merge with `x`, but does with `x^(1/3)`). */
export function baseOf(f: Expr): Expr {
  return f.kind === 'pow' && f.exponent.kind === 'num' && isMergeableExponent(f.exponent.value) ? f.base : f;
}

/** Factors sort by base, so `x^2` sits next to `x`, and all factors of one base node are contiguous (the base's
 * hash and id decide between bases alike to the depth looked at); within a base, the plain factor comes first, then
 * powers by exponent. */
function compareFactorShape(a: Expr, b: Expr): number {
  const ba = baseOf(a);
  const bb = baseOf(b);
  if (ba !== bb) return compareShape(ba, bb, DEPTH) || hashOf(ba) - hashOf(bb) || ba.id - bb.id;
  // Same base: the plain factor first, then powers by exponent.
  const pa = a !== ba;
  const pb = b !== bb;
  if (pa !== pb) return pa ? 1 : -1;
  return pa && pb ? compareShape((a as Pow).exponent, (b as Pow).exponent, DEPTH) : 0;
}

function tieBreak(a: Expr, b: Expr): number {
  return hashOf(a) - hashOf(b) || a.id - b.id;
}

/** Order of the non-numeric factors of a product. */
export function compareFactors(a: Expr, b: Expr): number {
  if (a === b) return 0;
  return compareFactorShape(a, b) || tieBreak(a, b);
}

/** Index of the first factor of a term that decides its place in a sum: a numeric coefficient does not. */
function headStart(t: Expr): number {
  return t.kind === 'mul' && t.factors[0].kind === 'num' ? 1 : 0;
}

function coefficient(t: Expr): number {
  return t.kind === 'mul' && t.factors[0].kind === 'num' ? t.factors[0].value : 1;
}

/** Factor `i` of a term's head (a term that is not a product is a product of one factor). */
function headFactor(t: Expr, start: number, i: number): Expr {
  return t.kind === 'mul' ? t.factors[start + i] : t;
}

/** Order of the non-numeric terms of a sum: like a polynomial's monomials, by their factors, then coefficient. */
export function compareTerms(a: Expr, b: Expr): number {
  if (a === b) return 0;
  const sa = headStart(a);
  const sb = headStart(b);
  const na = (a.kind === 'mul' ? a.factors.length : 1) - sa;
  const nb = (b.kind === 'mul' ? b.factors.length : 1) - sb;
  const n = Math.min(na, nb);
  for (let i = 0; i < n; i++) {
    const c = compareFactorShape(headFactor(a, sa, i), headFactor(b, sb, i));
    if (c !== 0) return c;
  }
  return na - nb || compareNumbers(coefficient(a), coefficient(b)) || tieBreak(a, b);
}
