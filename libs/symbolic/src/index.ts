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

export type { Add, Call, Call2, Expr, Fn2Name, FnName, Mul, Num, Pow, Sym } from './expr.js';
export { FN2_NAMES, FN_NAMES } from './expr.js';
export type { ExprLike } from './build.js';
export {
  abs,
  acos,
  acosh,
  add,
  addList,
  asin,
  asinh,
  atan,
  atan2,
  atanh,
  cos,
  cosh,
  div,
  exp,
  log,
  max,
  min,
  mul,
  mulList,
  neg,
  num,
  pow,
  relu,
  sigmoid,
  sign,
  logz,
  sin,
  sinh,
  softplus,
  sqrt,
  step,
  sub,
  sym,
  tan,
  tanh,
} from './build.js';
export { loadParser, parse, PARSER_FUNCTIONS } from './parse.js';
export { format, formatNumber, formatSteps, type FormatOptions, type FormatStepsOptions } from './format.js';
export { toTex } from './tex.js';
export { expandTanh } from './expand.js';
export { diffRules, type DiffRule, type DiffRuleKey, type DiffRules } from './rules.js';
export { diff, explainDiff, type DiffOptions, type DiffStep } from './diff.js';
export { gradient, hessian } from './gradient.js';
export { evaluate } from './evaluate.js';
export { compile, compileGradient, type CompileOptions, type ValueAndGradient } from './compile.js';
export { compileRows, type CompileRowsOptions, type RowKernel } from './compile-rows.js';
export { variables } from './variables.js';
export { numberProblem, readNumber, variableNameProblem, writtenVariables } from './lexical.js';
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
