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
