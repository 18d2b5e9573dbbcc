import { describe, expect, test } from 'vitest';
import { parse, variables, writtenVariables } from '@crossgrad/symbolic';

describe('writtenVariables: the variables as written, before simplification', () => {
  test('keeps a variable that cancels out, drops functions and constants', () => {
    expect(variables(parse('x/(y - y)'))).toEqual(['x']);
    expect(writtenVariables('x/(y - y)')).toEqual(['x', 'y']);
    expect(writtenVariables('(x/x)^2 + w')).toEqual(['w', 'x']);
    expect(writtenVariables('sin(a) * e^b + pi*c + log(d, 2)')).toEqual(['a', 'b', 'c', 'd']);
  });

  test('numbers are not names: 1e5x is 100000·x, 2x is 2·x', () => {
    expect(writtenVariables('1e5x + 2y + x1e5')).toEqual(['x', 'x1e5', 'y']);
  });

  test('letters beyond ASCII, as the parser reads them', () => {
    expect(writtenVariables('sin(θ) + Δx')).toEqual(variables(parse('sin(θ) + Δx')));
  });
});
