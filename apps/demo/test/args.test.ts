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

  it('reads an expression that starts with -, as the next argument or after =', () => {
    for (const argv of [
      ['--expr', '-x^2', '--at', 'x=3'],
      ['--expr=-x^2', '--at', 'x=3'],
      ['--at', 'x=3', '--expr', '-x^2'],
    ]) {
      expect(parseCommandLine(argv), argv.join(' ')).toMatchObject({ expr: '-x^2', at: { x: 3 } });
    }
    expect(parseCommandLine(['--expr', '-1 - x', '--at', 'x=-2', '--json'])).toMatchObject({
      expr: '-1 - x',
      at: { x: -2 },
      json: true,
    });
    // Repeated flags without a value are harmless and stay allowed.
    expect(parseCommandLine(['--json', '--json'])).toMatchObject({ json: true });
  });

  it('reads train with its defaults and its own --steps N', () => {
    expect(parseCommandLine(['train'])).toEqual({
      kind: 'train',
      steps: 100,
      seed: 1337,
      svg: undefined,
      engine: 'both',
    });
    expect(
      parseCommandLine(['train', '--steps', '20', '--seed', '7', '--svg', 'b.svg', '--engine', 'eager']),
    ).toEqual({
      kind: 'train',
      steps: 20,
      seed: 7,
      svg: 'b.svg',
      engine: 'eager',
    });
    expect(parseCommandLine(['train', '--engine=compiled'])).toMatchObject({ engine: 'compiled' });
  });

  it('reads fit with its defaults, and a model that starts with -', () => {
    expect(parseCommandLine(['fit', '--model', 'b1*x', '--data', 'd.csv', '--start', 'b1=500'])).toEqual({
      kind: 'fit',
      model: 'b1*x',
      data: 'd.csv',
      start: { b1: 500 },
      response: 'y',
      maxIterations: undefined,
      json: false,
      svg: undefined,
    });
    expect(
      parseCommandLine([
        'fit',
        '--model',
        '-b1*x',
        '--data',
        'd.csv',
        '--start',
        'b1=-1e-4',
        '--response',
        'log(y)',
        '--max-iterations',
        '7',
        '--json',
        '--svg',
        'f.svg',
      ]),
    ).toEqual({
      kind: 'fit',
      model: '-b1*x',
      data: 'd.csv',
      start: { b1: -1e-4 },
      response: 'log(y)',
      maxIterations: 7,
      json: true,
      svg: 'f.svg',
    });
    expect(parseCommandLine(['fit', '--help'])).toEqual({ kind: 'help' });
  });

  it('reads minimize', () => {
    expect(parseCommandLine(['minimize', '--expr', '-x', '--start', 'x=-1.2', '--json'])).toEqual({
      kind: 'minimize',
      expr: '-x',
      start: { x: -1.2 },
      maxIterations: undefined,
      json: true,
    });
    expect(parseCommandLine(['minimize', '-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--frobnicate'], 'unknown option --frobnicate (see crossgrad --help)'],
    [['-x'], 'unknown option -x (see crossgrad --help)'],
    [['--expr'], '--expr needs a value'],
    [['--expr', '--at', 'x=1'], "--expr needs a value; for one starting with '-' write --expr=VALUE"],
    [['--expr', '-h'], "--expr needs a value; for one starting with '-' write --expr=VALUE"],
    [['--expr', 'x', '--expr', 'y'], '--expr is given twice'],
    [['--expr=x', '--at', 'x=1', '--expr', '-x'], '--expr is given twice'],
    [['--expr', 'x', '--at', 'x=1', '--at', 'x=2'], '--at is given twice'],
    [['train', '--steps', '5', '--steps', '6'], '--steps is given twice'],
    [['train', '--steps', '0x10'], "--steps must be a whole number from 1 to 100000, not '0x10'"],
    [['train', '--steps', '1e2'], "--steps must be a whole number from 1 to 100000, not '1e2'"],
    [['train', '--steps=-5'], "--steps must be a whole number from 1 to 100000, not '-5'"],
    [['train', '--steps', '-5'], "--steps needs a value; for one starting with '-' write --steps=VALUE"],
    [['--json=yes'], '--json takes no value'],
    [['--at', 'x=1'], '--at needs --expr (the default run has its own point)'],
    [['--expr', '  '], '--expr is empty'],
    [['--json', '--tex'], '--json and --tex cannot be combined'],
    [['--dot', 'a', '--svg', 'a'], '--dot and --svg name the same file a'],
    [['--svg', ''], '--svg needs a file name'],
    [['fitt'], "unknown command 'fitt' (commands: train, fit, minimize; see crossgrad --help)"],
    [['fit'], 'fit needs --model (example: --model "b1*(1-exp(-b2*x))")'],
    [['fit', '--model', 'a*x', '--start', 'a=1'], 'fit needs --data (example: --data data.csv)'],
    [['fit', '--model', 'a*x', '--data', 'd.csv'], 'fit needs --start (example: --start b1=500,b2=1e-4)'],
    [['fit', '--model', ' ', '--data', 'd.csv', '--start', 'a=1'], '--model is empty'],
    [['fit', '--model', 'a*x', '--data', 'd.csv', '--start', 'a=1', '--response', ''], '--response is empty'],
    [
      ['fit', '--model', 'a*x', '--data', 'd.csv', '--start', 'a:1'],
      "bad --start 'a:1': 'a:1' is not name=value (example: --start b1=500,b2=1e-4)",
    ],
    [
      ['fit', '--model', 'a*x', '--data', 'd.csv', '--start', 'a=one'],
      "bad --start 'a=one': 'one' is not a number (for a)",
    ],
    [
      ['fit', '--model', 'a*x', '--data', 'd.csv', '--start', 'a=1', '--max-iterations', '0'],
      "--max-iterations must be a whole number from 1 to 1000000, not '0'",
    ],
    [
      ['fit', '--model', 'a*x', '--data', 'd.csv', '--start', 'a=1', 'now'],
      "unexpected argument 'now' after fit",
    ],
    [['fit', '--tex'], 'unknown option --tex (see crossgrad --help)'],
    [['minimize'], 'minimize needs --expr (example: --expr "(1-x)^2 + 100*(y-x^2)^2")'],
    [['minimize', '--expr', 'x^2'], 'minimize needs --start (example: --start x=-1.2,y=1)'],
    [
      ['minimize', '--expr', 'x^2', '--start', 'x=1', '--svg', 'a.svg'],
      'unknown option --svg (see crossgrad --help)',
    ],
    [['train', '--steps', '0'], "--steps must be a whole number from 1 to 100000, not '0'"],
    [['train', '--steps', '2.5'], "--steps must be a whole number from 1 to 100000, not '2.5'"],
    [['train', '--seed', 'abc'], "--seed must be a whole number from 0 to 4294967295, not 'abc'"],
    [['train', '--json'], 'unknown option --json (see crossgrad --help)'],
    [['train', 'now'], "unexpected argument 'now' after train"],
    [['train', '--engine', 'fast'], "--engine must be both, compiled, eager, not 'fast'"],
    [['--engine', 'eager'], 'unknown option --engine (see crossgrad --help)'],
  ])('rejects %j with a UsageError naming the problem', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(new UsageError(message));
  });
});

