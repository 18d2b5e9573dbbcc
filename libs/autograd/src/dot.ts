import { InvalidArgumentError, describeArgument } from './errors.js';
import { topologicalOrder } from './graph.js';
import type { Value } from './value.js';

/**
 * Options of {@link toDot}.
 *
 * @example
 * ```ts
 * const options: DotOptions = { rankdir: 'TB' };
 * ```
 */
export interface DotOptions {
  /** Layout direction: `'LR'` (left to right, the default, as micrograd) or `'TB'` (top to bottom). */
  rankdir?: 'LR' | 'TB';
}

/**
 * The graph below `root` as Graphviz DOT text, like micrograd's `draw_dot`: one record node per value
 * `{ label | data 2.0000 | grad 0.5000 }`, one small node per op, edges child → op → value (one edge per operand,
 * so `a + a` shows two). Labels are escaped, so the text is valid DOT whatever they contain. Iterative, so deep
 * graphs are fine (rendering them is another matter).
 *
 * @example
 * ```ts
 * const a = new Value(2, 'a');
 * const y = a.mul(3);
 * y.label = 'y';
 * y.backward();
 * toDot(y); // 'digraph {\n  graph [rankdir=LR];\n  n0 [shape=record, label="{ a | data 2.0000 | grad 3.0000 }"];\n…'
 * ```
 */
export function toDot(root: Value, options: DotOptions = {}): string {
  const rankdir = options.rankdir ?? 'LR';
  if (rankdir !== 'LR' && rankdir !== 'TB') {
    throw new InvalidArgumentError(
      'rankdir',
      `rankdir must be 'LR' or 'TB', got ${describeArgument(rankdir)}`,
    );
  }
  const order = topologicalOrder(root);
  const id = new Map<Value, number>();
  for (let i = 0; i < order.length; i++) id.set(order[i], i);
  const lines = ['digraph {', `  graph [rankdir=${rankdir}];`];
  for (let i = 0; i < order.length; i++) {
    const v = order[i];
    const record = `{ ${escapeLabel(v.label)} | data ${v.data.toFixed(4)} | grad ${v.grad.toFixed(4)} }`;
    lines.push(`  n${i} [shape=record, label="${record}"];`);
    if (v.c0 === null) continue;
    lines.push(`  n${i}op [label="${escapeLabel(v.op)}"];`, `  n${i}op -> n${i};`);
    lines.push(`  n${id.get(v.c0)} -> n${i}op;`);
    if (v.c1 !== null) lines.push(`  n${id.get(v.c1)} -> n${i}op;`);
  }
  lines.push('}', '');
  return lines.join('\n');
}

/**
 * Escape text for a quoted DOT string that Graphviz also reads as a record label: backslash and quote for the
 * DOT lexer, `{ } | < >` for the record parser, `&` so entity references stay literal, line breaks as `\n`, and
 * other control characters (which Graphviz cannot measure or may truncate at) as spaces.
 *
 * @example
 * ```ts
 * escapeLabel('a|b "c"'); // 'a\\|b \\"c\\"'
 * ```
 */
export function escapeLabel(text: string): string {
  return text.replace(/\r\n?|\n|[\\"{}|<>&]|\p{Cc}/gu, (ch) => {
    if (ch === '&') return '&amp;';
    if (ch === '\n' || ch === '\r' || ch === '\r\n') return '\\n';
    if (/\p{Cc}/u.test(ch)) return ' ';
    return `\\${ch}`;
  });
}
