import { readFileSync } from 'node:fs';

import { parse } from '@crossgrad/symbolic';
import { describe, expect, it } from 'vitest';

import { helpText } from '../src/cli/help.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the function lists of --help and the README', () => {
  const listed = /functions (.*?), constants/s.exec(helpText())?.[1]?.split(/\s+/) ?? [];

  it('--help lists tan and softplus beside the others, and every name it lists parses', () => {
    expect(listed).toEqual(expect.arrayContaining(['exp', 'tan', 'tanh', 'sigmoid', 'softplus', 'relu']));
    for (const fn of listed) expect(() => parse(`${fn}(x)`), fn).not.toThrow();
  });

  it('the README lists the same functions', () => {
    const line = /^The op set: `\+ - \* \/ \^`, `([^`]*)`/m.exec(readme)?.[1]?.split(' ') ?? [];
    expect(line).toEqual(listed);
  });
});
