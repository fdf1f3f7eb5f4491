/**
 * The ResNet family (timm's `resnet.py`): ResNet-18..152, ResNeXt, ResNet-D, SE- and ECA-ResNets.
 * @module
 */

export type { DownsampleOptions, ResNetBlockOptions } from './blocks.js';
export { BasicBlock, Bottleneck, createAttention, downsampleAvg, downsampleConv } from './blocks.js';
export {
  RESNET_CONFIGS,
  type ResNetArch,
  type ResNetAttention,
  type ResNetBlockType,
  type ResNetConfig,
  type ResNetStemType,
} from './configs.js';
export {
  create as createResNet,
  factory as resnetFactory,
  ResNet,
  type ResNetOptions,
  resnetConfig,
} from './model.js';
export { checkpointFilter as resnetCheckpointFilter, RESNET_CHECKPOINT_PREFIXES } from './remap.js';
export { RESNET_ENTRIES, resnetFeatureInfo } from './variants.js';
