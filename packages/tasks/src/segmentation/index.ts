/**
 * Semantic segmentation: torchvision's FCN, DeepLabV3 and LR-ASPP networks with their
 * state-dict layouts, and generic heads (semantic FPN, SegFormer, UPerNet, ASPP) that compose
 * with any features-only backbone.
 * @module
 */

export { AsppHead, asppHead } from './aspp-head.js';
export { decodeSegmentationLogits, SEGMENTATION_OUTPUT } from './decode.js';
export { DEFAULT_SEGMENTATION_CLASSES, SegmentationHead } from './head-base.js';
export { SEGMENTATION_HEAD_ENTRIES } from './head-entries.js';
export { SegformerHead, segformerHead } from './segformer.js';
export { ConvGnRelu, SemanticFpnHead, semanticFpnHead, Upsample2x } from './semantic-fpn.js';
export {
  type TvMobileNetV3SegOptions,
  TvResNetBackbone,
  type TvResNetBackboneOptions,
  tvMobileNetV3SegBackbone,
  tvMobileNetV3StageIndices,
} from './tv-backbones.js';
export {
  type DeepLabV3Options,
  deeplabv3MobileNetV3Large,
  type FcnResNetOptions,
  fcnResnet50,
  type LRASPPOptions,
  lrasppMobileNetV3Large,
  type TvMobileNetV3SegmentationOptions,
  type TvSegmentationOptions,
} from './tv-builders.js';
export { ASPP, ASPPConv, ASPPPooling, DeepLabHead, FCNHead, LRASPPHead } from './tv-heads.js';
export {
  type SegmentationPreprocess,
  TV_SEGMENTATION_PREPROCESS,
  TvSegmentationModel,
  type TvSegmentationParts,
} from './tv-model.js';
export { UPerNetHead, upernetHead } from './upernet.js';
export { VOC_LABELS } from './voc-labels.js';
