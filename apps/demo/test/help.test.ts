import { readFileSync } from 'node:fs';

import { FN_NAMES, parse } from '@crossgrad/symbolic';
import { describe, expect, it } from 'vitest';

import { helpText } from '../src/cli/help.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the function lists of --help and the README', () => {
  const listed = /functions (.*?), constants/s.exec(helpText())?.[1]?.split(/\s+/) ?? [];

  it('--help lists every function the parser reads, tan and softplus included, and only those', () => {
    expect(listed).toEqual(expect.arrayContaining(['tan', 'softplus']));
    // step and sign too (derivatives print them, and an unknown function's error lists them); a function added to
    // the library fails here until --help names it.
    expect(listed).toEqual([...FN_NAMES]);
    expect(helpText()).toContain('step and sign are the derivatives of relu and abs (0 at 0)');
    for (const fn of listed) expect(() => parse(`${fn}(x)`), fn).not.toThrow();
  });

  it('the README lists the same functions', () => {
    const line = /^The op set: `\+ - \* \/ \^`, `([^`]*)`/m.exec(readme)?.[1]?.split(' ') ?? [];
    expect(line).toEqual(listed);
  });
});

describe('--help for fit and minimize', () => {
  const help = helpText();
  const section = (title: string) => new RegExp(`^${title}:\\n((?: {2}.*\\n)+)`, 'm').exec(help)?.[1] ?? '';

  it('lists both commands and each of their options', () => {
    expect(help).toContain('\n  crossgrad fit [fit options] ');
    expect(help).toContain('\n  crossgrad minimize [options] ');
    const options = (title: string) => [...section(title).matchAll(/^ {2}(--[\w-]+)/gm)].map((m) => m[1]);
    expect(options('Fit options')).toEqual([
      '--model',
      '--data',
      '--start',
      '--response',
      '--max-iterations',
      '--json',
      '--svg',
    ]);
    expect(options('Minimize options')).toEqual(['--expr', '--start', '--max-iterations', '--json']);
  });

  it('documents exit status 4', () => {
    expect(help).toMatch(/^ {2}4 {2}fit or minimize stopped without converging/m);
  });
});
