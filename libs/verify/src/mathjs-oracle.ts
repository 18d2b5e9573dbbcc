import type { Expr } from '@crossgrad/symbolic';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import type { Tape } from './tape.js';

/** The part of mathjs this oracle uses. */
interface MathNodeLike {
  evaluate(scope: Record<string, number>): unknown;
}
interface MathModule {
  parse(src: string): MathNodeLike;
  derivative(node: MathNodeLike, variable: string, opts: { simplify: boolean }): MathNodeLike;
}

let loaded: MathModule | undefined;

/** Node's `process`, where there is one: enough of it to load a module synchronously. */
const nodeProcess = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;

/**
 * Load the mathjs oracle with an ESM `import()`. In Node the oracle loads itself on first use when this was not
 * awaited; in a browser, await this once before asking `compareGradients` for mathjs's opinion (until then the
 * report says mathjs is not loaded). mathjs takes a good part of a second to import, which a CLI that never needs
 * it should not pay. The number-only build keeps NaN outside a domain (the full build would answer `sqrt(-1)` with
 * `i`).
 *
 * @example
 * ```ts
 * await loadMathjs();
 * compareGradients('sin(x)', { x: 1 }).mathjs.applicable; // true
 * ```
 */
export async function loadMathjs(): Promise<void> {
  loaded ??= (await import('mathjs/number')) as unknown as MathModule;
}

/** mathjs, or undefined where it cannot be loaded synchronously (a browser before {@link loadMathjs}). */
function mathjs(): MathModule | undefined {
  if (loaded !== undefined) return loaded;
  // Node: a synchronous require through the built-in module loader, found at run time so that no Node-only import
  // reaches a browser bundle.
  const modules = nodeProcess?.getBuiltinModule?.('module') as
    { createRequire(from: string): (id: string) => unknown } | undefined;
  if (modules !== undefined) loaded = modules.createRequire(import.meta.url)('mathjs/number') as MathModule;
  return loaded;
}

/** mathjs differentiates trees: past this many tree nodes, printing and differentiating take too long to be useful. */
const MAX_TREE = 4000;
/** mathjs parses and differentiates by recursion: a chain 1,000 deep overflows the stack. */
const MAX_DEPTH = 200;

/**
 * Why mathjs cannot judge this expression (a function it lacks, or a tree too large), or undefined when it can.
 */
export function mathjsNotApplicable(tape: Tape): string | undefined {
  const missing = new Set<string>();
  for (const e of tape.nodes) {
    if (e.kind === 'call' && !FUNCTIONS[e.fn].mathjs) missing.add(e.fn);
    if (e.kind === 'call2' && !FUNCTIONS2[e.fn].mathjs) missing.add(e.fn);
  }
  if (missing.size > 0) return `mathjs has no derivative for ${[...missing].sort().join(', ')}`;
  const tree = new Float64Array(tape.nodes.length);
  const depth = new Float64Array(tape.nodes.length);
  tape.operands.forEach((ops, i) => {
    tree[i] = ops.reduce((s, k) => s + tree[k], 1);
    depth[i] = ops.reduce((d, k) => Math.max(d, depth[k] + 1), 0);
  });
  const root = tape.nodes.length - 1;
  if (tree[root] > MAX_TREE) return `expression tree has more than ${MAX_TREE} nodes`;
  if (depth[root] > MAX_DEPTH) return `expression is nested more than ${MAX_DEPTH} deep`;
  if (mathjs() === undefined) return 'mathjs is not loaded (await loadMathjs() first)';
  return undefined;
}

/**
 * The partial derivatives by mathjs `derivative` (without simplification), evaluated by mathjs at the point.
 * Variables are renamed `v0, v1, …` so that none of them collides with a mathjs constant such as `i` or `E`.
 * Call only when {@link mathjsNotApplicable} returned undefined.
 */
export function mathjsGradient(
  tape: Tape,
  point: Readonly<Record<string, number>>,
  variables: readonly string[],
): Record<string, number> {
  const rename = new Map(tape.variables.map((name, i) => [name, `v${i}`]));
  const scope: Record<string, number> = {};
  for (const [name, alias] of rename) scope[alias] = point[name];
  const m = mathjs();
  if (m === undefined) throw new Error('mathjs is not loaded (await loadMathjs() first)');
  const node = m.parse(toMathjs(tape, rename));
  const out: Record<string, number> = {};
  for (const v of variables) {
    const alias = rename.get(v);
    if (alias === undefined) {
      out[v] = 0;
      continue;
    }
    const result = m.derivative(node, alias, { simplify: false }).evaluate(scope);
    out[v] = typeof result === 'number' ? result : NaN;
  }
  return out;
}

/** The expression in mathjs syntax, fully parenthesised (printed bottom-up over the tape, so no recursion). */
export function toMathjs(tape: Tape, rename: ReadonlyMap<string, string>): string {
  const text: string[] = [];
  tape.nodes.forEach((e: Expr, i) => {
    const ops = tape.operands[i].map((k) => text[k]);
    switch (e.kind) {
      case 'num':
        text.push(e.value < 0 || Object.is(e.value, -0) ? `(${e.value})` : String(e.value));
        break;
      case 'sym':
        text.push(rename.get(e.name) ?? e.name);
        break;
      case 'add':
        text.push(`(${ops.join(' + ')})`);
        break;
      case 'mul':
        text.push(`(${ops.join(' * ')})`);
        break;
      case 'pow':
        text.push(`(${ops[0]} ^ ${ops[1]})`);
        break;
      case 'call':
        text.push(`${e.fn}(${ops[0]})`);
        break;
      case 'call2':
        text.push(`${e.fn}(${ops[0]}, ${ops[1]})`);
        break;
    }
  });
  return text[text.length - 1];
}
