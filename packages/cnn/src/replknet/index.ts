/**
 * The RepLKNet family: large depthwise kernels (up to 31×31) with a parallel small kernel that
 * `reparameterizeModel` from `@ocular/core` folds in.
 * @module
 */
export {
  ConvFFN,
  type ConvUnitOptions,
  convBn,
  LargeKernelConvDeploy,
  ReparamLargeKernelConv,
  RepLKBlock,
} from './blocks.js';
export { REPLKNET_CONFIGS, type RepLKNetArch, type RepLKNetConfig } from './configs.js';
export {
  create as createRepLKNet,
  factory as replknetFactory,
  RepLKNet,
  type RepLKNetOptions,
  RepLKNetStage,
  replknetConfig,
  replknetFeatureInfo,
} from './model.js';
export { REPLKNET_ENTRIES } from './variants.js';
