import { InvalidArgumentError } from '@crossgrad/autograd';
import { fit, NonFiniteError } from '@crossgrad/optimize';
import { parse, SymbolicError } from '@crossgrad/symbolic';
import { InvalidInputError } from '@crossgrad/verify';
import { describe, expect, it } from 'vitest';

import { describeError } from '../src/cli/describe-error.js';
import { UsageError } from '../src/cli/usage-error.js';

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('describeError', () => {
  it('puts a parse error on one line: the problem, its column and the source around it', () => {
    expect(describeError(thrownBy(() => parse('x +')))).toEqual({
      message: 'unexpected end of expression (column 4) in "x +"',
      status: 2,
    });
    const long = `${'x + '.repeat(100)}) + y`;
    const { message } = describeError(thrownBy(() => parse(long)));
    expect(message).toBe('value expected (column 401) in …"+ x + x + x + x + x + x + x + ) + y"');
    expect(message.split('\n')).toHaveLength(1);
  });

  it("gives the libraries' typed errors and usage errors status 2, on one line", () => {
    expect(describeError(new UsageError('--at needs --expr'))).toEqual({
      message: '--at needs --expr',
      status: 2,
    });
    expect(describeError(new SymbolicError('evaluate: bad\nsecond line'))).toEqual({
      message: 'evaluate: bad',
      status: 2,
    });
    expect(describeError(new InvalidInputError('ratio must be > 1'))).toEqual({
      message: 'ratio must be > 1',
      status: 2,
    });
    expect(describeError(new InvalidArgumentError('n', 'makeMoons needs n >= 2'))).toEqual({
      message: 'makeMoons needs n >= 2',
      status: 2,
    });
    const optimizeError = thrownBy(() => fit('log(a * x)', { x: [1, 2], y: [1, 2] }, { a: -1 }));
    expect(optimizeError).toBeInstanceOf(NonFiniteError);
    expect(describeError(optimizeError)).toEqual({
      message: (optimizeError as Error).message.split('\n')[0],
      status: 2,
    });
  });

  it("calls anything else crossgrad's own fault: status 1, named as an internal error", () => {
    expect(describeError(new TypeError('x is undefined'))).toEqual({
      message: 'internal error: TypeError: x is undefined',
      status: 1,
    });
    expect(describeError('a string')).toEqual({ message: 'internal error: a string', status: 1 });
  });
});
