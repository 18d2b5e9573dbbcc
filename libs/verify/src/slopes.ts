import type { Fn2Name, FnName } from '@crossgrad/symbolic';
import { type Complex, complex, cpow } from './complex.js';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import type { Tape } from './tape.js';

/**
 * The perturbation: far below rounding of any value, so `Re f(x + ih)` is `f(x)` and `Im f(x + ih)/h` is exact.
 *
 * @example
 * ```ts
 * COMPLEX_STEP; // 1e-20
 * ```
 */
export const COMPLEX_STEP = 1e-20;

/**
 * One elementary function in complex arithmetic, from {@link FUNCTIONS}.
 *
 * @example
 * ```ts
 * complexCall('exp', complex(0, 1e-20)); // { re: 1, im: 1e-20 }
 * ```
 */
export function complexCall(fn: FnName, u: Complex): Complex {
  return FUNCTIONS[fn].complex(u);
}

/**
 * One two-argument function in complex arithmetic, from {@link FUNCTIONS2}.
 *
 * @example
 * ```ts
 * complexCall2('max', complex(1, 1e-20), complex(0)); // { re: 1, im: 1e-20 }
 * ```
 */
export function complexCall2(fn: Fn2Name, a: Complex, b: Complex): Complex {
  return FUNCTIONS2[fn].complex(a, b);
}

/** |f'(u)| of one function at a real point, by the complex step on that function alone. */
export function callSlope(fn: FnName, u: number): number {
  const h = slopeStep(u);
  return Math.abs(complexCall(fn, complex(u, h)).im / h);
}

/**
 * |∂f/∂a| and |∂f/∂b| of a two-argument function at a real point, by the complex step on that function alone, one
 * argument at a time, the step scaled to the larger argument (NaN where it has no derivative, atan2 at the origin).
 */
export function call2Slopes(fn: Fn2Name, a: number, b: number): [number, number] {
  const f = FUNCTIONS2[fn].complex;
  // Scaled to the larger argument: atan2(0, 1e-154) changes on the scale of 1e-154, and a step of 1e-20 in the
  // first argument would be far from small there.
  const h = slopeStep(Math.max(Math.abs(a), Math.abs(b)));
  return [Math.abs(f(complex(a, h), complex(b)).im / h), Math.abs(f(complex(a), complex(b, h)).im / h)];
}

/**
 * The step for one operation's slope at `u`: 1e-20, or 1e-20·|u| below 1 (down to the smallest normal double), so
 * that the step stays far below the distance to a pole or branch point at 0 (sqrt at 1e-300: 5e149, not 7.8e9).
 */
function slopeStep(u: number): number {
  const size = Math.abs(u);
  return size > 0 ? Math.max(COMPLEX_STEP * Math.min(size, 1), 2.2250738585072014e-308) : COMPLEX_STEP;
}

/** |∂(b^w)/∂b| and |∂(b^w)/∂w| at a real point, by the complex step on pow alone. */
export function powSlopes(b: number, w: number): [number, number] {
  return [
    Math.abs(cpow(complex(b, slopeStep(b)), complex(w)).im / slopeStep(b)),
    Math.abs(cpow(complex(b), complex(w, COMPLEX_STEP)).im / COMPLEX_STEP),
  ];
}

/**
 * Per node, the absolute value of its partial derivative in each operand, itself found by a complex step on that one
 * operation at the real point (so it too uses no derivative rule). A product's partial in one factor is the product
 * of the others. These feed the magnitude, the scale of rounding error in a derivative computed by the chain rule:
 * it is the derivative with every sum taken over absolute values.
 */
export function localSlopes(tape: Tape, real: readonly number[]): number[][] {
  const { nodes, operands } = tape;
  return nodes.map((e, i) => {
    const ops = operands[i];
    switch (e.kind) {
      case 'num':
      case 'sym':
        return [];
      case 'add':
        return ops.map(() => 1);
      case 'mul':
        return ops.map((_, k) => {
          let p = 1;
          for (let j = 0; j < ops.length; j++) if (j !== k) p *= Math.abs(real[ops[j]]);
          return p;
        });
      case 'pow':
        return powSlopes(real[ops[0]], real[ops[1]]);
      case 'call': {
        // Where the usual slope formula is a difference that cancels as the function saturates (1 - tanh²,
        // s·(1 - s)), the table's slopeSize counts it with absolute values, as a sum is counted.
        const size = FUNCTIONS[e.fn].slopeSize;
        return [size === undefined ? callSlope(e.fn, real[ops[0]]) : size(real[i])];
      }
      case 'call2':
        return call2Slopes(e.fn, real[ops[0]], real[ops[1]]);
    }
  });
}
