/**
 * @crossgrad/symbolic: exact derivatives of scalar expressions, kept as an interned DAG so they stay small.
 *
 * @example
 * ```ts
 * import { parse, diff, format } from '@crossgrad/symbolic';
 * format(diff(parse('x^3'), 'x')); // '3 * x^2'
 * ```
 * @packageDocumentation
 */
import { setPrinter } from './expr.js';
import { format } from './format.js';

export type { Add, Call, Expr, FnName, Mul, Num, Pow, Sym } from './expr.js';
export { FN_NAMES } from './expr.js';
export type { ExprLike } from './build.js';
export {
  abs,
  add,
  cos,
  div,
  exp,
  log,
  mul,
  neg,
  num,
  pow,
  relu,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  step,
  sub,
  sym,
  tan,
  tanh,
} from './build.js';
export { loadParser, parse } from './parse.js';
export { format, formatNumber, formatSteps, type FormatOptions, type FormatStepsOptions } from './format.js';
export { toTex } from './tex.js';
export { expandTanh } from './expand.js';
export { diffRules, type DiffRule, type DiffRuleKey, type DiffRules } from './rules.js';
export { diff, explainDiff, type DiffOptions, type DiffStep } from './diff.js';
export { gradient, hessian } from './gradient.js';
export { evaluate } from './evaluate.js';
export { compile, compileGradient, type CompileOptions, type ValueAndGradient } from './compile.js';
export { variables } from './variables.js';
export { size, type ExprSize } from './size.js';
export {
  ArgumentError,
  ParseError,
  SymbolicError,
  UnknownFunctionError,
  UnknownVariableError,
  UnsupportedSyntaxError,
} from './errors.js';

// `${e}` and String(e) print an expression as `format` does.
setPrinter(format);
