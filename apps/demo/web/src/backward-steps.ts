import {
  BINARY,
  FUNCTIONS,
  FUNCTIONS2,
  topologicalOrder,
  type Fn2Name,
  type FnName,
  type Value,
} from '@crossgrad/autograd';

/** One step of manual backpropagation: a node hands its grad to its operands by its op's rule. */
export interface BackwardStep {
  /** The node whose grad is now complete and is passed on. */
  readonly node: Value;
  /** The rule, in words, with the numbers used. */
  readonly rule: string;
}

// The lecture's words for each function's rule. The numbers come from autograd's own rule table, so the stepper
// passes on exactly what backward() does; a function missing here is a compile error.
const WORDS: Readonly<Record<FnName, (d: number) => string>> = {
  exp: () => 'exp: the output itself',
  log: () => 'log: 1/x',
  sqrt: () => 'sqrt: 1/(2·sqrt x)',
  sin: () => 'sin: cos x',
  cos: () => 'cos: -sin x',
  tan: () => 'tan: 1 + tan²x',
  asin: () => 'asin: 1/sqrt(1 - x²)',
  acos: () => 'acos: -1/sqrt(1 - x²)',
  atan: () => 'atan: 1/(1 + x²)',
  sinh: () => 'sinh: cosh x',
  cosh: () => 'cosh: sinh x',
  tanh: (d) => `tanh: 1 - t² = ${fmt(d)}`,
  asinh: () => 'asinh: 1/sqrt(x² + 1)',
  acosh: () => 'acosh: 1/sqrt(x² - 1)',
  atanh: () => 'atanh: 1/(1 - x²)',
  sigmoid: () => 'sigmoid: s·(1 - s)',
  softplus: () => 'softplus: sigmoid x',
  relu: () => 'relu: 1 above 0, else 0',
  abs: () => 'abs: sign x',
};

// The same for the two-argument functions: the words for d/da (operand 0) and d/db (operand 1).
const WORDS2: Readonly<Record<Fn2Name, (i: number) => string>> = {
  atan2: (i) => (i === 0 ? 'atan2(y, x): d/dy = x/(x² + y²)' : 'atan2(y, x): d/dx = -y/(x² + y²)'),
  min: () => 'min: 1 to the smaller operand (the second at a tie), 0 to the other',
  max: () => 'max: 1 to the larger operand (the second at a tie), 0 to the other',
};

/** Each function's entry by the op name its nodes carry (`'ReLU'` for relu). */
const BY_OP = new Map(
  (Object.keys(FUNCTIONS) as FnName[]).map((name) => [FUNCTIONS[name].op, name] as const),
);

const BY_OP2 = new Map(
  (Object.keys(FUNCTIONS2) as Fn2Name[]).map((name) => [FUNCTIONS2[name].op, name] as const),
);

/** d(out)/d(operand i) by autograd's rule for the op, with the rule in the lecture's words. */
function localRule(out: Value, i: number): { derivative: number; name: string } {
  const [a, b] = out.children as [Value, Value | undefined];
  const x = a.data;
  const y = out.data;
  const k = out.exponent;
  if (k !== undefined) {
    return { derivative: BINARY['**'].d0(x, k, y), name: `power rule: ${fmt(k)}·x^${fmt(k - 1)}` };
  }
  if (out.op === '+' || out.op === '*' || out.op === '**') {
    const rule = BINARY[out.op];
    const other = b?.data ?? Number.NaN;
    const derivative = i === 0 ? rule.d0(x, other, y) : rule.d1(x, other, y);
    if (out.op === '+') return { derivative, name: 'sum: + passes the grad through' };
    if (out.op === '*') return { derivative, name: `product: the other factor (${fmt(derivative)})` };
    return { derivative, name: i === 0 ? 'power rule: b·a^(b-1)' : 'exponent: a^b·ln a' };
  }
  const fn2 = BY_OP2.get(out.op);
  if (fn2 !== undefined && b !== undefined) {
    const rule = FUNCTIONS2[fn2];
    const derivative = i === 0 ? rule.d0(x, b.data, y) : rule.d1(x, b.data, y);
    return { derivative, name: WORDS2[fn2](i) };
  }
  const fn = BY_OP.get(out.op);
  if (fn === undefined) return { derivative: Number.NaN, name: `no rule for '${out.op}'` };
  const derivative = FUNCTIONS[fn].derivative(x, y);
  return { derivative, name: WORDS[fn](derivative) };
}

/** A number in a rule's text: an integer as it is, else four significant digits. */
function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString();
}

function nameOf(v: Value, index: ReadonlyMap<Value, number>): string {
  return v.label !== '' ? v.label : v.children.length === 0 ? fmt(v.data) : `node ${index.get(v)}`;
}

/** A node's grad as the status names it: `w2.grad`, but `(x1*w1 + x2*w2).grad`, so the grad is the whole node's. */
function gradOf(v: Value, index: ReadonlyMap<Value, number>): string {
  const name = nameOf(v, index);
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${name}.grad` : `(${name}).grad`;
}

/**
 * Manual backpropagation through a graph, one node at a time in reverse topological order: the output's grad is
 * 1, then each node, once every node that uses it is done, adds `local derivative × its grad` to each operand.
 * Writes the grads into the graph's nodes as it goes (the lecture's manual backward pass).
 *
 * @example
 * ```ts
 * const stepper = new BackwardStepper(buildSeedGraph().o);
 * stepper.step()?.rule; // 'o = tanh(…): tanh: 1 - t² = 0.5; n.grad += 0.5 × 1'
 * stepper.runAll(); // every grad now as after o.backward()
 * ```
 */
export class BackwardStepper {
  private readonly order: Value[];
  private readonly index: Map<Value, number>;
  private position = 0;

  constructor(readonly root: Value) {
    this.order = topologicalOrder(root);
    this.index = new Map(this.order.map((v, i) => [v, i]));
    this.reset();
  }

  /** The node index `toDot` gives each node (its position in the topological order). */
  indexOf(v: Value): number {
    return this.index.get(v) ?? -1;
  }

  /** Nodes still to pass their grad on. */
  get remaining(): number {
    return this.order.length - this.position;
  }

  /** Every grad 0, the output's 1: nothing passed on yet. */
  reset(): void {
    for (const v of this.order) v.grad = 0;
    this.root.grad = 1;
    this.position = 0;
  }

  /** Pass the next node's grad on; undefined when every node is done. */
  step(): BackwardStep | undefined {
    if (this.position >= this.order.length) return undefined;
    const node = this.order[this.order.length - 1 - this.position]!;
    this.position++;
    const kids = node.children;
    const who = nameOf(node, this.index);
    if (kids.length === 0) {
      return { node, rule: `${who} is a leaf: its grad ${fmt(node.grad)} is final` };
    }
    const parts = kids.map((kid, i) => {
      const { derivative } = localRule(node, i);
      kid.grad += derivative * node.grad;
      return `${gradOf(kid, this.index)} += ${fmt(derivative)} × ${fmt(node.grad)}`;
    });
    const { name } = localRule(node, 0);
    return { node, rule: `${who} = ${node.op}(…): ${name}; ${parts.join(', ')}` };
  }

  /** Every remaining step. */
  runAll(): BackwardStep | undefined {
    let last: BackwardStep | undefined;
    for (let s = this.step(); s !== undefined; s = this.step()) last = s;
    return last;
  }
}
