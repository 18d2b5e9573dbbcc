import type { FnName } from '@crossgrad/symbolic';
import { type Complex, complex, cpow } from './complex.js';
import { FUNCTIONS } from './functions.js';
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

/** |f'(u)| of one function at a real point, by the complex step on that function alone. */
export function callSlope(fn: FnName, u: number): number {
  const h = slopeStep(u);
  return Math.abs(complexCall(fn, complex(u, h)).im / h);
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
    }
  });
}

/**
 * Per node and operand, how much the local slope can move when the operands' values move by their rounding error
 * (`noise`, from `valueNoise`): a derivative computed by the chain rule multiplies slopes taken at rounded values.
 * Found by re-taking the slope at the perturbed values, so again without derivative rules. Next to a relu/abs kink,
 * within rounding, the slope can jump by 1.
 */
export function slopeNoise(tape: Tape, real: readonly number[], noise: ArrayLike<number>): number[][] {
  const { nodes, operands } = tape;
  return nodes.map((e, i) => {
    const ops = operands[i];
    switch (e.kind) {
      case 'num':
      case 'sym':
        return [];
      case 'add':
        return ops.map(() => 0);
      case 'mul':
        return ops.map((_, k) => {
          let total = 0;
          for (let j = 0; j < ops.length; j++) {
            if (j === k || noise[ops[j]] === 0) continue;
            let p = noise[ops[j]];
            for (let l = 0; l < ops.length; l++) if (l !== j && l !== k) p *= Math.abs(real[ops[l]]);
            total += p;
          }
          return total;
        });
      case 'pow': {
        const b = real[ops[0]];
        const w = real[ops[1]];
        const db = noise[ops[0]];
        const dw = noise[ops[1]];
        const at = powSlopes(b, w);
        const moved = [
          powSlopes(b + db, w),
          powSlopes(b - db, w),
          powSlopes(b, w + dw),
          powSlopes(b, w - dw),
        ];
        return [0, 1].map((k) => {
          const byBase = Math.max(Math.abs(moved[0][k] - at[k]), Math.abs(moved[1][k] - at[k]));
          const byExponent = Math.max(Math.abs(moved[2][k] - at[k]), Math.abs(moved[3][k] - at[k]));
          return (db === 0 ? 0 : byBase) + (dw === 0 ? 0 : byExponent);
        });
      }
      case 'call': {
        const u = real[ops[0]];
        const du = noise[ops[0]];
        if (du === 0) return [0];
        const at = callSlope(e.fn, u);
        return [Math.max(Math.abs(callSlope(e.fn, u + du) - at), Math.abs(callSlope(e.fn, u - du) - at))];
      }
    }
  });
}
