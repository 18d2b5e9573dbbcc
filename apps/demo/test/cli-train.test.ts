import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli } from './run-cli.js';
import { checkWellFormed } from './xml.js';

describe('train', () => {
  it('trains MLP(2,[16,16,1]) on 100 moons to 100% accuracy, with plain progress lines when piped', async () => {
    const svgPath = join(mkdtempSync(join(tmpdir(), 'crossgrad-train-')), 'moons.svg');
    const result = await runCli(['train', '--steps', '100', '--seed', '1337', '--svg', svgPath]);
    expect(result.stderr).toBe(`wrote ${svgPath}\n`);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('training MLP(2,[16,16,1]) (337 parameters) on 100 moons, seed 1337');
    const progress = lines.filter((line) => line.startsWith('step '));
    expect(progress).toHaveLength(10);
    expect(progress.at(-1)).toMatch(/^step 100\/100 {2}loss \d\.\d{4} {2}accuracy 100%$/);
    // The loss falls: the last step's loss is below the first reported one.
    const losses = progress.map((line) => Number(/loss (\S+)/.exec(line)?.[1]));
    expect(losses.at(-1)).toBeLessThan(losses[0] ?? 0);
    expect(lines.at(-1)).toMatch(/^done: 100 steps in \d+\.\d s, loss \d\.\d{4}, accuracy 100%$/);

    const svg = readFileSync(svgPath, 'utf8');
    expect(checkWellFormed(svg).root).toBe('svg');
    expect(svg.match(/<circle /g)).toHaveLength(100);
    // Both classes are drawn, and the grid shows both signs of the score.
    expect(svg).toContain('fill="#1f6fb5"');
    expect(svg).toContain('fill="#c0392b"');
    expect(svg).toContain('fill="#cfe3f7"');
    expect(svg).toContain('fill="#f8d5cc"');
  }, 30_000);
});