describe('parsePoint', () => {
  it('reads name=value pairs, with spaces, signs and exponents', () => {
    expect(parsePoint('x=1,y=2')).toEqual({ x: 1, y: 2 });
    expect(parsePoint(' x1 = -1.5e-3 , _y=+4 ')).toEqual({ x1: -0.0015, _y: 4 });
    expect(parsePoint('a=.5,b=2.,c=-0,d=1E+2,f=010')).toEqual({ a: 0.5, b: 2, c: -0, d: 100, f: 10 });
  });

  it('reads names as the parser does, letters beyond ASCII included', () => {
    expect(parsePoint('θ=1,Δx=-2,é=3')).toEqual({ θ: 1, Δx: -2, é: 3 });
  });

  it.each([
    ['x', "bad --at 'x': 'x' is not name=value (example: --at x=1,y=2)"],
    ['x=1;y=2', "bad --at 'x=1;y=2': '1;y=2' is not a number (for x)"],
    ['x=1,,y=2', "bad --at 'x=1,,y=2': '' is not name=value (example: --at x=1,y=2)"],
    ['x=', "bad --at 'x=': '' is not a number (for x)"],
    ['x=abc', "bad --at 'x=abc': 'abc' is not a number (for x)"],
    ['x=Infinity', "bad --at 'x=Infinity': 'Infinity' is not a number (for x)"],
    ['x=0x10', "bad --at 'x=0x10': '0x10' is hexadecimal: write it in decimal, 16 (for x)"],
    ['x=0b101', "bad --at 'x=0b101': '0b101' is binary: write it in decimal, 5 (for x)"],
    ['x=0o17', "bad --at 'x=0o17': '0o17' is octal: write it in decimal, 15 (for x)"],
    ['x=1_000', "bad --at 'x=1_000': '1_000' is not a number (for x)"],
    ['x=1e999', "bad --at 'x=1e999': '1e999' is too large for a double (for x)"],
    ['1x=2', "bad --at '1x=2': '1x' is not a variable name"],
    [
      'π=3',
      "bad --at 'π=3': 'π' is not a variable name (it is reserved: a constant, a function or a keyword)",
    ],
    [
      'sin=3',
      "bad --at 'sin=3': 'sin' is not a variable name (it is reserved: a constant, a function or a keyword)",
    ],
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
