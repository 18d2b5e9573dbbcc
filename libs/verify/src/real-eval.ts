import type { FnName } from '@crossgrad/symbolic';
import { FUNCTIONS, FUNCTIONS2 } from './functions.js';
import { call2Slopes, callSlope, powSlopes } from './slopes.js';
import type { Tape } from './tape.js';

/**
 * A plain floating-point evaluator over a {@link Tape}: the function finite differences probe. It is this package's
 * own, so a wrong evaluator in @crossgrad/symbolic cannot hide behind a matching finite difference.
 *
 * @returns a function of the variables in `tape.variables` order, giving the root's value.
 */
export function realProgram(tape: Tape): (x: readonly number[]) => number {
  const all = valuesProgram(tape);
  const root = tape.nodes.length - 1;
  return (x) => all(x)[root];
}

/** Every node's value at a point (in one buffer, reused by the next call). */
export function valuesProgram(tape: Tape): (x: readonly number[]) => Float64Array {
  const { nodes, operands } = tape;
  // Per node, the position of its variable in `x` (for a variable node).
  const slot = new Int32Array(nodes.length);
  nodes.forEach((e, i) => {
    if (e.kind === 'sym') slot[i] = tape.variables.indexOf(e.name);
  });
  const values = new Float64Array(nodes.length);
  return (x) => {
    for (let i = 0; i < nodes.length; i++) {
      const e = nodes[i];
      const ops = operands[i];
      switch (e.kind) {
        case 'num':
          values[i] = e.value;
          break;
        case 'sym':
          values[i] = x[slot[i]];
          break;
        case 'add': {
          let s = 0;
          for (const k of ops) s += values[k];
          values[i] = s;
          break;
        }
        case 'mul': {
          let p = 1;
          for (const k of ops) p *= values[k];
          values[i] = p;
          break;
        }
        case 'pow':
          values[i] = Math.pow(values[ops[0]], values[ops[1]]);
          break;
        case 'call':
          values[i] = realCall(e.fn, values[ops[0]]);
          break;
        case 'call2':
          values[i] = FUNCTIONS2[e.fn].real(values[ops[0]], values[ops[1]]);
          break;
      }
    }
    return values;
  };
}

/**
 * One elementary function in real arithmetic, from {@link FUNCTIONS}.
 *
 * @example
 * ```ts
 * realCall('sigmoid', 0); // 0.5
 * ```
 */
export function realCall(fn: FnName, u: number): number {
  return FUNCTIONS[fn].real(u);
}

/**
 * A bound on the rounding error of {@link realProgram}'s result at a point (see {@link valueNoise}). Finite
 * differences divide this noise by their step, so it is the floor of their error estimate.
 */
export function noiseProgram(tape: Tape): (x: readonly number[]) => number {
  const all = valuesProgram(tape);
  const root = tape.nodes.length - 1;
  const errors = new Float64Array(tape.nodes.length);
  return (x) => valueNoise(tape, all(x), errors)[root];
}

/**
 * Per node, a first-order bound on the rounding error of its value, by forward error analysis: each operation adds
 * `eps·|result|` (a sum `eps·Σ|terms|`) and passes on its operands' errors times the absolute local slopes.
 */
export function valueNoise(
  tape: Tape,
  values: ArrayLike<number>,
  errors = new Float64Array(tape.nodes.length),
): Float64Array {
  const { nodes, operands } = tape;
  for (let i = 0; i < nodes.length; i++) {
    const e = nodes[i];
    const ops = operands[i];
    const v = values[i];
    let err = 0;
    switch (e.kind) {
      case 'num':
      case 'sym':
        break;
      case 'add': {
        let size = 0;
        for (const k of ops) {
          size += Math.abs(values[k]);
          err += errors[k];
        }
        err += EPS * size;
        break;
      }
      case 'mul': {
        for (const k of ops) {
          if (errors[k] === 0) continue;
          let others = 1;
          for (const j of ops) if (j !== k) others *= Math.abs(values[j]);
          // An exact 0 among the others makes the product 0 whatever this factor is (no Infinity · 0).
          if (others !== 0) err += errors[k] * others;
        }
        err += EPS * ops.length * Math.abs(v);
        break;
      }
      case 'pow': {
        const [sb, sw] = powSlopes(values[ops[0]], values[ops[1]]);
        if (errors[ops[0]] !== 0) err += sb * errors[ops[0]];
        if (errors[ops[1]] !== 0) err += sw * errors[ops[1]];
        err += EPS * Math.abs(v);
        break;
      }
      case 'call': {
        if (errors[ops[0]] !== 0) err += callSlope(e.fn, values[ops[0]]) * errors[ops[0]];
        err += EPS * Math.abs(v);
        break;
      }
      case 'call2': {
        const slopes = call2Slopes(e.fn, values[ops[0]], values[ops[1]]);
        // No slope (atan2 at the origin): a rounding error there can move the value anywhere.
        for (let k = 0; k < 2; k++) {
          if (errors[ops[k]] !== 0) err += (Number.isNaN(slopes[k]) ? Infinity : slopes[k]) * errors[ops[k]];
        }
        err += EPS * Math.abs(v);
        break;
      }
    }
    errors[i] = err;
  }
  return errors;
}

const EPS = Number.EPSILON;
