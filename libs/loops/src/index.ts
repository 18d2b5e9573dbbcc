/**
 * @crossgrad/loops: the repeating stretches of a straight-line program (a tape recorded from a graph built by a
 * loop), and the writing of generated code as functions of loops. Used by @crossgrad/autograd's `compileGraph`
 * and @crossgrad/symbolic's `compileGradient`, each generating the code of its own instructions.
 *
 * @example
 * ```ts
 * import { findRepeats } from '@crossgrad/loops';
 * findRepeats(Float64Array.of(1, 1, 1), Int32Array.of(2, 0, 1, 3, 1, 2, 4, 2, 3), Int32Array.of(0, 3, 6, 9));
 * ```
 */
export { findRepeats, type Repeat, type RepeatOptions } from './repeats.js';
export { FunctionWriter, LoopVariables, MAX_STRAIGHT } from './source.js';
