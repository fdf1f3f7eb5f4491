/**
 * The RepVGG / MobileOne family (timm's `byobnet.py`): train-time multi-branch blocks that
 * re-parameterise into plain convs (`reparameterizeModel` from `@ocular/core`).
 * @module
 */
export { MobileOneBlock, type RepBlockOptions, RepConvDeploy, RepVggBlock } from './blocks.js';
export {
  BYOBNET_CONFIGS,
  type ByobArch,
  type ByobBlockSpec,
  type ByobBlockType,
  type ByobConfig,
} from './configs.js';
export {
  ByobNet,
  type ByobNetOptions,
  byobnetConfig,
  byobnetFeatureInfo,
  create as createByobNet,
  factory as byobnetFactory,
} from './model.js';
export { BYOBNET_ENTRIES } from './variants.js';
