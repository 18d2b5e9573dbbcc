import { InvalidArgumentError } from '@crossgrad/autograd';
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
  it("keeps a parse error's source line and caret", () => {
    const { message, status } = describeError(thrownBy(() => parse('x +')));
    expect(status).toBe(2);
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/\(column \d\)$/),
      '  x +',
      expect.stringMatching(/^ {2} *\^$/),
    ]);
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
  });

  it("calls anything else crossgrad's own fault: status 1, named as an internal error", () => {
    expect(describeError(new TypeError('x is undefined'))).toEqual({
      message: 'internal error: TypeError: x is undefined',
      status: 1,
    });
    expect(describeError('a string')).toEqual({ message: 'internal error: a string', status: 1 });
  });
});
