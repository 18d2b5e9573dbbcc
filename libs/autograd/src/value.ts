import { backward, zeroGrad } from './backward.js';
import { InvalidArgumentError, describeArgument } from './errors.js';
import { BINARY, FUNCTIONS, FUNCTIONS2, type BinaryRule } from './rules.js';

const inspect: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A scalar in a computation graph, as in micrograd: it holds its `data`, the `grad` of the output that
 * `backward()` was last called on with respect to it, the `op` that made it and its `children` (operands).
 *
 * Every op has one pattern, as micrograd's engine.py: compute the output and its local derivatives (one per
 * operand, as numbers) at construction, from the op's entry in the rule table (`rules.ts`: `1 - t²` for tanh, the
 * other operand for `*`, ones for `+`). The backward pass is then the chain rule alone, one multiply-add per edge,
 * with no per-op code and no closure per node.
 *
 * Canonical forms as in the seed: `neg(a)` is `a * -1`, `a - b` is `a + (b * -1)` (`a + (-k)` for a number),
 * `a / b` is `a * b**-1` (`a * k**-1` for a number), so a graph only ever holds the ops
 * `+ * **k **`, the one-argument functions of `FUNCTIONS` (`exp`, …, `ReLU`, `abs`) and the two-argument
 * `atan2 min max`. Numbers are wrapped in constant leaves
 * with label `''`.
 *
 * @example
 * ```ts
 * const x1 = new Value(2, 'x1'), w1 = new Value(-3, 'w1');
 * const x2 = new Value(0, 'x2'), w2 = new Value(1, 'w2');
 * const b = new Value(6.8813735870195432, 'b');
 * const o = x1.mul(w1).add(x2.mul(w2)).add(b).tanh();
 * o.backward();
 * o.data; // ≈ 0.70710678
 * x1.grad; // ≈ -1.5
 * ```
 */
export class Value {
  // Layout, tuned for big graphs: the numbers (data, grad, traversal mark, then the local derivatives an op has)
  // live in a shared chunk of a Float64Array, off the JS heap; the object holds only the chunk, its offset, label,
  // op and operands. Each node is then one small heap object instead of an object plus a boxed double per numeric
  // field (bench/layout.ts measures both layouts), and takes only the slots it uses: 3 for a leaf, 4 for a
  // one-operand op, 5 for a two-operand op.
  /** @internal The chunk holding this node's numbers. */
  declare readonly s: Float64Array;
  /** @internal Offset of this node's numbers in `s`. */
  declare readonly i: number;
  /** A name for printing (`toDot`, error messages); `''` for constants. */
  declare label: string;
  /** The op that produced this value: `''` for a leaf, else `+ * **k **` or a function's op (`FUNCTIONS`, `FUNCTIONS2`). */
  declare readonly op: string;
  /** @internal First operand, or null for a leaf. */
  declare readonly c0: Value | null;
  /** @internal Second operand of a two-operand op (`+`, `*`, `**`, `atan2`, `min`, `max`), else null. */
  declare readonly c1: Value | null;

  /**
   * A leaf holding `data`.
   *
   * @example
   * ```ts
   * const a = new Value(2, 'a');
   * ```
   */
  constructor(data: number, label = '') {
    if (typeof data !== 'number') {
      throw new InvalidArgumentError('data', `Value data must be a number, got ${describeArgument(data)}`);
    }
    if (typeof label !== 'string') {
      throw new InvalidArgumentError('label', `Value label must be a string, got ${describeArgument(label)}`);
    }
    // Room for the largest node, so that `unary` and `binary` can extend a leaf's slots into an op's in place.
    if (used > CHUNK - BINARY_SLOTS) {
      chunk = new Float64Array(CHUNK);
      used = 0;
    }
    const i = used;
    used = i + LEAF_SLOTS;
    chunk[i] = data;
    const w = this as Internals;
    w.s = chunk;
    w.i = i;
    this.label = label;
    w.op = '';
    w.c0 = null;
    w.c1 = null;
  }

  /**
   * The value computed in the forward pass.
   *
   * @example
   * ```ts
   * new Value(2).mul(3).data; // 6
   * ```
   */
  get data(): number {
    return this.s[this.i];
  }
  set data(x: number) {
    this.s[this.i] = x;
  }

