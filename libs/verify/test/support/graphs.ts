import fc from 'fast-check';
import { topologicalOrder, Value } from '@crossgrad/autograd';

/**
 * The steps a random `Value` graph is built from. Each step applies one op to earlier nodes, picked by index (modulo
 * the number of nodes so far), so nodes are shared as in a real DAG. Like `exprArbitrary`, the ops are valid by
 * construction: log and sqrt of `1 + u²`, division by `1 + u²`, a variable exponent on `1 + u²`, tan of `sin u`,
 * asin, acos, atanh of `sin(u) / 2`, acosh of `2 + u²`, atan2 of a point with `x = 1 + u²`.
 */
export const GRAPH_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'square',
  'cube',
  'pow',
  'exp',
  'log',
  'sqrt',
  'sin',
  'cos',
  'tan',
  'tanh',
  'sigmoid',
  'softplus',
  'relu',
  'abs',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'asinh',
  'acosh',
  'atanh',
  'atan2',
  'min',
  'max',
] as const;

export type GraphOp = (typeof GRAPH_OPS)[number];

/** One step: an op and the indices of its operands among the nodes built before it. */
export interface GraphStep {
  readonly op: GraphOp;
  readonly a: number;
  readonly b: number;
}

/** The leaves of every graph, labelled, in this order. */
export const GRAPH_VARIABLES = ['x', 'y', 'z'] as const;

/** Random graphs of 1 to `maxSteps` steps; they shrink to fewer steps and to operands nearer the leaves. */
export function graphSteps(maxSteps = 12): fc.Arbitrary<GraphStep[]> {
  const step = fc.record({
    op: fc.constantFrom(...GRAPH_OPS),
    a: fc.nat({ max: 63 }),
    b: fc.nat({ max: 63 }),
  });
  return fc.array(step, { minLength: 1, maxLength: maxSteps });
}

/** `1 + u²`. */
function onePlusSquare(u: Value): Value {
  return u.mul(u).add(1);
}

/**
 * The graph of `steps` on fresh leaves at `point`: its last node and the leaves (in {@link GRAPH_VARIABLES} order).
 */
export function buildGraph(
  steps: readonly GraphStep[],
  point: Readonly<Record<string, number>>,
): { output: Value; leaves: Value[] } {
  const leaves = GRAPH_VARIABLES.map((name) => new Value(point[name] ?? 0, name));
  const nodes: Value[] = [...leaves];
  for (const { op, a: i, b: j } of steps) {
    const a = nodes[i % nodes.length];
    const b = nodes[j % nodes.length];
    nodes.push(apply(op, a, b));
  }
  return { output: nodes[nodes.length - 1], leaves };
}

function apply(op: GraphOp, a: Value, b: Value): Value {
  switch (op) {
    case 'add':
      return a.add(b);
    case 'sub':
      return a.sub(b);
    case 'mul':
      return a.mul(b);
    case 'div':
      return a.div(onePlusSquare(b));
    case 'square':
      return a.pow(2);
    case 'cube':
      return a.pow(3);
    case 'pow':
      return onePlusSquare(a).pow(b);
    case 'exp':
      return a.exp();
    case 'log':
      return onePlusSquare(a).log();
    case 'sqrt':
      return onePlusSquare(a).sqrt();
    case 'sin':
      return a.sin();
    case 'cos':
      return a.cos();
    case 'tan':
      return a.sin().tan();
    case 'tanh':
      return a.tanh();
    case 'sigmoid':
      return a.sigmoid();
    case 'softplus':
      return a.softplus();
    case 'relu':
      return a.relu();
    case 'abs':
      return a.abs();
    case 'asin':
      return a.sin().div(2).asin();
    case 'acos':
      return a.sin().div(2).acos();
    case 'atan':
      return a.atan();
    case 'sinh':
      return a.sinh();
    case 'cosh':
      return a.cosh();
    case 'asinh':
      return a.asinh();
    case 'acosh':
      return a.mul(a).add(2).acosh();
    case 'atanh':
      return a.sin().div(2).atanh();
    case 'atan2':
      // Right of the origin: clear of the point with no derivative and of the cut.
      return a.atan2(onePlusSquare(b));
    case 'min':
      return a.min(b);
    case 'max':
      return a.max(b);
  }
}

