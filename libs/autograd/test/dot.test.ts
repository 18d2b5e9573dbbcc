import { instance } from '@viz-js/viz';
import { beforeAll, describe, expect, test } from 'vitest';
import { InvalidArgumentError, Value, toDot } from '@crossgrad/autograd';

type Viz = Awaited<ReturnType<typeof instance>>;
let viz: Viz;
beforeAll(async () => {
  viz = await instance();
});

/** Render with Graphviz; fail on any error or warning about the input, return the SVG's text elements. */
function render(dot: string): string[] {
  const result = viz.render(dot, { format: 'svg' });
  expect(result.errors.filter((e) => !e.message.includes('no value for width'))).toEqual([]);
  expect(result.status).toBe('success');
  const unxml = (s: string) =>
    s
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&(lt|gt|quot|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[e] ?? '');
  return [...(result.output ?? '').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unxml(m[1]));
}

interface Parsed {
  rankdir: string;
  records: Map<string, { label: string; data: string; grad: string }>;
  ops: Map<string, string>;
  edges: [string, string][];
}

const FIELD = String.raw`(?:\\[\\"{}|<>n]|&amp;|[^\\"{}|<>&\n])*`;
const PLAIN = String.raw`(?:\\[\\"{}|<>n]|&amp;|[^\\"{}|<>&\n])*`;

/** Undo escapeLabel: what Graphviz displays. */
function unescape(field: string): string {
  return field.replace(/\\(.)|&amp;/g, (_m, c?: string) => (c === undefined ? '&' : c === 'n' ? '\n' : c));
}

/**
 * A strict parser for exactly the DOT toDot writes: every line must match one statement form, every record must
 * have three fields with only escaped specials, ids are unique and every edge joins declared nodes.
 */
function parseDot(dot: string): Parsed {
  const lines = dot.split('\n');
  expect(lines[0]).toBe('digraph {');
  expect(lines.at(-2)).toBe('}');
  expect(lines.at(-1)).toBe('');
  const rank = /^ {2}graph \[rankdir=(LR|TB)\];$/.exec(lines[1]);
  expect(rank).not.toBeNull();
  const record = new RegExp(
    String.raw`^  (n\d+) \[shape=record, label="\{ (${FIELD}) \| data (\S+) \| grad (\S+) \}"\];$`,
  );
  const op = new RegExp(String.raw`^  (n\d+op) \[label="(${PLAIN})"\];$`);
  const edge = /^ {2}(n\d+(?:op)?) -> (n\d+(?:op)?);$/;
  const parsed: Parsed = { rankdir: rank?.[1] ?? '', records: new Map(), ops: new Map(), edges: [] };
  for (const line of lines.slice(2, -2)) {
    let m = record.exec(line);
    if (m) {
      expect(parsed.records.has(m[1])).toBe(false);
      parsed.records.set(m[1], { label: unescape(m[2]), data: m[3], grad: m[4] });
      continue;
    }
    m = op.exec(line);
    if (m) {
      expect(parsed.ops.has(m[1])).toBe(false);
      parsed.ops.set(m[1], unescape(m[2]));
      continue;
    }
    m = edge.exec(line);
    expect(m, `unexpected line: ${line}`).not.toBeNull();
    if (m) parsed.edges.push([m[1], m[2]]);
  }
  for (const [from, to] of parsed.edges) {
    expect(parsed.records.has(from) || parsed.ops.has(from)).toBe(true);
    expect(parsed.records.has(to) || parsed.ops.has(to)).toBe(true);
  }
  return parsed;
}

function seedNeuron(): Value {
  const x1 = new Value(2, 'x1');
  const x2 = new Value(0, 'x2');
  const w1 = new Value(-3, 'w1');
  const w2 = new Value(1, 'w2');
  const b = new Value(6.8813735870195432, 'b');
  const n = x1.mul(w1).add(x2.mul(w2)).add(b);
  n.label = 'n';
  const o = n.tanh();
  o.label = 'o';
  o.backward();
  return o;
}

