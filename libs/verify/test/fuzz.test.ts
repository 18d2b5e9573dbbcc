import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type Call, diffRules, type DiffRules, type Expr, mul, sin } from '@crossgrad/symbolic';
import { readArgs, UsageError } from '../fuzz/args.js';
import { formatSummary, runFuzz } from '../fuzz/run.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));

describe('fuzz arguments', () => {
  test('defaults and every flag', () => {
    expect(readArgs([], 12345)).toEqual({
      runs: 10000,
      seed: 12345,
      maxDepth: 4,
      variables: ['x', 'y'],
      mathjs: true,
      help: false,
    });
    expect(
      readArgs(['--runs', '50', '--seed=-7', '--max-depth', '2', '--variables', 'a,b,c', '--skip-mathjs']),
    ).toEqual({
      runs: 50,
      seed: -7,
      maxDepth: 2,
      variables: ['a', 'b', 'c'],
      mathjs: false,
      help: false,
    });
  });

  test('bad flags are one-line UsageErrors', () => {
    const message = (argv: string[]): string => {
      try {
        readArgs(argv);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(message(['--bogus'])).toMatch(/^Unknown option '--bogus'/);
    expect(message(['--runs', 'many'])).toBe('--runs must be an integer >= 1, got "many"');
    expect(message(['--runs', '0'])).toBe('--runs must be an integer >= 1, got "0"');
    expect(message(['--seed', '99999999999'])).toBe(
      '--seed must be an integer from -2147483648 to 2147483647, got "99999999999"',
    );
    expect(message(['--variables', 'x,x'])).toBe(
      '--variables must be distinct names separated by commas, got "x,x"',
    );
    expect(message(['stray'])).toMatch(/^Unexpected argument 'stray'/);
    for (const argv of [['--bogus'], ['--runs'], ['stray']]) expect(message(argv)).not.toContain('\n');
  });
});

describe('runFuzz', () => {
  const args = { runs: 150, seed: 42, maxDepth: 3, variables: ['x', 'y'], mathjs: false, help: false };

  test('the real libraries: every case checked, none disagrees, figures per oracle pair', () => {
    const s = runFuzz(args);
    expect(s.checked).toBe(150);
    expect(s.agreed + Object.values(s.skipped).reduce((a, b) => a + b, 0)).toBe(150);
    expect(s.disagreements).toEqual([]);
    expect(s.agreed).toBeGreaterThan(100);
    expect(Object.keys(s.worstRel).sort()).toEqual([
      'autograd ~ complexStep',
      'finiteDifference ~ autograd',
      'finiteDifference ~ complexStep',
      'finiteDifference ~ symbolic',
      'symbolic ~ autograd',
      'symbolic ~ complexStep',
    ]);
    expect(s.worstRel['symbolic ~ complexStep']).toBeLessThan(1e-9);
    expect(s.worstFdUsage).toBeLessThan(1);
    const text = formatSummary(s, args);
    expect(text).toMatch(/^checked +150$/m);
    expect(text).toMatch(/^disagreements +0$/m);
    expect(text).toMatch(/^cases per second +\d+$/m);
  });

  test('a broken rule: each disagreement comes with seed, path and a shrunk expression, and the run goes on', () => {
    const rules: DiffRules = {
      ...diffRules,
      cos: { ...diffRules.cos, derive: (e: Call, d: readonly Expr[]) => mul(sin(e.arg), d[0]) },
    };
    const s = runFuzz({ ...args, runs: 300 }, { compare: { rules } });
    expect(s.checked).toBe(300);
    expect(s.disagreements.length).toBeGreaterThan(1);
    for (const d of s.disagreements) {
      expect(d.expression).toContain('cos(');
      expect(d.path).toMatch(/^\d+(:\d+)*$/);
      expect(d.reason).toMatch(/^∂\/∂[xy]: symbolic /);
    }
    expect(new Set(s.disagreements.map((d) => d.seed)).size).toBe(s.disagreements.length);
    const text = formatSummary(s, args);
    expect(text).toMatch(new RegExp(`^disagreements +${s.disagreements.length}$`, 'm'));
    expect(text).toContain(`  seed ${s.disagreements[0].seed} path "${s.disagreements[0].path}": `);
  });
});

describe('the fuzz command', () => {
  const run = (argv: string[]) =>
    spawnSync(process.execPath, [tsx, '--conditions=@crossgrad/source', 'fuzz/main.ts', ...argv], {
      cwd: root,
      encoding: 'utf8',
    });

  test('a short run prints the figures and exits 0', () => {
    const out = execFileSync(
      process.execPath,
      [tsx, '--conditions=@crossgrad/source', 'fuzz/main.ts', '--runs', '40', '--seed', '3'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(out).toMatch(/^fuzz: 40 cases, seed 3, max depth 4, variables x,y$/m);
    expect(out).toMatch(/^checked +40$/m);
    expect(out).toMatch(/^disagreements +0$/m);
  });

  test('a bad flag exits 2 with one line', () => {
    const r = run(['--runs', 'lots']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('fuzz: --runs must be an integer >= 1, got "lots" (try --help)\n');
  });
});
