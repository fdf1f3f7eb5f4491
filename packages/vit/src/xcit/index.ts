/**
 * The XCiT family (cross-covariance image transformers).
 * @module
 */
export {
  ClassAttentionBlock,
  ConvPatchEmbed,
  fourierFeatures,
  LPI,
  PositionalEncodingFourier,
  XCA,
  XCABlock,
  type XcitBlockOptions,
} from './blocks.js';
export { XCIT_CONFIGS, type XcitArch, type XcitConfig } from './configs.js';
export { Xcit, type XcitOptions, xcitConfig } from './model.js';
export { XCIT_ENTRIES, xcitFeatureInfo } from './variants.js';
