/**
 * The EfficientNet / MobileNet family (timm's `efficientnet.py`, `mobilenetv3.py` and their
 * block builder): MobileNetV1/V2/V3, EfficientNet B0–B3 and Lite0, timm's test models.
 * @module
 */
export {
  type BlockOptions,
  ConvBnAct,
  createConv2d,
  DepthwiseSeparableConv,
  EdgeResidual,
  type EfficientNetBlock,
  InvertedResidual,
  type SeLayer,
  SqueezeExcite as EfficientNetSqueezeExcite,
  type SqueezeExciteOptions as EfficientNetSqueezeExciteOptions,
} from './blocks.js';
export {
  type DecodeOptions,
  decodeArch,
  type EfficientNetPlan,
  type PlannedFeature,
  parseBlockString,
  planNetwork,
  pyRound,
  type ResolvedBlock,
  roundChannels,
  scaleStageDepth,
} from './builder.js';
export {
  type ArchDef,
  type BlockDef,
  type CnBlockDef,
  type DsBlockDef,
  EFFICIENTNET_CONFIGS,
  type EfficientNetAct,
  type EfficientNetArch,
  type EfficientNetConfig,
  type EfficientNetNorm,
  type ErBlockDef,
  type IrBlockDef,
} from './configs.js';
export {
  create as createEfficientNet,
  EfficientNet,
  type EfficientNetOptions,
  efficientnetConfig,
  factory as efficientnetFactory,
} from './model.js';
export {
  EvoNorm2dS0,
  type EvoNorm2dS0Options,
  GroupNormAct,
  LayerNormAct2d,
  type NormActLayer,
  normActLayer,
} from './norm.js';
export {
  type CheckpointFilterOptions as EfficientNetCheckpointFilterOptions,
  checkpointFilter as efficientnetCheckpointFilter,
  type TorchvisionLayout,
  torchvisionKeyMap,
  torchvisionLayout,
} from './remap.js';
export { EFFICIENTNET_ENTRIES, efficientnetFeatureInfo } from './variants.js';
