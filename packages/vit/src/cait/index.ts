/**
 * The CaiT family (class-attention image transformers).
 * @module
 */
export {
  type CaitBlockOptions,
  ClassAttn,
  LayerScaleBlock,
  LayerScaleBlockClassAttn,
  TalkingHeadAttn,
} from './blocks.js';
export { CAIT_CONFIGS, type CaitArch, type CaitConfig } from './configs.js';
export { Cait, type CaitOptions, caitConfig } from './model.js';
export { CAIT_ENTRIES, caitFeatureInfo } from './variants.js';
