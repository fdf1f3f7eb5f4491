/**
 * The GhostNet family (timm's `ghostnet.py`, v1): ghost modules, ghost bottlenecks with
 * hard-sigmoid squeeze-excite, and the `conv_head` classifier head.
 * @module
 */
export { GhostBottleneck, type GhostBottleneckOptions, GhostModule } from './blocks.js';
export {
  GHOSTNET_CONFIGS,
  GHOSTNET_STAGES,
  type GhostBlockArgs,
  type GhostNetArch,
  type GhostNetConfig,
  ghostnetFeatureInfo,
} from './configs.js';
export {
  create as createGhostNet,
  factory as ghostnetFactory,
  GhostNet,
  type GhostNetOptions,
  ghostnetConfig,
} from './model.js';
export { GHOSTNET_ENTRIES } from './variants.js';
