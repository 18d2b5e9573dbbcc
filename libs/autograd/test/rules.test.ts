import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import * as autograd from '@crossgrad/autograd';
import { BINARY, FUNCTIONS, FUNCTIONS2, Value, type Fn2Name, type FnName } from '@crossgrad/autograd';

const names = Object.keys(FUNCTIONS) as FnName[];
const points = [-3, -0.7, 0, 0.4, 1.5, 20];

describe('the rule table', () => {
  test('has every function, the inverse and hyperbolic ones included', () => {
    expect(names.slice().sort()).toEqual(
      [
        'abs',
        'acos',
        'acosh',
        'asin',
        'asinh',
        'atan',
        'atanh',
        'cos',
        'cosh',
        'exp',
        'log',
        'relu',
        'sigmoid',
        'sin',
        'sinh',
        'softplus',
        'sqrt',
        'tan',
        'tanh',
      ].sort(),
    );
    expect(Object.keys(FUNCTIONS2).sort()).toEqual(['atan2', 'max', 'min']);
  });

  test.each(Object.keys(FUNCTIONS2) as Fn2Name[])(
    '%s: method and free function build the entry op, value and both local derivatives',
    (name) => {
      const rule = FUNCTIONS2[name];
      const free = (autograd as unknown as Record<Fn2Name, (a: Value, b: Value) => Value>)[name];
      for (const [a0, b0] of [
        [0.3, -1.2],
        [2, 3],
        [0, 0.5],
        [1, 1],
        [0, 0],
        [-2, 0],
      ]) {
        const a = new Value(a0);
        const b = new Value(b0);
        const viaMethod = a[name](b);
        const viaFree = free(a, b);
        const v = rule.value(a0, b0);
        for (const y of [viaMethod, viaFree]) {
          expect(y.op).toBe(rule.op);
          expect(y.children).toEqual([a, b]);
          expect(Object.is(y.data, v)).toBe(true);
        }
        viaMethod.backward();
        expect([a.grad, b.grad]).toEqual([0 + rule.d0(a0, b0, v), 0 + rule.d1(a0, b0, v)]);
      }
    },
  );

  test.each(names)('%s: method and free function build the entry op, value and local derivative', (name) => {
    const rule = FUNCTIONS[name];
    const free = (autograd as unknown as Record<FnName, (x: Value) => Value>)[name];
    for (const x of points) {
      const a = new Value(x);
      const viaMethod = (a[name] as () => Value).call(a);
      const viaFree = free(a);
      for (const y of [viaMethod, viaFree]) {
        expect(y.op).toBe(rule.op);
        expect(y.children).toEqual([a]);
        expect(Object.is(y.data, rule.value(x))).toBe(true);
      }
      a.grad = 0;
      viaMethod.backward();
      // backward adds the local derivative to a grad of 0, as eager backward does for a leaf.
      expect(Object.is(a.grad, 0 + rule.derivative(x, rule.value(x)))).toBe(true);
    }
  });

  test('binary entries give the values and both local derivatives that backward sends', () => {
    for (const [a0, b0] of [
      [0.3, -1.2],
      [2, 3],
      [0, 0.5],
    ]) {
      for (const op of ['+', '*', '**'] as const) {
        const a = new Value(a0);
        const b = new Value(b0);
        const y = op === '+' ? a.add(b) : op === '*' ? a.mul(b) : a.pow(b);
        y.backward();
        const r = BINARY[op];
        const v = r.value(a0, b0);
        expect([y.op, y.data, a.grad, b.grad]).toEqual([op, v, r.d0(a0, b0, v), r.d1(a0, b0, v)]);
      }
    }
  });

  test('d/db a^b at a = 0: the limit 0 where a^b is 0 or 1 (b >= 0), NaN at the pole (b < 0), as symbolic', () => {
    const d1 = (a: number, b: number) => BINARY['**'].d1(a, b, Math.pow(a, b));
    expect([d1(0, 2), d1(0, 0.5), d1(0, 0), d1(-0, 3)]).toEqual([0, 0, 0, 0]);
    expect(d1(0, -1)).toBeNaN();
    expect(d1(0, NaN)).toBeNaN();
    expect(d1(2, 3)).toBe(8 * Math.log(2));
  });
});