/** How each step reads, over its operands' names. */
const SHOWN: Readonly<Record<GraphOp, (a: string, b: string) => string>> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / (1 + ${b}^2)`,
  square: (a) => `${a}^2`,
  cube: (a) => `${a}^3`,
  pow: (a, b) => `(1 + ${a}^2)^${b}`,
  exp: (a) => `exp(${a})`,
  log: (a) => `log(1 + ${a}^2)`,
  sqrt: (a) => `sqrt(1 + ${a}^2)`,
  sin: (a) => `sin(${a})`,
  cos: (a) => `cos(${a})`,
  tan: (a) => `tan(sin(${a}))`,
  tanh: (a) => `tanh(${a})`,
  sigmoid: (a) => `sigmoid(${a})`,
  softplus: (a) => `softplus(${a})`,
  relu: (a) => `relu(${a})`,
  abs: (a) => `abs(${a})`,
  asin: (a) => `asin(sin(${a}) / 2)`,
  acos: (a) => `acos(sin(${a}) / 2)`,
  atan: (a) => `atan(${a})`,
  sinh: (a) => `sinh(${a})`,
  cosh: (a) => `cosh(${a})`,
  asinh: (a) => `asinh(${a})`,
  acosh: (a) => `acosh(${a}^2 + 2)`,
  atanh: (a) => `atanh(sin(${a}) / 2)`,
  atan2: (a, b) => `atan2(${a}, 1 + ${b}^2)`,
  min: (a, b) => `min(${a}, ${b})`,
  max: (a, b) => `max(${a}, ${b})`,
};

/** The steps the last node depends on (the others are dead code, which shrinking may leave behind). */
export function liveSteps(steps: readonly GraphStep[]): Set<number> {
  const live = new Set<number>();
  const n0 = GRAPH_VARIABLES.length;
  const stack = [steps.length - 1];
  for (let i = stack.pop(); i !== undefined; i = stack.pop()) {
    if (i < 0 || live.has(i)) continue;
    live.add(i);
    const nodes = n0 + i;
    const { op, a, b } = steps[i];
    stack.push((a % nodes) - n0);
    if (SHOWN[op].length === 2) stack.push((b % nodes) - n0);
  }
  return live;
}

/** A graph's live steps, one per node: `n1 = sin(x); n2 = n1 * y`. */
export function describeGraph(steps: readonly GraphStep[]): string {
  const names: string[] = [...GRAPH_VARIABLES];
  const live = liveSteps(steps);
  const lines: string[] = [];
  steps.forEach(({ op, a, b }, i) => {
    const text = SHOWN[op](names[a % names.length], names[b % names.length]);
    names.push(`n${i + 1}`);
    if (live.has(i)) lines.push(`n${i + 1} = ${text}`);
  });
  return lines.join('; ');
}

/**
 * Local derivatives of each autograd op, `(operands, value) => one partial per operand`: what a tape multiplies the
 * output's adjoint by. Keyed by the node's `op` (`**k` nodes under `'**k'`).
 */
export type LocalRules = Readonly<Record<string, (x: readonly number[], y: number, k: number) => number[]>>;

const sigmoid = (u: number): number => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));

/** The textbook local derivatives (PyTorch's conventions at the edges: relu' = abs' = 0 at 0, as autograd). */
export const LOCAL_RULES: LocalRules = {
  '+': () => [1, 1],
  '*': ([a, b]) => [b, a],
  '**': ([a, b], y) => [b === 0 ? 0 : b * Math.pow(a, b - 1), a === 0 && b >= 0 ? 0 : y * Math.log(a)],
  '**k': ([a], _y, k) => [k === 0 ? 0 : k * Math.pow(a, k - 1)],
  exp: (_x, y) => [y],
  log: ([a]) => [1 / a],
  sqrt: (_x, y) => [0.5 / y],
  sin: ([a]) => [Math.cos(a)],
  cos: ([a]) => [-Math.sin(a)],
  tan: (_x, y) => [1 + y * y],
  tanh: (_x, y) => [1 - y * y],
  sigmoid: (_x, y) => [y * (1 - y)],
  softplus: ([a]) => [sigmoid(a)],
  ReLU: ([a]) => [a > 0 ? 1 : 0],
  abs: ([a]) => [a > 0 ? 1 : a < 0 ? -1 : 0],
  asin: ([a]) => [1 / Math.sqrt(1 - a * a)],
  acos: ([a]) => [-1 / Math.sqrt(1 - a * a)],
  atan: ([a]) => [1 / (1 + a * a)],
  sinh: ([a]) => [Math.cosh(a)],
  cosh: ([a]) => [Math.sinh(a)],
  asinh: ([a]) => [1 / Math.sqrt(a * a + 1)],
  acosh: ([a]) => [1 / Math.sqrt(a * a - 1)],
  atanh: ([a]) => [1 / (1 - a * a)],
  atan2: ([y, x]) => [x / (x * x + y * y), -y / (x * x + y * y)],
  // At a tie the second operand gets it, as autograd's convention.
  min: ([a, b]) => (a < b ? [1, 0] : [0, 1]),
  max: ([a, b]) => (a > b ? [1, 0] : [0, 1]),
};

/**
 * A minimal tape, the shape compileGraph records, whose local derivatives come from `rules`: values are the
 * graph's own (its `data`), gradients flow back through `rules`. With {@link LOCAL_RULES} it agrees with eager
 * backward to rounding; with a broken table it is the mutant the self-test must catch.
 */
export function ruleTapeGradient(output: Value, inputs: readonly Value[], rules: LocalRules): number[] {
  const order = topologicalOrder(output);
  const index = new Map(order.map((v, i) => [v, i]));
  const grad = new Float64Array(order.length);
  grad[order.length - 1] = 1;
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i];
    const kids = v.children;
    if (kids.length === 0 || grad[i] === 0) continue;
    const k = v.exponent;
    const rule = rules[k === undefined ? v.op : '**k'];
    if (rule === undefined) throw new Error(`no local rule for op "${v.op}"`);
    const partials = rule(
      kids.map((c) => c.data),
      v.data,
      k ?? 0,
    );
    kids.forEach((c, j) => {
      const at = index.get(c);
      if (at !== undefined) grad[at] += grad[i] * partials[j];
    });
  }
  return inputs.map((x) => {
    const at = index.get(x);
    return at === undefined ? 0 : grad[at];
  });
}
