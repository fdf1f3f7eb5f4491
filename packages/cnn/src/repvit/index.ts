/**
 * The RepViT family (timm's `repvit.py`) in its train-time form, with `reparameterize()` deploy
 * forms on the fusable layers (core's `Reparameterizable`; `reparameterizeModel` applies them).
 * @module
 */
export {
  ConvNorm,
  type ConvNormOptions,
  NormLinear,
  RepVggDw,
  RepViTBlock,
  RepVitClassifier,
  RepVitDownsample,
  RepVitMlp,
  RepVitStage,
  RepVitStem,
} from './blocks.js';
export { REPVIT_CONFIGS, type RepVitArch, type RepVitConfig, repvitFeatureInfo } from './configs.js';
export {
  create as createRepVit,
  factory as repvitFactory,
  RepVit,
  type RepVitOptions,
  repvitConfig,
} from './model.js';
export { REPVIT_ENTRIES } from './variants.js';
