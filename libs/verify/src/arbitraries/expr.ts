import fc from 'fast-check';
import {
  add,
  div,
  exp,
  type Expr,
  FN2_NAMES,
  FN_NAMES,
  type Fn2Name,
  type FnName,
  mul,
  num,
  pow,
  sub,
  sym,
} from '@crossgrad/symbolic';
import { InvalidInputError } from '../errors.js';
import { FUNCTIONS, FUNCTIONS2 } from '../functions.js';
import { checkVariableList, operandsOf } from '../tape.js';

/** The arithmetic {@link exprArbitrary} can put in an expression, beside the functions. */
type ArithmeticOp = 'add' | 'sub' | 'mul' | 'div' | 'pow';

const ARITHMETIC: readonly ArithmeticOp[] = ['add', 'sub', 'mul', 'div', 'pow'];

/**
 * The operations {@link exprArbitrary} can put in an expression: arithmetic, and any function of the function tables
 * (`FnName`, and the two-argument `Fn2Name`).
 *
 * @example
 * ```ts
 * exprArbitrary({ variables: ['x'], ops: ['sin', 'mul'] satisfies ExprOp[] });
 * ```
 */
export type ExprOp = ArithmeticOp | FnName | Fn2Name;

/**
 * The default of {@link exprArbitrary}: the arithmetic and every function of the function table that autograd has
 * (all but `step` and `sign`, which only derivatives produce) and every two-argument function, read from the
 * tables, so a function added there is drawn here, and by the property suites and the fuzz target, without further
 * edits.
 *
 * @example
 * ```ts
 * exprArbitrary({ variables: ['x'], ops: EXPR_OPS.filter((op) => op !== 'relu') });
 * ```
 */
export const EXPR_OPS: readonly ExprOp[] = [
  ...ARITHMETIC,
  ...FN_NAMES.filter((fn) => FUNCTIONS[fn].op !== undefined),
  ...FN2_NAMES,
];

/** Every operation {@link exprArbitrary} accepts. */
const ALL_OPS: readonly ExprOp[] = [...ARITHMETIC, ...FN_NAMES, ...FN2_NAMES];

/**
 * Options of {@link exprArbitrary}.
 *
 * @example
 * ```ts
 * const opts: ExprArbitraryOptions = { variables: ['x', 'y'], maxDepth: 3, ops: ['add', 'mul', 'tanh'] };
 * fc.sample(exprArbitrary(opts), 3);
 * ```
 */
export interface ExprArbitraryOptions {
  /** Variable names the leaves draw from (at least one). */
  readonly variables: readonly string[];
  /** Maximum nesting depth of operations. Default 4. */
  readonly maxDepth?: number;
  /** Operations to use. Default {@link EXPR_OPS}. */
  readonly ops?: readonly ExprOp[];
}

/**
 * A fast-check arbitrary of expressions that are valid by construction, as JAX's derivative tests build them:
 * `log` and `sqrt` only of `1 + u²`, `tan` only of `sin u` (clear of its poles), division only by `1 + u²` or by
 * `exp(u)`, fractional and variable exponents only on the positive bases `1 + u²` and `exp(u)`, integer powers `0…4`
 * elsewhere. What is left to filter is overflow (nested `exp`) and points next to a relu/abs kink. Constants are small round numbers. Built with
 * `fc.letrec` and a depth-limited `fc.oneof` whose first branch is a leaf, so a failing expression shrinks towards
 * leaves; on top of fast-check's shrinks, a node can also shrink to a variable or to one of its operands, so a
 * counterexample ends small, such as `cos(x)`.
 *
 * @example
 * ```ts
 * fc.assert(
 *   fc.property(exprArbitrary({ variables: ['x', 'y'] }), pointArbitrary(['x', 'y']), (e, p) =>
 *     compareGradients(e, p).verdict !== 'disagree'),
 * );
 * ```
 */
export function exprArbitrary(opts: ExprArbitraryOptions): fc.Arbitrary<Expr> {
  const { variables } = opts;
  const maxDepth = opts.maxDepth ?? 4;
  const ops = opts.ops ?? EXPR_OPS;
  if (variables.length === 0) throw new InvalidInputError('exprArbitrary needs at least one variable');
  checkVariableList(variables);
  if (!Number.isInteger(maxDepth) || maxDepth < 0) {
    throw new InvalidInputError(`maxDepth must be an integer >= 0, got ${maxDepth}`);
  }
  for (const op of ops) {
    if (!ALL_OPS.includes(op)) throw new InvalidInputError(`unknown op "${op}"; ops: ${ALL_OPS.join(', ')}`);
  }
  // Variables first: a subterm shrinks to a variable, which keeps a derivative alive (cos(x), where cos(0) would
  // have derivative 0 and pass).
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    fc.constantFrom(...variables).map((name) => sym(name)),
    constant().map((v) => num(v)),
  );
  if (ops.length === 0 || maxDepth === 0) return leaf;
  const depthIdentifier = fc.createDepthIdentifier();
  return fc.letrec<{ expr: Expr }>((tie) => {
    const u = tie('expr');
    const node = fc.oneof(
      { maxDepth, depthIdentifier, withCrossShrink: true },
      leaf,
      ...ops.map((op) => branch(op, u)),
    );
    return { expr: new LiftingArbitrary(node, variables) };
  }).expr;
}