  /**
   * d(root)/d(this) after `root.backward()`; leaves accumulate over calls until `zeroGrad()`.
   *
   * @example
   * ```ts
   * const a = new Value(2);
   * a.mul(3).backward();
   * a.grad; // 3
   * ```
   */
  get grad(): number {
    return this.s[this.i + 1];
  }
  set grad(x: number) {
    this.s[this.i + 1] = x;
  }

  /** @internal d(this)/d(c0), stored at construction; only for an op (a leaf has no slot for it). */
  get d0(): number {
    return this.s[this.i + 3];
  }

  /** @internal d(this)/d(c1), stored at construction; only for a two-operand op (`c1 !== null`). */
  get d1(): number {
    return this.s[this.i + 4];
  }

  /**
   * @internal Traversal mark (see `graph.ts`): a traversal's stamp, or during backward's sweeps its base plus the
   * parents not yet sent.
   */
  get stamp(): number {
    return this.s[this.i + 2];
  }
  /** @internal */
  set stamp(x: number) {
    this.s[this.i + 2] = x;
  }

  /**
   * The operands in order (`[base, exponent]` for `**` with a Value exponent, `[]` for a leaf). A new array on
   * each access: nodes store at most two operands in fields rather than an array each.
   *
   * @example
   * ```ts
   * const a = new Value(2);
   * a.add(1).children.map((c) => c.data); // [2, 1]
   * ```
   */
  get children(): readonly Value[] {
    const c0 = this.c0;
    if (c0 === null) return NO_CHILDREN;
    const c1 = this.c1;
    return c1 === null ? [c0] : [c0, c1];
  }

  /**
   * The number `k` of a numeric-exponent power (op `**k`), else undefined.
   *
   * @example
   * ```ts
   * new Value(3).pow(2).exponent; // 2
   * ```
   */
  get exponent(): number | undefined {
    const op = this.op;
    return this.c1 === null && op.length > 2 && op.startsWith('**') ? Number(op.slice(2)) : undefined;
  }

  /**
   * `this + o`.
   *
   * @example
   * ```ts
   * new Value(2).add(1).data; // 3
   * ```
   */
  add(o: Value | number): Value {
    const b = operand(o);
    const rule = BINARY['+'];
    const x = this.data;
    const y = b.data;
    const out = rule.value(x, y);
    return binary('+', this, b, out, rule.d0(x, y, out), rule.d1(x, y, out));
  }

  /**
   * `this * o`.
   *
   * @example
   * ```ts
   * new Value(2).mul(3).data; // 6
   * ```
   */
  mul(o: Value | number): Value {
    const b = operand(o);
    const rule = BINARY['*'];
    const x = this.data;
    const y = b.data;
    const out = rule.value(x, y);
    return binary('*', this, b, out, rule.d0(x, y, out), rule.d1(x, y, out));
  }

  /**
   * `this ** o`. A number exponent `k` gives op `**k` with one child; a Value exponent gives op `**` with
   * children `[base, exponent]`. Derivatives at the edges as PyTorch: d/dbase is 0 where the exponent is 0, and
   * d/dexponent is 0 where the base is 0 and the exponent is non-negative; elsewhere IEEE arithmetic.
   *
   * @example
   * ```ts
   * new Value(3).pow(2).data; // 9
   * new Value(2).pow(new Value(3)).op; // '**'
   * ```
   */
  pow(o: Value | number): Value {
    if (typeof o === 'number') {
      // `**k`: the rule of `**` with the exponent a number rather than an operand.
      const a = this.data;
      const y = BINARY['**'].value(a, o);
      return unary(powOp(o), this, y, BINARY['**'].d0(a, o, y));
    }
    return byRule('**', BINARY['**'], this, operand(o));
  }

  /**
   * `-this`, built as `this * -1`.
   *
   * @example
   * ```ts
   * new Value(2).neg().data; // -2
   * ```
   */
  neg(): Value {
    return this.mul(-1);
  }

  /**
   * `this - o`, built as `this + (o * -1)` (as `this + (-o)` for a number, as micrograd does).
   *
   * @example
   * ```ts
   * new Value(5).sub(3).data; // 2
   * ```
   */
  sub(o: Value | number): Value {
    return typeof o === 'number' ? this.add(-o) : this.add(operand(o).neg());
  }

  /**
   * `this / o`, built as `this * o**-1` (as `this * (o**-1)` for a number). `x / 0` follows IEEE.
   *
   * @example
   * ```ts
   * new Value(1).div(4).data; // 0.25
   * ```
   */
  div(o: Value | number): Value {
    return typeof o === 'number' ? this.mul(1 / o) : this.mul(operand(o).pow(-1));
  }

