import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli, runInProcess } from './run-cli.js';
import { checkWellFormed } from './xml.js';

const SPEED = {
  compiled:
    /^compiled tape +\d+(\.\d+)? steps\/s {2}\((\d+) steps in \d+\.\d\d s, recording the tape included\)$/,
  eager: /^eager +\d+(\.\d+)? steps\/s {2}\((\d+) steps in \d+\.\d\d s\)$/,
};

describe('train', () => {
  it('trains MLP(2,[16,16,1]) on 100 moons to 100% accuracy both ways, with plain progress lines when piped', async () => {
    const svgPath = join(mkdtempSync(join(tmpdir(), 'crossgrad-train-')), 'moons.svg');
    const result = await runCli(['train', '--steps', '100', '--seed', '1337', '--svg', svgPath]);
    expect(result.stderr).toBe(`wrote ${svgPath}\n`);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('training MLP(2,[16,16,1]) (337 parameters) on 100 moons, seed 1337');
    // Progress for the first (compiled) run only: the eager run repeats its numbers.
    const progress = lines.filter((line) => line.startsWith('step '));
    expect(progress).toHaveLength(10);
    expect(progress.at(-1)).toMatch(/^step 100\/100 {2}loss \d\.\d{4} {2}accuracy 100%$/);
    // The loss falls: the last step's loss is below the first reported one.
    const losses = progress.map((line) => Number(/loss (\S+)/.exec(line)?.[1]));
    expect(losses.at(-1)).toBeLessThan(losses[0] ?? 0);
    expect(lines.slice(-4)).toEqual([
      expect.stringMatching(/^done: loss \d\.\d{4}, accuracy 100%$/),
      expect.stringMatching(SPEED.compiled),
      expect.stringMatching(SPEED.eager),
      expect.stringMatching(
        /^the tape is \d+\.\dx as fast, and trained the same 337 weights as eager to the bit$/,
      ),
    ]);

    const svg = readFileSync(svgPath, 'utf8');
    expect(checkWellFormed(svg).root).toBe('svg');
    expect(svg.match(/<circle /g)).toHaveLength(100);
    // Both classes are drawn, and the grid shows both signs of the score.
    expect(svg).toContain('fill="#1f6fb5"');
    expect(svg).toContain('fill="#c0392b"');
    expect(svg).toContain('fill="#cfe3f7"');
    expect(svg).toContain('fill="#f8d5cc"');
  }, 120_000);

  it('--engine compiled and --engine eager train one way each, to the same model (in process)', async () => {
    const [compiled, eager] = [
      await runInProcess(['train', '--steps', '20', '--engine', 'compiled']),
      await runInProcess(['train', '--steps', '20', '--engine', 'eager']),
    ];
    for (const result of [compiled, eager]) {
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
    }
    const tail = (stdout: string) => stdout.trimEnd().split('\n').slice(-2);
    const [compiledDone, compiledSpeed] = tail(compiled.stdout);
    const [eagerDone, eagerSpeed] = tail(eager.stdout);
    expect(compiledDone).toMatch(/^done: loss \d\.\d{4}, accuracy \d+%$/);
    expect(eagerDone).toBe(compiledDone);
    expect(compiledSpeed).toMatch(SPEED.compiled);
    expect(SPEED.compiled.exec(compiledSpeed ?? '')?.[2]).toBe('20');
    expect(eagerSpeed).toMatch(SPEED.eager);
    expect(compiled.stdout.replace(compiledSpeed ?? '', '')).toBe(eager.stdout.replace(eagerSpeed ?? '', ''));
  }, 120_000);
});
