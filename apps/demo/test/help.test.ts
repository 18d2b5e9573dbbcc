import { readFileSync } from 'node:fs';

import { FN2_NAMES, FN_NAMES, parse, PARSER_FUNCTIONS } from '@crossgrad/symbolic';
import { describe, expect, it } from 'vitest';

import { helpText } from '../src/cli/help.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the function lists of --help and the README', () => {
  const listed = /functions (.*?),\s+of two/s.exec(helpText())?.[1]?.split(/\s+/) ?? [];
  const expr = /--expr EXPR +the expression(.*?)--at POINT/s.exec(helpText())?.[1] ?? '';
  const words = new Set(expr.match(/[a-z][a-z0-9]*/g));

  it('--help lists every one-argument function the parser reads, inverse and hyperbolic ones included', () => {
    expect(listed).toEqual(expect.arrayContaining(['tan', 'softplus', 'asin', 'acosh']));
    // step, sign and logz too (derivatives print them, and an unknown function's error lists them); a function
    // added to the library fails here until --help names it.
    expect(listed).toEqual([...FN_NAMES]);
    expect(helpText()).toContain('step and sign are the derivatives of');
    for (const fn of listed) expect(() => parse(`${fn}(x)`), fn).not.toThrow();
  });

  it('--help names every function the parser reads (two-argument ones and aliases too)', () => {
    const missing = PARSER_FUNCTIONS.filter((fn) => fn !== 'step' && fn !== 'sign' && !words.has(fn));
    expect(missing).toEqual([]);
    for (const fn of [...FN2_NAMES, 'pow']) expect(() => parse(`${fn}(x, y)`), fn).not.toThrow();
    expect(parse('x ** 2')).toBe(parse('x^2'));
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
