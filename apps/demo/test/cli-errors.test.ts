import { describe, expect, it } from 'vitest';

import { runCli, runInProcess } from './run-cli.js';

/** A stack frame line, as Node prints them: none may reach the user. */
const STACK_FRAME = /^\s+at /m;

const badInputs: readonly { name: string; args: readonly string[]; message: string | RegExp }[] = [
  {
    name: 'a missing variable in --at',
    args: ['--expr', 'x * y + z', '--at', 'x=1'],
    message: 'crossgrad: missing values for y, z in --at (the expression uses x, y, z)',
  },
  {
    name: 'an unknown variable in --at',
    args: ['--expr', 'x^2', '--at', 'x=1,q=2'],
    message: 'crossgrad: unknown variable q in --at (the expression uses x)',
  },
  {
    name: 'an unknown flag',
    args: ['--frobnicate'],
    message: 'crossgrad: unknown option --frobnicate (see crossgrad --help)',
  },
  {
    name: 'a malformed --at',
    args: ['--expr', 'x', '--at', 'x:1'],
    message: "crossgrad: bad --at 'x:1': 'x:1' is not name=value (example: --at x=1,y=2)",
  },
  {
    name: 'a non-number in --at',
    args: ['--expr', 'x', '--at', 'x=one'],
    message: "crossgrad: bad --at 'x=one': 'one' is not a number (for x)",
  },
  {
    name: 'an unwritable --svg path',
    args: ['--svg', '/nonexistent-crossgrad-dir/graph.svg'],
    message:
      'crossgrad: cannot write --svg /nonexistent-crossgrad-dir/graph.svg: no directory /nonexistent-crossgrad-dir',
  },
  {
    name: 'a directory as --dot',
    args: ['--dot', '.'],
    message: 'crossgrad: cannot write --dot .: it is a directory',
  },
  {
    name: 'an existing file that takes no writes as --dot (checked before the report is printed)',
    args: ['--dot', '/proc/version'],
    message: 'crossgrad: cannot write --dot /proc/version: EIO: i/o error, write',
  },
  {
    name: '--at without --expr',
    args: ['--at', 'x=1'],
    message: 'crossgrad: --at needs --expr (the default run has its own point)',
  },
  {
    name: 'a bad train --steps',
    args: ['train', '--steps', 'many'],
    message: "crossgrad: --steps must be a whole number from 1 to 100000, not 'many'",
  },
  {
    name: 'an unwritable train --svg path',
    args: ['train', '--svg', '/nonexistent-crossgrad-dir/moons.svg'],
    message:
      'crossgrad: cannot write --svg /nonexistent-crossgrad-dir/moons.svg: no directory /nonexistent-crossgrad-dir',
  },
  {
    name: 'an existing file that takes no writes as train --svg',
    args: ['train', '--svg', '/proc/version'],
    message: 'crossgrad: cannot write --svg /proc/version: EIO: i/o error, write',
  },
];

describe('bad input', () => {
  it.concurrent.each(badInputs)(
    '$name: exit 2, one line on stderr, no stack trace',
    async ({ args, message }) => {
      const result = await runCli(args);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.endsWith('\n')).toBe(true);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      if (typeof message === 'string') expect(lines[0]).toBe(message);
      else expect(lines[0]).toMatch(message);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    },
  );

  it.each([
    {
      args: ['--expr', 'x', '--at', 'x=0x10'],
      message: "crossgrad: bad --at 'x=0x10': '0x10' is hexadecimal: write it in decimal, 16 (for x)\n",
    },
    {
      args: ['--expr', 'x^2', '--expr', 'x^3', '--at', 'x=1'],
      message: 'crossgrad: --expr is given twice\n',
    },
    {
      args: ['--expr', '-x', '--expr=x', '--at', 'x=1'],
      message: 'crossgrad: --expr is given twice\n',
    },
  ])('$args: status 2 and one line (in process)', async ({ args, message }) => {
    const result = await runInProcess(args);
    expect(result).toEqual({ status: 2, stdout: '', stderr: message });
  });

  it.concurrent.each([
    {
      name: 'a syntax error',
      expr: 'sin(x) + * 2',
      message: /^crossgrad: .*\(column 10\) in "sin\(x\) \+ \* 2"$/,
    },
    {
      name: 'an unknown function',
      expr: 'x + foo(x)',
      message:
        /^crossgrad: unknown function 'foo'; the supported functions are exp, log, .*\(column 5\) in "x \+ foo\(x\)"$/,
    },
  ])('$name: exit 2, one line with the column and the source quoted', async ({ expr, message }) => {
    const result = await runCli(['--expr', expr, '--at', 'x=1']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it.concurrent('--help lists every option with examples and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.status).toBe(0);
    for (const option of [
      '--expr',
      '--at',
      '--steps',
      '--json',
      '--tex',
      '--dot',
      '--svg',
      'train',
      '--seed',
      '--engine',
    ]) {
      expect(result.stdout).toContain(option);
    }
    expect(result.stdout).toMatch(/Examples:\n {2}crossgrad\n {2}crossgrad --expr /);
    expect(result.stdout).toContain('\nExit status:\n  0  every derivative agrees');
    for (const status of ['1  a disagreement', '2  bad input', '3  no derivative to check'])
      expect(result.stdout).toContain(`\n  ${status}`);
    for (const verdict of ['agree', 'disagree', 'undefined', 'not-differentiable', 'skipped'])
      expect(result.stdout).toContain(verdict);
    expect(result.stdout).toContain('--engine');
  });
});
