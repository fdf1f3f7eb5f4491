/**
 * The byobnet family (timm's `byobnet.py`): RepVGG / MobileOne train-time multi-branch blocks that
 * re-parameterise into plain convs (`reparameterizeModel` from `@ocular/core`), and the residual
 * basic / bottleneck / dark / edge blocks of `test_byobnet`.
 * @module
 */
export { MobileOneBlock, type RepBlockOptions, RepConvDeploy, RepVggBlock } from './blocks.js';
export {
  BYOBNET_CONFIGS,
  type ByobArch,
  type ByobBlockSpec,
  type ByobBlockType,
  type ByobConfig,
  type ByobResidualType,
  type ByobStemType,
} from './configs.js';
export {
  ByobNet,
  type ByobNetOptions,
  byobnetConfig,
  byobnetFeatureInfo,
  create as createByobNet,
  factory as byobnetFactory,
} from './model.js';
export {
  ByobBasicBlock,
  ByobBottleneckBlock,
  ByobDarkBlock,
  type ByobDownsample,
  ByobDownsampleAvg,
  ByobEdgeBlock,
  type ResidualBlockOptions,
} from './residual-blocks.js';
export { BYOBNET_ENTRIES } from './variants.js';
