import { describe, expect, test } from 'vitest';
import {
  numberProblem,
  parse,
  readNumber,
  variableNameProblem,
  variables,
  writtenVariables,
} from '@crossgrad/symbolic';

describe('writtenVariables: the variables as written, before simplification', () => {
  test('keeps a variable that cancels out, drops functions and constants', () => {
    expect(variables(parse('x/(y - y)'))).toEqual(['x']);
    expect(writtenVariables('x/(y - y)')).toEqual(['x', 'y']);
    expect(writtenVariables('(x/x)^2 + w')).toEqual(['w', 'x']);
    expect(writtenVariables('sin(a) * e^b + pi*c + log(d, 2)')).toEqual(['a', 'b', 'c', 'd']);
  });

  test('two-argument functions and spellings from elsewhere are calls, not variables', () => {
    const src = 'atan2(y, x) + min(x, y) + max(x, 0) + pow(x, 2) + ln(x) + arcsin(x) + arctanh(y)';
    expect(writtenVariables(src)).toEqual(['x', 'y']);
    expect(variables(parse(src))).toEqual(['x', 'y']);
  });

  test('numbers are not names: 1e5x is 100000·x, 2x is 2·x', () => {
    expect(writtenVariables('1e5x + 2y + x1e5')).toEqual(['x', 'x1e5', 'y']);
  });

  test('letters beyond ASCII, as the parser reads them', () => {
    expect(writtenVariables('sin(θ) + Δx')).toEqual(variables(parse('sin(θ) + Δx')));
  });
});

describe('numbers: one decimal grammar for expressions, --at and the point boxes', () => {
  test.each([
    ['1.5', 1.5],
    [' -2.5e-1 ', -0.25],
    ['+4', 4],
    ['.5', 0.5],
    ['2.', 2],
    ['1E+2', 100],
    ['010', 10],
    ['-0', -0],
  ])('%j reads as %d', (text, value) => {
    expect(numberProblem(text)).toBeUndefined();
    expect(readNumber(text)).toBe(value);
  });

  test.each([
    ['0x10', "'0x10' is hexadecimal: write it in decimal, 16"],
    ['-0X1f', "'-0X1f' is hexadecimal: write it in decimal, -31"],
    ['0b101', "'0b101' is binary: write it in decimal, 5"],
    ['0o17', "'0o17' is octal: write it in decimal, 15"],
    ['', "'' is not a number"],
    ['abc', "'abc' is not a number"],
    ['Infinity', "'Infinity' is not a number"],
    ['NaN', "'NaN' is not a number"],
    ['1_000', "'1_000' is not a number"],
    ['1,5', "'1,5' is not a number"],
    ['1e999', "'1e999' is too large for a double"],
  ])('%j is refused: %s', (text, problem) => {
    expect(numberProblem(text)).toBe(problem);
    expect(readNumber(text)).toBeUndefined();
  });
});

describe('names: what can name a variable, the parser and the inputs beside it alike', () => {
  test.each(['x', 'x1', '_y', 'θ', 'Δx', 'ℏ', 'w_000', 'é'])('%j can', (name) => {
    expect(variableNameProblem(name)).toBeUndefined();
    expect(variables(parse(name))).toEqual([name]);
  });

  test.each([
    ['1x', '"1x" is not a valid variable name (letters, digits, _ and $, not starting with a digit)'],
    ['x-y', '"x-y" is not a valid variable name (letters, digits, _ and $, not starting with a digit)'],
    ['π', "'π' is reserved (a constant, a function or a keyword) and cannot name a variable"],
    ['pi', "'pi' is reserved (a constant, a function or a keyword) and cannot name a variable"],
    ['sin', "'sin' is reserved (a constant, a function or a keyword) and cannot name a variable"],
  ])('%j cannot: %s', (name, problem) => {
    expect(variableNameProblem(name)).toBe(problem);
  });
});
