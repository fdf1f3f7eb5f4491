/**
 * The vision_transformer family (timm's `vision_transformer.py` and `deit.py`): ViT tiny → base
 * at patch 16 and 32, a global-pool ViT, register tokens, DeiT with its distilled variant, and
 * timm's tiny test models. Token hooks between blocks are the extension point for token
 * merging and pruning.
 * @module
 */
export {
  AttentionPoolLatent,
  type AttentionPoolLatentOptions,
  RmsNorm,
  VitBlock,
  type VitBlockOptions,
  vitNorm,
} from './blocks.js';
export { VIT_CONFIGS, type VitArch, type VitConfig, type VitNorm, type VitPool } from './configs.js';
export {
  create as createVisionTransformer,
  factory as visionTransformerFactory,
  type TokenHook,
  type TokenHookInfo,
  VisionTransformer,
  type VisionTransformerOptions,
  vitConfig,
} from './model.js';
export { VISION_TRANSFORMER_ENTRIES, vitFeatureInfo } from './variants.js';