describe('toDot', () => {
  test('the seed neuron as micrograd draws it: records, op nodes, child → op → value', () => {
    const dot = toDot(seedNeuron());
    const g = parseDot(dot);
    expect(g.rankdir).toBe('LR');
    const byLabel = new Map([...g.records.values()].map((r) => [r.label, r]));
    expect(byLabel.get('x1')).toEqual({ label: 'x1', data: '2.0000', grad: '-1.5000' });
    expect(byLabel.get('w1')).toEqual({ label: 'w1', data: '-3.0000', grad: '1.0000' });
    expect(byLabel.get('n')).toEqual({ label: 'n', data: '0.8814', grad: '0.5000' });
    expect(byLabel.get('o')).toEqual({ label: 'o', data: '0.7071', grad: '1.0000' });
    // 5 leaves + 2 '*' + 2 '+' + tanh = 10 values; 5 ops; each op has one edge out and one per operand.
    expect(g.records.size).toBe(10);
    expect([...g.ops.values()].sort()).toEqual(['*', '*', '+', '+', 'tanh']);
    expect(g.edges).toHaveLength(5 + 2 * 4 + 1);
    const opOf = (label: string) => [...g.records.entries()].find(([, r]) => r.label === label)?.[0];
    expect(g.edges).toContainEqual([`${opOf('o')}op`, opOf('o')]);
    expect(g.edges).toContainEqual([opOf('n'), `${opOf('o')}op`]);
    const texts = render(dot);
    for (const t of ['x1', 'data 2.0000', 'grad -1.5000', 'tanh', 'data 0.7071']) expect(texts).toContain(t);
  });

  test('rankdir TB, and a bad rankdir is an InvalidArgumentError', () => {
    const y = new Value(1).add(2);
    expect(parseDot(toDot(y, { rankdir: 'TB' })).rankdir).toBe('TB');
    expect(() => toDot(y, { rankdir: 'RL' as 'LR' })).toThrow(InvalidArgumentError);
    expect(() => toDot(y, { rankdir: 'RL' as 'LR' })).toThrow(
      "rankdir must be 'LR' or 'TB', got string \"RL\"",
    );
  });

  const hostile = [
    '{ } | < >',
    'say "hi"',
    'back\\slash',
    'ends with \\',
    '\\',
    '\\"',
    '"',
    'two\nlines',
    'crlf\r\nhere',
    '\\n is not a newline',
    '&amp; stays &amp;',
    '<b>html?</b>',
    'tab\there',
    'nul\u0000byte',
    '}"; digraph x { a -> b',
    '∂L/∂w₁',
  ];

  test.each(hostile)('hostile label %j renders as itself', (label) => {
    const a = new Value(1.5, label);
    const y = a.mul(2);
    y.label = label;
    y.backward();
    const dot = toDot(y);
    const g = parseDot(dot);
    // Control characters other than line breaks become spaces; CR LF becomes one line break.
    const shown = label.replace(/\r\n?/g, '\n').replace(/(?!\n)\p{Cc}/gu, ' ');
    const labels = [...g.records.values()].map((r) => r.label);
    expect(labels.filter((l) => l === shown)).toHaveLength(2);
    // Graphviz displays the label (records trim and collapse blanks; a line break starts a new text element).
    const texts = render(dot);
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    for (const line of shown.split('\n')) expect(texts.map(norm)).toContain(norm(line));
  });

  test('a chain of 10^5 tanh: no recursion', () => {
    const x0 = new Value(0.1, 'x');
    let x = x0;
    let grad = 1;
    for (let i = 0; i < 100_000; i++) {
      x = x.tanh();
      grad *= 1 - x.data * x.data;
    }
    x.backward();
    expect(x0.grad).toBeCloseTo(grad, 12);
    const dot = toDot(x);
    const lines = dot.split('\n');
    // header 2 + footer 2, 100001 records, 100000 op nodes with two edges each.
    expect(lines).toHaveLength(4 + 100_001 + 3 * 100_000);
    expect(lines[2]).toBe(`  n0 [shape=record, label="{ x | data 0.1000 | grad ${grad.toFixed(4)} }"];`);
  });
});
