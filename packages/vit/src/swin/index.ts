/**
 * The Swin Transformer v1 family (timm's `swin_transformer.py`): shifted-window attention with
 * relative position bias, patch merging, channels-last feature maps.
 * @module
 */
export {
  PatchMerging,
  SwinTransformerBlock,
  type SwinTransformerBlockOptions,
  SwinTransformerStage,
  type SwinTransformerStageOptions,
} from './blocks.js';
export { SWIN_CONFIGS, type SwinArch, type SwinConfig } from './configs.js';
export {
  create as createSwin,
  factory as swinFactory,
  SwinTransformer,
  type SwinTransformerOptions,
  swinConfig,
} from './model.js';
export { SWIN_ENTRIES, swinFeatureInfo } from './variants.js';
export { roll, shiftedWindowMask, windowPartition, windowReverse } from './window.js';