/** x as an exact binary fraction scaled by 2^SCALE: a BigInt (every double here is a multiple of 2^-1074). */
const SCALE = 1200n;
function scaled(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  if (exponent !== 0) mantissa |= 1n << 52n;
  const shift = BigInt(Math.max(exponent, 1) - 1075) + SCALE;
  const magnitude = shift >= 0n ? mantissa << shift : mantissa >> -shift;
  return x < 0 ? -magnitude : magnitude;
}

/** |1 - q·a²| in units of 2^-(3·SCALE), exactly. */
function residual(q: number, a: number): bigint {
  const r = (1n << (3n * SCALE)) - scaled(q) * scaled(a) * scaled(a);
  return r < 0n ? -r : r;
}

describe('reciprocalSquare, the derivative of a division', () => {
  test('is correctly rounded: no neighbouring double is nearer 1/a² (exact integer arithmetic, 3,000 arguments)', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const next = (x: number, up: boolean): number => {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, x);
      view.setBigUint64(0, view.getBigUint64(0) + (up ? 1n : -1n));
      return view.getFloat64(0);
    };
    const args = [3, 7, 10, 1e-100, 1e100, -1.7288170196519247e-8, -142.1652799838653, 4.212105171310759e-9];
    for (let k = 0; k < 3000; k++)
      args.push((random() < 0.5 ? -1 : 1) * (1 + random()) * 2 ** Math.floor(random() * 900 - 450));
    const wrong: string[] = [];
    for (const a of args) {
      const q = autograd.reciprocalSquare(a);
      const r = residual(q, a);
      if (residual(next(q, true), a) < r || residual(next(q, false), a) < r) wrong.push(`${a}: ${q}`);
    }
    expect(wrong).toEqual([]);
    // Where V8's Math.pow(a, -2) is one ulp off (7% of arguments), this is CPython's (glibc's) value.
    expect(autograd.reciprocalSquare(-1.7288170196519247e-8)).toBe(3345815133754005.5);
  });

  test("outside a²'s normal range, and at 0, ±Infinity and NaN, Math.pow's value; `**` uses it at b = -1", () => {
    for (const a of [0, -0, Infinity, -Infinity, NaN, 1e-200, 1e200, 5e-324]) {
      expect(Object.is(autograd.reciprocalSquare(a), Math.pow(a, -2))).toBe(true);
    }
    expect(BINARY['**'].d0(3, -1, 1 / 3)).toBe(-autograd.reciprocalSquare(3));
    expect(BINARY['**'].d0(3, -2, 1 / 9)).toBe(-2 * Math.pow(3, -3));
  });
});

describe('published types', () => {
  test('storage internals are not in the declarations tsconfig.json emits', () => {
    const config = ts.parseConfigFileTextToJson(
      'tsconfig.json',
      readFileSync(new URL('../tsconfig.json', import.meta.url), 'utf8'),
    ).config as { compilerOptions: ts.CompilerOptions };
    const source = readFileSync(new URL('../src/value.ts', import.meta.url), 'utf8');
    const { outputText } = ts.transpileDeclaration(source, {
      compilerOptions: { stripInternal: config.compilerOptions.stripInternal },
    });
    expect(outputText).toContain('class Value');
    expect(outputText).toContain('get data(): number;');
    for (const internal of ['s', 'i', 'c0', 'c1', 'd0', 'd1', 'stamp', 'count', 'mark']) {
      expect(outputText).not.toMatch(new RegExp(`^\\s+(readonly |get |set )?${internal}[(:]`, 'm'));
    }
  });
});