  /**
   * `o - this` (a number on the left), built as `o + (this * -1)`.
   *
   * @example
   * ```ts
   * new Value(3).rsub(5).data; // 2
   * ```
   */
  rsub(o: Value | number): Value {
    return operand(o).add(this.neg());
  }

  /**
   * `o / this` (a number on the left), built as `o * this**-1`.
   *
   * @example
   * ```ts
   * new Value(4).rdiv(1).data; // 0.25
   * ```
   */
  rdiv(o: Value | number): Value {
    return operand(o).mul(this.pow(-1));
  }

  /**
   * `o ** this` (a number base on the left): a `**` node whose base is a constant leaf.
   *
   * @example
   * ```ts
   * new Value(3).rpow(2).data; // 8
   * ```
   */
  rpow(o: Value | number): Value {
    return operand(o).pow(this);
  }

  /**
   * `e ** this`.
   *
   * @example
   * ```ts
   * new Value(0).exp().data; // 1
   * ```
   */
  exp(): Value {
    const rule = FUNCTIONS.exp;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Natural logarithm; NaN below 0, -Infinity at 0.
   *
   * @example
   * ```ts
   * new Value(1).log().data; // 0
   * ```
   */
  log(): Value {
    const rule = FUNCTIONS.log;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Square root; NaN below 0, derivative Infinity at 0.
   *
   * @example
   * ```ts
   * new Value(9).sqrt().data; // 3
   * ```
   */
  sqrt(): Value {
    const rule = FUNCTIONS.sqrt;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Sine.
   *
   * @example
   * ```ts
   * new Value(0).sin().data; // 0
   * ```
   */
  sin(): Value {
    const rule = FUNCTIONS.sin;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Cosine.
   *
   * @example
   * ```ts
   * new Value(0).cos().data; // 1
   * ```
   */
  cos(): Value {
    const rule = FUNCTIONS.cos;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Tangent, derivative `1 + tan²`; IEEE arithmetic near the poles.
   *
   * @example
   * ```ts
   * new Value(0).tan().data; // 0
   * ```
   */
  tan(): Value {
    const rule = FUNCTIONS.tan;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Inverse sine, in [-π/2, π/2]; NaN outside [-1, 1], derivative `1 / sqrt(1 - x²)` (Infinity at ±1).
   *
   * @example
   * ```ts
   * new Value(1).asin().data; // Math.PI / 2
   * ```
   */
  asin(): Value {
    const rule = FUNCTIONS.asin;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Inverse cosine, in [0, π]; NaN outside [-1, 1], derivative `-1 / sqrt(1 - x²)` (-Infinity at ±1).
   *
   * @example
   * ```ts
   * new Value(1).acos().data; // 0
   * ```
   */
  acos(): Value {
    const rule = FUNCTIONS.acos;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Inverse tangent, derivative `1 / (1 + x²)`.
   *
   * @example
   * ```ts
   * new Value(1).atan().data; // Math.PI / 4
   * ```
   */
  atan(): Value {
    const rule = FUNCTIONS.atan;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Hyperbolic sine, derivative `cosh(x)`.
   *
   * @example
   * ```ts
   * new Value(0).sinh().data; // 0
   * ```
   */
  sinh(): Value {
    const rule = FUNCTIONS.sinh;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Hyperbolic cosine, derivative `sinh(x)`.
   *
   * @example
   * ```ts
   * new Value(0).cosh().data; // 1
   * ```
   */
  cosh(): Value {
    const rule = FUNCTIONS.cosh;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Hyperbolic tangent, derivative `1 - tanh²`.
   *
   * @example
   * ```ts
   * new Value(0).tanh().data; // 0
   * ```
   */
  tanh(): Value {
    const rule = FUNCTIONS.tanh;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Inverse hyperbolic sine, derivative `1 / sqrt(x² + 1)`.
   *
   * @example
   * ```ts
   * new Value(0).asinh().data; // 0
   * ```
   */
  asinh(): Value {
    const rule = FUNCTIONS.asinh;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Inverse hyperbolic cosine; NaN below 1, derivative `1 / sqrt(x² - 1)` (Infinity at 1).
   *
   * @example
   * ```ts
   * new Value(1).acosh().data; // 0
   * ```
   */
  acosh(): Value {
    const rule = FUNCTIONS.acosh;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Inverse hyperbolic tangent; NaN outside [-1, 1], ±Infinity at ±1, derivative `1 / (1 - x²)`.
   *
   * @example
   * ```ts
   * new Value(0).atanh().data; // 0
   * ```
   */
  atanh(): Value {
    const rule = FUNCTIONS.atanh;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Logistic sigmoid `1 / (1 + e^-x)`, derivative `s(1 - s)`.
   *
   * @example
   * ```ts
   * new Value(0).sigmoid().data; // 0.5
   * ```
   */
  sigmoid(): Value {
    const rule = FUNCTIONS.sigmoid;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * `log(1 + e^this)`, computed stably as `max(x, 0) + log1p(e^-|x|)`; derivative `sigmoid(x)`.
   *
   * @example
   * ```ts
   * new Value(0).softplus().data; // Math.LN2
   * ```
   */
  softplus(): Value {
    const rule = FUNCTIONS.softplus;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * `max(0, this)` (op `'ReLU'`); derivative 1 above 0 and 0 at or below 0; NaN stays NaN.
   *
   * @example
   * ```ts
   * new Value(-2).relu().data; // 0
   * ```
   */
  relu(): Value {
    const rule = FUNCTIONS.relu;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * Absolute value; derivative the sign, 0 at 0.
   *
   * @example
   * ```ts
   * new Value(-2).abs().data; // 2
   * ```
   */
  abs(): Value {
    const rule = FUNCTIONS.abs;
    const x = this.data;
    const y = rule.value(x);
    return unary(rule.op, this, y, rule.derivative(x, y));
  }

  /**
   * `atan2(this, x)`: the angle of the point (x, this) in [-π, π], as Math.atan2 (this is the y coordinate).
   * d/dthis = x / (x² + y²), d/dx = -y / (x² + y²); both NaN at (0, 0).
   *
   * @example
   * ```ts
   * new Value(1).atan2(0).data; // Math.PI / 2
   * ```
   */
  atan2(x: Value | number): Value {
    return byRule(FUNCTIONS2.atan2.op, FUNCTIONS2.atan2, this, operand(x));
  }

  /**
   * `min(this, o)`; NaN if either is NaN. The gradient goes to `this` where it is strictly the smaller, else
   * (a tie included) to `o`, as for `o - relu(o - this)` with `relu'(0) = 0`.
   *
   * @example
   * ```ts
   * new Value(2).min(3).data; // 2
   * ```
   */
  min(o: Value | number): Value {
    return byRule(FUNCTIONS2.min.op, FUNCTIONS2.min, this, operand(o));
  }

  /**
   * `max(this, o)`; NaN if either is NaN. The gradient goes to `this` where it is strictly the larger, else
   * (a tie included) to `o`, as for `o + relu(this - o)` with `relu'(0) = 0`, so `x.max(0)` is `x.relu()` with its
   * derivative.
   *
   * @example
   * ```ts
   * new Value(2).max(3).data; // 3
   * ```
   */
  max(o: Value | number): Value {
    return byRule(FUNCTIONS2.max.op, FUNCTIONS2.max, this, operand(o));
  }

  /**
   * Reverse-mode pass from this node: its grad becomes 1, every node reachable from it receives d(this)/d(node).
   * Interior nodes' grads are reset first; leaves accumulate until `zeroGrad()`. Iterative, so a chain of millions
   * of nodes works. With `checkFinite`, throws `NonFiniteError` at the first non-finite value
   * (forward order, before any grad changes) or gradient (backward order).
   *
   * @example
   * ```ts
   * const a = new Value(3, 'a');
   * const y = a.mul(a);
   * y.backward();
   * a.grad; // 6
   * ```
   */
  backward(opts: { checkFinite?: boolean } = {}): void {
    backward(this, opts.checkFinite === true);
  }

  /**
   * Set the grad of every node reachable from this one (itself included) to 0.
   *
   * @example
   * ```ts
   * const a = new Value(3);
   * const y = a.mul(2);
   * y.backward();
   * y.zeroGrad();
   * a.grad; // 0
   * ```
   */
  zeroGrad(): void {
    zeroGrad(this);
  }

  /**
   * `Value(data=…, grad=…)` like micrograd's repr, with label and op when present.
   *
   * @example
   * ```ts
   * String(new Value(2, 'a')); // 'Value(a, data=2, grad=0)'
   * ```
   */
  toString(): string {
    const name = this.label === '' ? '' : `${this.label}, `;
    const op = this.op === '' ? '' : `, op=${this.op}`;
    return `Value(${name}data=${this.data}, grad=${this.grad}${op})`;
  }

  /** Node's `console.log` and `util.inspect` print the short form rather than the chunk of numbers. */
  [inspect](): string {
    return this.toString();
  }
}

/**
 * @internal Where a node's numbers sit in its chunk, from its offset `i`: its value, its grad and its traversal mark.
 * The graph's own passes (`graph.ts`, `compileGraph`) read and write them there rather than through the accessors,
 * which cost a call each before the engine has optimised the pass: three to four times the time of the pass in a
 * process's first backward or compile.
 *
 * @example
 * ```ts
 * const v = new Value(2);
 * v.s[v.i + DATA] === v.data; // true
 * ```
 */
export const DATA = 0;
/** @internal See {@link DATA}. @example `v.s[v.i + GRAD] === v.grad` */
export const GRAD = 1;
/** @internal See {@link DATA}. @example `v.s[v.i + MARK] === v.stamp` */
export const MARK = 2;

type Internals = { -readonly [K in 's' | 'i' | 'op' | 'c0' | 'c1']: Value[K] };

// Numbers per node in a chunk: data, grad, traversal mark; then d(this)/d(c0) for an op and d(this)/d(c1) for a
// two-operand op. Memory per node is what limits big graphs (W2 at 10^6 steps: 5 million nodes alive until
// backward), so no node holds a slot it never uses. Chunks are small so that a node kept alive alone (a
// parameter, say) keeps at most 24 KB of numbers alive with it.
const LEAF_SLOTS = 3;
const BINARY_SLOTS = 5;
const CHUNK = 3072;
let chunk = new Float64Array(CHUNK);
let used = 0;

const NO_CHILDREN: readonly Value[] = Object.freeze([]);

/**
 * A one-operand op's output node. Every Value comes out of the one constructor, so all share one hidden class; the
 * constructor left room after the leaf's slots, so the node takes one more for its local derivative. Each op
 * method reads its own rule (rather than passing a name to a shared helper) so that every call of a rule function
 * has one target and can be inlined.
 */
function unary(op: string, c0: Value, data: number, d0: number): Value {
  const v = new Value(data);
  const w = v as Internals;
  w.op = op;
  w.c0 = c0;
  const i = v.i;
  used = i + LEAF_SLOTS + 1;
  v.s[i + 3] = d0;
  return v;
}

/** A two-operand op's output node, as `unary` with two more slots: d(this)/d(c0) and d(this)/d(c1). */
/** A two-operand node by its rule: the value and both local derivatives at the operands' data. */
function byRule(op: string, rule: BinaryRule, c0: Value, c1: Value): Value {
  const x = c0.data;
  const y = c1.data;
  const out = rule.value(x, y);
  return binary(op, c0, c1, out, rule.d0(x, y, out), rule.d1(x, y, out));
}

function binary(op: string, c0: Value, c1: Value, data: number, d0: number, d1: number): Value {
  const v = new Value(data);
  const w = v as Internals;
  w.op = op;
  w.c0 = c0;
  w.c1 = c1;
  const s = v.s;
  const i = v.i;
  used = i + BINARY_SLOTS;
  s[i + 3] = d0;
  s[i + 4] = d1;
  return v;
}

/** A number becomes a constant leaf; anything else but a Value is a caller's mistake worth naming. */
function operand(o: Value | number): Value {
  if (typeof o === 'number') return new Value(o);
  if (o instanceof Value) return o;
  throw new InvalidArgumentError(
    'operand',
    `operand must be a Value or a number, got ${describeArgument(o)}`,
  );
}

// Exponent op names are interned so `x**2` nodes do not each carry their own copy of the string '**2'.
const powOps = new Map<number, string>();
function powOp(k: number): string {
  let op = powOps.get(k);
  if (op === undefined) {
    op = `**${k}`;
    if (powOps.size < 1024) powOps.set(k, op);
  }
  return op;
}

/**
 * A Value from a Value or a number (numbers become constant leaves with label `''`).
 *
 * @example
 * ```ts
 * asValue(2).data; // 2
 * ```
 */
export function asValue(x: Value | number): Value {
  return operand(x);
}
