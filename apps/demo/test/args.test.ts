import { describe, expect, it } from 'vitest';

import { parseCommandLine } from '../src/cli/args.js';
import { checkPointCovers, parsePoint } from '../src/cli/point.js';
import { UsageError } from '../src/cli/usage-error.js';

describe('parseCommandLine', () => {
  it('reads the default run, --expr with --at, and the flags', () => {
    expect(parseCommandLine([])).toEqual({
      kind: 'check',
      expr: undefined,
      at: undefined,
      steps: false,
      json: false,
      tex: false,
      dot: undefined,
      svg: undefined,
    });
    expect(parseCommandLine(['--expr', 'x^2', '--at', 'x=3', '--steps', '--svg', 'g.svg'])).toMatchObject({
      expr: 'x^2',
      at: { x: 3 },
      steps: true,
      svg: 'g.svg',
    });
    expect(parseCommandLine(['-h'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['train', '--help'])).toEqual({ kind: 'help' });
  });

  it('reads train with its defaults and its own --steps N', () => {
    expect(parseCommandLine(['train'])).toEqual({ kind: 'train', steps: 100, seed: 1337, svg: undefined });
    expect(parseCommandLine(['train', '--steps', '20', '--seed', '7', '--svg', 'b.svg'])).toEqual({
      kind: 'train',
      steps: 20,
      seed: 7,
      svg: 'b.svg',
    });
  });

  it.each([
    [['--frobnicate'], 'unknown option --frobnicate (see crossgrad --help)'],
    [['-x'], 'unknown option -x (see crossgrad --help)'],
    [['--expr'], '--expr needs a value'],
    [['--expr', '-x'], "--expr needs a value; for one starting with '-' write --expr=VALUE"],
    [['--json=yes'], '--json takes no value'],
    [['--at', 'x=1'], '--at needs --expr (the default run has its own point)'],
    [['--expr', '  '], '--expr is empty'],
    [['--json', '--tex'], '--json and --tex cannot be combined'],
    [['--dot', 'a', '--svg', 'a'], '--dot and --svg name the same file a'],
    [['--svg', ''], '--svg needs a file name'],
    [['fit'], "unknown command 'fit' (commands: train; see crossgrad --help)"],
    [['train', '--steps', '0'], "--steps must be a whole number from 1 to 100000, not '0'"],
    [['train', '--steps', '2.5'], "--steps must be a whole number from 1 to 100000, not '2.5'"],
    [['train', '--seed', 'abc'], "--seed must be a whole number from 0 to 4294967295, not 'abc'"],
    [['train', '--json'], 'unknown option --json (see crossgrad --help)'],
    [['train', 'now'], "unexpected argument 'now' after train"],
  ])('rejects %j with a UsageError naming the problem', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(new UsageError(message));
  });
});

describe('parsePoint', () => {
  it('reads name=value pairs, with spaces, signs and exponents', () => {
    expect(parsePoint('x=1,y=2')).toEqual({ x: 1, y: 2 });
    expect(parsePoint(' x1 = -1.5e-3 , _y=+4 ')).toEqual({ x1: -0.0015, _y: 4 });
  });

  it.each([
    ['x', "bad --at 'x': 'x' is not name=value (example: --at x=1,y=2)"],
    ['x=1;y=2', "bad --at 'x=1;y=2': '1;y=2' is not a number (for x)"],
    ['x=1,,y=2', "bad --at 'x=1,,y=2': '' is not name=value (example: --at x=1,y=2)"],
    ['x=', "bad --at 'x=': '' is not a number (for x)"],
    ['x=abc', "bad --at 'x=abc': 'abc' is not a number (for x)"],
    ['x=Infinity', "bad --at 'x=Infinity': 'Infinity' is not a number (for x)"],
    ['1x=2', "bad --at '1x=2': '1x' is not a variable name"],
    ['x=1,x=2', "bad --at 'x=1,x=2': x is given twice"],
  ])('rejects %j', (text, message) => {
    expect(() => parsePoint(text)).toThrow(new UsageError(message));
  });
});

describe('checkPointCovers', () => {
  it('accepts a point with exactly the variables', () => {
    expect(() => checkPointCovers({ x: 1, y: 2 }, ['x', 'y'])).not.toThrow();
  });

  it('names the missing and the unknown variables', () => {
    expect(() => checkPointCovers({ x: 1 }, ['x', 'y', 'z'])).toThrow(
      new UsageError('missing values for y, z in --at (the expression uses x, y, z)'),
    );
    expect(() => checkPointCovers({ x: 1, q: 2 }, ['x'])).toThrow(
      new UsageError('unknown variable q in --at (the expression uses x)'),
    );
  });
});