const KINDS: ReadonlySet<unknown> = new Set(['num', 'sym', 'add', 'mul', 'pow', 'call', 'call2']);

/**
 * Adds the shrinks fast-check cannot make on a mapped, recursive value: replacing a node by a variable or by one of
 * its operands (`x - cos(x)` to `cos(x)`), anywhere in the expression. They come after the inner arbitrary's own
 * shrinks, which keep their context; a value made by these has none, so it shrinks on by these only. A candidate
 * may break the construction's guarantees (`log(1 + u²)` lifted to `log(u²)`); at worst it is non-finite and the
 * property skips it, so it is never taken as a smaller counterexample.
 */
class LiftingArbitrary extends fc.Arbitrary<Expr> {
  constructor(
    private readonly inner: fc.Arbitrary<Expr>,
    private readonly variables: readonly string[],
  ) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<Expr> {
    return this.inner.generate(mrng, biasFactor);
  }

  canShrinkWithoutContext(value: unknown): value is Expr {
    return typeof value === 'object' && value !== null && KINDS.has((value as { kind?: unknown }).kind);
  }

  shrink(value: Expr, context: unknown): fc.Stream<fc.Value<Expr>> {
    const own = context === undefined ? fc.Stream.nil<fc.Value<Expr>>() : this.inner.shrink(value, context);
    const more = fc.stream(smaller(value, this.variables)).map((e) => new fc.Value(e, undefined));
    return own.join(more);
  }
}

/** Smaller expressions than `e`, smallest first: a variable, an operand, then `e` with one operand made smaller. */
function* smaller(e: Expr, variables: readonly string[]): Generator<Expr> {
  if (e.kind === 'num' || e.kind === 'sym') return;
  for (const v of variables) yield sym(v);
  const ops = operandsOf(e);
  for (const op of ops) if (op.kind !== 'num' && op.kind !== 'sym') yield op;
  for (let i = 0; i < ops.length; i++) {
    for (const c of smaller(ops[i], variables)) yield rebuild(e, i, c);
  }
}

/** `e` with operand `i` replaced. */
function rebuild(e: Expr, i: number, operand: Expr): Expr {
  const ops = [...operandsOf(e)];
  ops[i] = operand;
  switch (e.kind) {
    case 'add':
      return add(...ops);
    case 'mul':
      return mul(...ops);
    case 'pow':
      return pow(ops[0], ops[1]);
    case 'call':
      return FUNCTIONS[e.fn].expr(ops[0]);
    case 'call2':
      return FUNCTIONS2[e.fn].expr(ops[0], ops[1]);
    default:
      return e;
  }
}

/** Small round numbers that shrink to 0: integers and quarters. */
function constant(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: -3, max: 3 }),
    fc.integer({ min: -12, max: 12 }).map((n) => n / 4),
  );
}

/** `1 + u²`: positive everywhere, the safe argument of log, sqrt, division and fractional powers. */
function onePlusSquare(u: Expr): Expr {
  return add(1, pow(u, 2));
}

function isFn2(op: ExprOp): op is Fn2Name {
  return (FN2_NAMES as readonly string[]).includes(op);
}

function branch(op: ExprOp, u: fc.Arbitrary<Expr>): fc.Arbitrary<Expr> {
  const two = fc.tuple(u, u);
  switch (op) {
    case 'add':
      return two.map(([a, b]) => add(a, b));
    case 'sub':
      return two.map(([a, b]) => sub(a, b));
    case 'mul':
      return two.map(([a, b]) => mul(a, b));
    case 'div':
      return fc.tuple(u, u, fc.boolean()).map(([a, b, byExp]) => div(a, byExp ? exp(b) : onePlusSquare(b)));
    case 'pow':
      return fc.oneof(
        fc.tuple(u, fc.integer({ min: 0, max: 4 })).map(([a, k]) => pow(a, k)),
        // Halves from -3 to 3 on a positive base: the power rule off the integers.
        fc
          .tuple(u, fc.integer({ min: -6, max: 6 }), fc.boolean())
          .map(([a, k, byExp]) => pow(byExp ? exp(a) : onePlusSquare(a), k / 2)),
        // A variable exponent on a positive base: the general power rule.
        two.map(([a, b]) => pow(onePlusSquare(a), b)),
      );
    default: {
      if (isFn2(op)) {
        // A two-argument function: two operands, wrapped where the table says.
        const { expr, safeArguments } = FUNCTIONS2[op];
        return two.map(([a, b]) => (safeArguments === undefined ? expr(a, b) : expr(...safeArguments(a, b))));
      }
      // A function: of its safe argument where the table gives one (log and sqrt of 1 + u², tan of sin u).
      const { expr, safeArgument } = FUNCTIONS[op];
      return u.map((a) => expr(safeArgument === undefined ? a : safeArgument(a)));
    }
  }
}
