/**
 * The shared block library: timm-identical child names and forward semantics, used by every
 * model family.
 * @module
 */
export { Linear } from '../nn/linear.js';
export { Attention, type AttentionOptions, relativePositionIndex } from './attention.js';
export {
  ClassifierHead,
  type ClassifierHeadOptions,
  Flatten,
  type PoolType,
  SelectAdaptivePool2d,
} from './classifier.js';
export { ConvNormAct, type ConvNormActOptions } from './conv-norm-act.js';
export { DropPath } from './drop-path.js';
export { EcaModule, type EcaOptions, ecaKernelSize } from './eca.js';
export { getPadding, makeDivisible, resolvePadding, type TimmPadding } from './helpers.js';
export { LayerNorm2d } from './layer-norm-2d.js';
export { LayerScale, LayerScale2d } from './layer-scale.js';
export { Mlp, type MlpOptions } from './mlp.js';
export { BatchNormAct2d, batchNormAct2d, type NormActFactory, type NormActOptions } from './norm-act.js';
export { PatchEmbed, type PatchEmbedOptions } from './patch-embed.js';
export { type ResamplePosEmbedOptions, resamplePosEmbed } from './pos-embed.js';
export { SEModule, SqueezeExcite, type SqueezeExciteOptions } from './squeeze-excite.js';
