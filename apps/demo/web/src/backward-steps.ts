import { topologicalOrder, type Value } from '@crossgrad/autograd';

/** One step of manual backpropagation: a node hands its grad to its operands by its op's rule. */
export interface BackwardStep {
  /** The node whose grad is now complete and is passed on. */
  readonly node: Value;
  /** The rule, in words, with the numbers used. */
  readonly rule: string;
}

/** d(out)/d(operand i) from the op and the data, as the lecture writes each rule by hand. */
function localRule(out: Value, i: number): { derivative: number; name: string } {
  const [a, b] = out.children as [Value, Value | undefined];
  const x = a.data;
  const y = out.data;
  const k = out.exponent;
  if (k !== undefined) return { derivative: k * x ** (k - 1), name: `power rule: ${fmt(k)}·x^${fmt(k - 1)}` };
  switch (out.op) {
    case '+':
      return { derivative: 1, name: 'sum: + passes the grad through' };
    case '*': {
      const other = i === 0 ? b! : a;
      return { derivative: other.data, name: `product: the other factor (${fmt(other.data)})` };
    }
    case '**':
      return i === 0
        ? { derivative: b!.data * x ** (b!.data - 1), name: 'power rule: b·a^(b-1)' }
        : { derivative: y * Math.log(x), name: 'exponent: a^b·ln a' };
    case 'exp':
      return { derivative: y, name: 'exp: the output itself' };
    case 'log':
      return { derivative: 1 / x, name: 'log: 1/x' };
    case 'sqrt':
      return { derivative: 0.5 / y, name: 'sqrt: 1/(2·sqrt x)' };
    case 'sin':
      return { derivative: Math.cos(x), name: 'sin: cos x' };
    case 'cos':
      return { derivative: -Math.sin(x), name: 'cos: -sin x' };
    case 'tan':
      return { derivative: 1 + y * y, name: 'tan: 1 + tan²x' };
    case 'tanh':
      return { derivative: 1 - y * y, name: `tanh: 1 - t² = ${fmt(1 - y * y)}` };
    case 'sigmoid':
      return { derivative: y * (1 - y), name: 'sigmoid: s·(1 - s)' };
    case 'softplus':
      return { derivative: 1 / (1 + Math.exp(-x)), name: 'softplus: sigmoid x' };
    case 'ReLU':
    case 'relu':
      return { derivative: x > 0 ? 1 : 0, name: 'relu: 1 above 0, else 0' };
    case 'abs':
      return { derivative: Math.sign(x), name: 'abs: sign x' };
    default:
      return { derivative: Number.NaN, name: `no hand rule for '${out.op}'` };
  }
}

/** A number in a rule's text: an integer as it is, else four significant digits. */
function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString();
}

function nameOf(v: Value, index: ReadonlyMap<Value, number>): string {
  return v.label !== '' ? v.label : v.children.length === 0 ? fmt(v.data) : `node ${index.get(v)}`;
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
      return `${nameOf(kid, this.index)}.grad += ${fmt(derivative)} × ${fmt(node.grad)}`;
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
