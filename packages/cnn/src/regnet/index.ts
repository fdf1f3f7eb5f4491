/**
 * The RegNet family (timm's `regnet.py`): RegNetX and RegNetY (squeeze-excite) generated from the
 * design-space parameters, and the torchvision checkpoint mapping.
 * @module
 */
export { RegNetBottleneck, type RegNetBottleneckOptions, RegStage } from './blocks.js';
export {
  generateRegnet,
  REGNET_CONFIGS,
  type RegNetArch,
  type RegNetConfig,
  type RegNetStage,
  regnetFeatureInfo,
  regnetStages,
  roundHalfEven,
} from './configs.js';
export {
  create as createRegNet,
  factory as regnetFactory,
  RegNet,
  type RegNetOptions,
  regnetConfig,
} from './model.js';
export { checkpointFilter as regnetCheckpointFilter, regnetTorchvisionKey } from './remap.js';
export { REGNET_ENTRIES } from './variants.js';
