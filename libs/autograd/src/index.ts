export { Value } from './value.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  neg,
  exp,
  log,
  sqrt,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  tanh,
  asinh,
  acosh,
  atanh,
  sigmoid,
  softplus,
  relu,
  abs,
  atan2,
  min,
  max,
} from './ops.js';
export {
  FUNCTIONS,
  FUNCTIONS2,
  BINARY,
  reciprocalSquare,
  type FnName,
  type Fn2Name,
  type FnRule,
  type Fn2Rule,
  type BinaryRule,
} from './rules.js';
export { flatGraph, topologicalOrder, type FlatGraph } from './graph.js';
export { compileGraph, type CompiledGraph, type CompiledResult, type CompileOptions } from './compile.js';
export { toDot, type DotOptions } from './dot.js';
export { Random } from './random.js';
export {
  Module,
  Neuron,
  Layer,
  MLP,
  type Activation,
  type Input,
  type MLPOptions,
  type NeuronOptions,
  type RandomSource,
} from './nn.js';
export {
  Optimizer,
  SGD,
  Adam,
  AdamW,
  type ParameterSource,
  type SGDOptions,
  type AdamOptions,
} from './optim.js';
export { makeMoons, type Dataset, type MoonsOptions } from './datasets.js';
export {
  maxMarginLoss,
  train,
  type LossOptions,
  type LossResult,
  type TrainOptions,
  type TrainStep,
} from './train.js';
export { AutogradError, InvalidArgumentError, NonFiniteError } from './errors.js';
