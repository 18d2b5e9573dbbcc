import { describe, expect, it } from 'vitest';

import { createProgress } from '../src/train/progress.js';

describe('createProgress', () => {
  it('names the run on a terminal bar, so the two runs of train --engine both can be told apart', async () => {
    let written = '';
    const stream = {
      isTTY: true,
      columns: 120,
      write: (text: string) => ((written += text), true),
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => stream,
      removeListener: () => stream,
    };
    const progress = await createProgress(2, stream, 'eager   ');
    progress.update(2, 0.5, 1);
    progress.stop();
    expect(written).toMatch(/eager {4}\S+ 100% \| step 2\/2 \| loss 0\.5000 \| accuracy 100%/);
  });

  it('prints about ten plain lines when piped, without the label', async () => {
    const lines: string[] = [];
    const progress = await createProgress(20, { isTTY: false, write: (t) => (lines.push(t), true) }, 'eager');
    for (let step = 1; step <= 20; step++) progress.update(step, 1 / step, step / 20);
    progress.stop();
    expect(lines).toHaveLength(10);
    expect(lines.at(-1)).toBe('step 20/20  loss 0.0500  accuracy 100%\n');
  });
});
