/**
 * The volo family: VOLO (outlook attention) with timm's state-dict keys.
 * @module
 */
export {
  ClassAttention,
  ClassBlock,
  OutlookAttention,
  Outlooker,
  VoloDownsample,
  VoloPatchEmbed,
  VoloTransformer,
} from './blocks.js';
export { VOLO_CONFIGS, type VoloArch, type VoloConfig } from './configs.js';
export { create as createVolo, Volo, type VoloOptions } from './model.js';
export { fold2d, unfold2d, unfoldPositions } from './unfold.js';
export { VOLO_ENTRIES, voloFeatureInfo } from './variants.js';
