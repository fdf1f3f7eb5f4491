/**
 * The module system: `Module`, containers, PyTorch-named layers, deterministic initialisation,
 * state-dict loading and module tracing.
 * @module
 */
export {
  type ActivationLayer,
  type ActivationName,
  createActivation,
  GELU,
  HardSigmoid,
  HardSwish,
  LeakyReLU,
  ReLU,
  ReLU6,
  Sigmoid,
  SiLU,
  Softplus,
  Tanh,
} from './activation.js';
export {
  type ClassifierModel,
  FeatureListNet,
  featureTakeIndices,
  type Intermediates,
  type IntermediatesOptions,
  pruneStages,
  stagedIntermediates,
} from './classifier-model.js';
export { Identity, ModuleDict, ModuleList, Sequential } from './containers.js';
export {
  Conv1d,
  Conv2d,
  type ConvLayerOptions,
  ConvNd,
  ConvTranspose2d,
  type ConvTransposeLayerOptions,
} from './conv.js';
export { Dropout } from './dropout.js';
export {
  defaultBound,
  defaultGenerator,
  fullTensor,
  Generator,
  manualSeed,
  uniformTensor,
} from './init.js';
export { Linear } from './linear.js';
export { type BufferOptions, Module } from './module.js';
export {
  BatchNorm,
  BatchNorm1d,
  BatchNorm2d,
  type BatchNormOptions,
  GroupNorm,
  LayerNorm,
  type LayerNormOptions,
} from './norm.js';
export {
  assignFusedKernel,
  batchNormAffine,
  type FusedKernel,
  fuseConvBn,
  fuseIdentityBn,
  isReparameterizable,
  type Reparameterizable,
  reparameterizeModel,
  sumKernels,
} from './reparameterize.js';
export type {
  ConvertedKey,
  LoadReport,
  LoadStateDictOptions,
  MismatchedKey,
  StateDictSource,
  TensorSignature,
  TensorSource,
} from './state-dict.js';
export {
  bindModule,
  type GraphStateInfo,
  graphStateInfo,
  type TraceInput,
  type TraceModuleOptions,
  traceModule,
} from './trace-module.js';
