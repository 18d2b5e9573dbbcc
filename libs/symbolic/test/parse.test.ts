import { describe, expect, test } from 'vitest';
import {
  abs,
  add,
  ArgumentError,
  div,
  exp,
  FN2_NAMES,
  FN_NAMES,
  format,
  PARSER_FUNCTIONS,
  log,
  mul,
  neg,
  num,
  parse,
  ParseError,
  pow,
  relu,
  sigmoid,
  sign,
  sin,
  sqrt,
  step,
  sym,
  SymbolicError,
  tanh,
  UnknownFunctionError,
  UnsupportedSyntaxError,
} from '@crossgrad/symbolic';
import { random } from './support.js';

const [x, y, n] = [sym('x'), sym('y'), sym('n')];

/** The error `parse(src)` throws (failing the test if it does not throw). */
function parseError(src: string): ParseError {
  try {
    parse(src);
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error(`parse(${JSON.stringify(src)}) did not throw`);
}

describe('parse: the usual math syntax', () => {
  test.each([
    ['tanh(x1*w1 + x2*w2 + b)', tanh(add(mul(sym('x1'), sym('w1')), mul(sym('x2'), sym('w2')), sym('b')))],
    ['x^2', pow(x, 2)],
    ['e^(2*n)', exp(mul(2, n))],
    ['2x', mul(2, x)],
    ['2 x y', mul(2, x, y)],
    ['-x', neg(x)],
    ['+x', x],
    ['--x', x],
    ['-x^2', neg(pow(x, 2))],
    ['x^-2.5', pow(x, -2.5)],
    ['sqrt(x^2 + 1)', sqrt(add(pow(x, 2), 1))],
    ['log(x)/x', div(log(x), x)],
    ['log(x, 2)', div(log(x), log(2))],
    ['a - b - c', add(sym('a'), neg(sym('b')), neg(sym('c')))],
    ['a - (b - c)', add(sym('a'), neg(add(sym('b'), neg(sym('c')))))],
    ['a / b / c', mul(sym('a'), pow(sym('b'), -1), pow(sym('c'), -1))],
    ['(x + 1)(x - 1)', mul(add(x, 1), add(x, -1))],
    ['sigmoid(x) + relu(y) + abs(x)', add(sigmoid(x), relu(y), abs(x))],
    ['step(x) * sign(y)', mul(step(x), sign(y))],
    ['x^y^2', pow(x, pow(y, 2))],
    ['pi * x', mul(Math.PI, x)],
    ['Infinity - NaN', num(NaN)],
    ['α + x_1 + $b', add(sym('α'), sym('x_1'), sym('$b'))],
    ['x # a comment', x],
  ])('%s', (src, expected) => {
    expect(parse(src)).toBe(expected);
  });
});

describe('parse errors: typed, with the column and a caret under it', () => {
  test('a syntax error from mathjs is a ParseError at its column', () => {
    const err = parseError('sin(x');
    expect(err.constructor).toBe(ParseError);
    expect(err.name).toBe('ParseError');
    expect(err.column).toBe(6);
    expect(err.source).toBe('sin(x');
    expect(err.message).toBe('parenthesis ) expected (column 6)\n  sin(x\n       ^');
    expect(parseError('x +').message).toBe('unexpected end of expression (column 4)\n  x +\n     ^');
    expect(parseError('2 3').column).toBe(3);
    expect(parseError('').message).toBe('empty expression (column 1)\n  \n  ^');
  });

  test('an unknown function names itself and the supported ones', () => {
    const err = parseError('tanh(x) + hypot(x, 1)');
    expect(err).toBeInstanceOf(UnknownFunctionError);
    expect((err as UnknownFunctionError).functionName).toBe('hypot');
    expect(err.name).toBe('UnknownFunctionError');
    expect(String(err)).toMatch(/^UnknownFunctionError: unknown function 'hypot'/);
    expect(err.column).toBe(11);
    expect(err.message).toBe(
      `unknown function 'hypot' (write sqrt(x^2 + y^2)); the supported functions are ${PARSER_FUNCTIONS.join(', ')} ` +
        '(column 11)\n  tanh(x) + hypot(x, 1)\n            ^',
    );
    expect(PARSER_FUNCTIONS.slice(0, FN_NAMES.length + FN2_NAMES.length + 1)).toEqual([
      ...FN_NAMES,
      ...FN2_NAMES,
      'pow',
    ]);
    expect(parseError('arctan2(y, x)').message).toMatch(
      /^unknown function 'arctan2' \(write atan2\(y, x\)\)/,
    );
    expect((parseError('f(x)(y)') as UnknownFunctionError).functionName).toBe('f');
  });

  test.each([
    ['x!', 'the factorial operator ! is not supported (column 2)\n  x!\n   ^'],
    ['y = x^2', 'assignment is not supported (column 3)\n  y = x^2\n    ^'],
    ['f(x) = x^2', 'function definition is not supported (column 6)\n  f(x) = x^2\n       ^'],
    ['[1, 2]', 'matrices are not supported (column 1)\n  [1, 2]\n  ^'],
    ['x[1]', 'indexing and property access are not supported (column 2)\n  x[1]\n   ^'],
    ['"abc" + x', 'strings are not supported (column 1)\n  "abc" + x\n  ^'],
    ['1:3', 'ranges are not supported (column 2)\n  1:3\n   ^'],
    ['x > 0 ? x : 0', 'the conditional operator ?: is not supported (column 7)\n  x > 0 ? x : 0\n        ^'],
    ['x ? 1 : 2', 'the conditional operator ?: is not supported (column 3)\n  x ? 1 : 2\n    ^'],
    ['x < y < 1', 'chained comparisons are not supported (column 3)\n  x < y < 1\n    ^'],
    ['x; y', 'several expressions are not supported (column 2)\n  x; y\n   ^'],
    ['x mod 2', 'the modulo operator is not supported (column 3)\n  x mod 2\n    ^'],
    ['50%', 'percentages are not supported (column 3)\n  50%\n    ^'],
    ['5 cm to inch', 'unit conversion is not supported (column 6)\n  5 cm to inch\n       ^'],
    ['true + x', 'the constant true is not supported (column 1)\n  true + x\n  ^'],
    ['{a: 1}', 'objects are not supported (column 1)\n  {a: 1}\n  ^'],
    ['x & y', 'the bitwise operator & is not supported (column 3)\n  x & y\n    ^'],
    ['sin(x, y)', 'sin takes 1 argument, got 2 (column 1)\n  sin(x, y)\n  ^'],
    ['arcsin(x, y)', 'arcsin takes 1 argument, got 2 (column 1)\n  arcsin(x, y)\n  ^'],
    ['x + max(x)', 'max takes 2 arguments (max(a, b)), got 1 (column 5)\n  x + max(x)\n      ^'],
    ['atan2(x)', 'atan2 takes 2 arguments (atan2(y, x)), got 1 (column 1)\n  atan2(x)\n  ^'],
    ['pow(x, 2, 3)', 'pow takes 2 arguments (pow(a, b) for a^b), got 3 (column 1)\n  pow(x, 2, 3)\n  ^'],
    [
      '1 + log(x, 2, 3)',
      'log takes 1 argument (or 2: log(x, base)), got 3 (column 5)\n  1 + log(x, 2, 3)\n      ^',
    ],
    ['2 * sin', "'sin' is a function: write sin(...) (column 5)\n  2 * sin\n      ^"],
  ])('%s', (src, message) => {
    const err = parseError(src);
    expect(err).toBeInstanceOf(UnsupportedSyntaxError);
    expect(err.message).toBe(message);
  });

  test('a long line is cut to a window around the caret', () => {
    const src = 'x+'.repeat(100) + 'x!' + '+y'.repeat(100);
    const err = parseError(src);
    expect(err.column).toBe(202);
    const [first, line, caret] = err.message.split('\n');
    expect(first).toBe('the factorial operator ! is not supported (column 202)');
    expect(line.startsWith('  …') && line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(2 + 82);
    expect(line[caret.length - 1]).toBe('!');
    expect(caret.trim()).toBe('^');
  });

  test('a caret on a line of its own, or at a newline, still lands under the column', () => {
    expect(parseError('\n').message).toBe('empty expression (column 1)\n  \n  ^');
    expect(parseError('x +\n').message).toBe('unexpected end of expression (column 5)\n  \n  ^');
  });

  test('random strings of syntax fragments: a value that prints and parses back, or a SymbolicError', () => {
    const fragments = ['x', '2.5', 'e', 'pi', '(', ')', '[', ']', '{', '+', '-', '*', '/', '^', '!', '=', ',', ';',
      ':', '?', '<', '.', "'", '"', ' ', 'sin', 'log', 'max', 'exp', '%', '&', '\n', '#', '\\', '@', 'to', 'mod',
      'true', '1e', '0x', '**', 'α', '\u0000', '\uD835']; // prettier-ignore
    const next = random(5);
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      let src = '';
      for (let j = 1 + Math.floor(next() * 8); j > 0; j--)
        src += fragments[Math.floor(next() * fragments.length)];
      try {
        const e = parse(src);
        expect(parse(format(e)), src).toBe(e);
        parsed++;
      } catch (err) {
        expect(err, src).toBeInstanceOf(SymbolicError);
      }
    }
    expect(parsed).toBeGreaterThan(100);
  });
});

describe('what a new user tries first: a clear error with a hint', () => {
  test('a ** b is a ^ b: the same precedence, right-associative, tighter than a sign', () => {
    expect(parse('x ** 2')).toBe(parse('x^2'));
    expect(parse('2*x**3 + 1')).toBe(parse('2*x^3 + 1'));
    expect(parse('-x ** 2')).toBe(parse('-(x^2)'));
    expect(parse('x ** y ** z')).toBe(parse('x^(y^z)'));
    expect(parse('2x ** -y')).toBe(parse('2 * x^(-y)'));
    expect(format(parse('x**2 + y ** 0.5'))).toBe('x^2 + y^0.5');
    // Columns of later errors still point into the source as written.
    expect(parseError('x**2 + y!').message).toBe(
      'the factorial operator ! is not supported (column 9)\n  x**2 + y!\n          ^',
    );
    expect(parseError('x *** 2').constructor).toBe(ParseError);
  });

  test('pow(a, b), ln and the arc- spellings read as ^, log and the inverse functions; printing is canonical', () => {
    expect(parse('pow(x, y)')).toBe(parse('x^y'));
    expect(parse('pow(2, x)')).toBe(parse('2^x'));
    expect(parse('ln(x)')).toBe(parse('log(x)'));
    expect(parse('ln(x, 2)')).toBe(parse('log(x, 2)'));
    expect(format(parse('arcsin(x) + arccos(x) + arctan(x)'))).toBe('acos(x) + asin(x) + atan(x)');
    expect(parse('arsinh(x) + arcosh(x) + artanh(x)')).toBe(parse('asinh(x) + acosh(x) + atanh(x)'));
    expect(parse('arctanh(x)')).toBe(parse('atanh(x)'));
    expect(format(parse('ln(2x)'))).toBe('log(2 * x)');
    expect(parseError('2 * ln').message).toBe(
      "'ln' is a function: write ln(...) (column 5)\n  2 * ln\n      ^",
    );
  });

  test('1_000 is an error, not the variable _000 times 1', () => {
    const err = parseError('1_000 * x');
    expect(err.constructor).toBe(ParseError);
    expect(err.message).toBe(
      "'_' between digits is not supported: write 1000 for one number (column 2)\n  1_000 * x\n   ^",
    );
    expect(parseError('x + 1_000_000').message).toMatch(
      /^'_' between digits is not supported: write 1000000 /,
    );
    // A name may still hold an underscore and digits.
    expect(parse('x_1 + w_000')).toBe(add(sym('x_1'), sym('w_000')));
  });

  test.each([
    [
      'E',
      "'E' is not a variable name here: write e for Euler's number (names are case-sensitive) (column 1)\n  E\n  ^",
    ],
    [
      '2 * PI * r',
      "'PI' is not a variable name here: write pi for π (names are case-sensitive) (column 5)\n  2 * PI * r\n      ^",
    ],
    [
      'E^x',
      "'E' is not a variable name here: write e for Euler's number (names are case-sensitive) (column 1)\n  E^x\n  ^",
    ],
    [
      '2PI',
      "'PI' is not a variable name here: write pi for π (names are case-sensitive) (column 2)\n  2PI\n   ^",
    ],
  ])('%s is refused with the hint e, pi', (src, message) => {
    const err = parseError(src);
    expect(err).toBeInstanceOf(UnsupportedSyntaxError);
    expect(err.message).toBe(message);
  });

  test('e and pi stay the constants, and names that merely contain E or PI stay variables', () => {
    expect(parse('e^x')).toBe(exp(x));
    expect(parse('2 * pi')).toBe(num(2 * Math.PI));
    expect(parse('E1 + PIx')).toBe(add(sym('E1'), sym('PIx')));
  });

  test('π is the constant pi, as pi is; other letters beyond ASCII name variables', () => {
    expect(parse('π*x')).toBe(parse('pi*x'));
    expect(parse('2π')).toBe(num(2 * Math.PI));
    expect(format(parse('π*x'))).toBe('pi * x');
    expect(parse('sin(θ) + Δx')).toBe(add(sin(sym('θ')), sym('Δx')));
  });

  test.each([
    ['0x10 * x', "'0x10' is hexadecimal: write it in decimal, 16 (column 1)\n  0x10 * x\n  ^"],
    ['x + 0b101', "'0b101' is binary: write it in decimal, 5 (column 5)\n  x + 0b101\n      ^"],
    ['2 * 0o17', "'0o17' is octal: write it in decimal, 15 (column 5)\n  2 * 0o17\n      ^"],
  ])('%s: numbers in another base are refused with their decimal value as a hint', (src, message) => {
    const err = parseError(src);
    expect(err.constructor).toBe(ParseError);
    expect(err.message).toBe(message);
  });

  test.each([
    [undefined, 'parse: expected a string, got undefined'],
    [null, 'parse: expected a string, got null'],
    [42, 'parse: expected a string, got number 42'],
    [{}, 'parse: expected a string, got an object that is not an Expr'],
  ])('parse(%s) is an ArgumentError naming the problem', (input, message) => {
    let caught: unknown;
    try {
      parse(input as unknown as string);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ArgumentError);
    expect(caught).toBeInstanceOf(SymbolicError);
    expect((caught as ArgumentError).message).toBe(message);
    expect((caught as ArgumentError).argument).toBe('src');
  });
});

describe('inputs that break recursive parsers', () => {
  test('10,000 nested parentheses: a ParseError saying the nesting is too deep, at the 201st', () => {
    const src = '('.repeat(10_000) + 'x' + ')'.repeat(10_000);
    const err = parseError(src);
    expect(err.message).toMatch(/^the expression nests too deeply/);
    expect(err.column).toBe(201);
  });

  test('200 nested parentheses and calls still parse', () => {
    expect(parse('('.repeat(200) + 'x' + ')'.repeat(200))).toBe(x);
    let e = x;
    for (let i = 0; i < 199; i++) e = tanh(e);
    expect(parse('tanh('.repeat(199) + 'x' + ')'.repeat(199))).toBe(e);
  });

  test('a chain of 3,000 ^ without parentheses parses, to the right-nested powers', () => {
    let expected = x;
    for (let i = 0; i < 3000; i++) expected = pow(x, expected);
    expect(parse('x^'.repeat(3000) + 'x')).toBe(expected);
    expect(parse('x ^ '.repeat(3000) + 'x')).toBe(expected);
  });

  test('chains of a million signs and of 100,000 ^ parse without recursion', () => {
    expect(parse('-'.repeat(1_000_000) + 'x')).toBe(x);
    expect(parse('-'.repeat(1_000_001) + 'x')).toBe(neg(x));
    let e = parse('x^'.repeat(100_000) + '2');
    let depth = 0;
    while (e.kind === 'pow') {
      expect(e.base).toBe(x);
      e = e.exponent;
      depth++;
    }
    expect([depth, e]).toEqual([100_000, num(2)]);
  }, 120_000);

  test('outside the plain syntax (implicit multiplication), a long chain is a ParseError, not a stack overflow', () => {
    const err = parseError('2x^'.repeat(500_000) + 'x');
    expect(err.message).toMatch(/^too many \^ or signs in a row for the parser with implicit multiplication/);
    expect(err.column).toBe(6003);
    expect(parseError('2x * ' + '-'.repeat(1_000_000) + 'x').message).toMatch(
      /^too many \^ or signs in a row/,
    );
  });

  test('the nesting limit counts parentheses, not operators: 200 levels around a 3,000-^ chain parse', () => {
    const src = '('.repeat(200) + 'x^'.repeat(3000) + 'x' + ')'.repeat(200);
    expect(parse(src)).toBe(parse('x^'.repeat(3000) + 'x'));
    expect(parseError('('.repeat(201) + 'x^x' + ')'.repeat(201)).column).toBe(201);
  });

  test('a 1 MB sum parses (without recursion) into one flat sum, its like terms collected', () => {
    const src = 'x+y+'.repeat(250_000) + '1';
    expect(src.length).toBeGreaterThan(1_000_000);
    const e = parse(src);
    expect(e.kind).toBe('add');
    if (e.kind === 'add') {
      expect(format(e)).toBe('250000 * x + 250000 * y + 1');
      expect(e.terms[e.terms.length - 1]).toBe(num(1));
    }
  }, 30_000); // mathjs alone takes seconds to read 1 MB on a loaded machine
});
