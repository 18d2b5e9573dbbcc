import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { add, mul, num, parse, sin, sym } from '@crossgrad/symbolic';

// Interned expressions are held weakly: a child process with an exposed garbage collector makes and drops many
// expressions and reports the heap before and after.
const SCRIPT = `
import { add, mul, num, sin, sym } from '@crossgrad/symbolic';
const settle = async () => { for (let i = 0; i < 4; i++) { gc(); await new Promise((r) => setTimeout(r, 20)); } };
const heap = () => process.memoryUsage().heapUsed;
await settle();
const before = heap();
let kept = 0;
for (let i = 0; i < 100000; i++) kept += add(mul(sym('m'), i + 0.5), sin(num(i + 0.25))).id & 1;
const made = heap() - before;
await settle();
console.log(JSON.stringify({ made, retained: heap() - before, kept }));
`;

describe('interned expressions can be garbage-collected', () => {
  test('100,000 dropped expressions (400,000 nodes) leave next to nothing behind', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--conditions=@crossgrad/source',
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        SCRIPT,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    const { made, retained } = JSON.parse(run.stdout) as { made: number; retained: number };
    // Tens of megabytes made; kept by a strong table they stayed (about 110 MB per 200,000 expressions).
    expect(made).toBeGreaterThan(20 * 2 ** 20);
    expect(retained).toBeLessThan(2 * 2 ** 20);
  }, 120_000);

  test('equal live expressions are still one object', () => {
    const a = add(mul(sym('collect_a'), 2), sin(num(3)));
    const b = parse('sin(3) + 2 * collect_a');
    expect(a).toBe(b);
    expect(a.id).toBe(b.id);
  });
});
