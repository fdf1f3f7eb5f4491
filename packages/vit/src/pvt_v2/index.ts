/**
 * The PVTv2 family (timm's `pvt_v2.py`): overlapping patch embeddings, spatial-reduction
 * attention, depthwise-conv MLPs, NCHW feature maps.
 * @module
 */
export {
  MlpWithDepthwiseConv,
  OverlapPatchEmbed,
  PvtV2Block,
  PvtV2Stage,
  type PvtV2StageOptions,
  SpatialReductionAttention,
} from './blocks.js';
export { PVT_V2_CONFIGS, type PvtV2Arch, type PvtV2Config } from './configs.js';
export {
  create as createPvtV2,
  factory as pvtV2Factory,
  type PvtV2Options,
  PyramidVisionTransformerV2,
  pvtV2Config,
} from './model.js';
export { PVT_V2_ENTRIES, pvtV2FeatureInfo } from './variants.js';
