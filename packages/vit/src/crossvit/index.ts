/**
 * The CrossViT family (two-branch multi-scale transformers with cross attention).
 * @module
 */
export {
  CrossAttention,
  CrossAttentionBlock,
  CrossVitTransformerBlock,
  MultiScaleBlock,
} from './blocks.js';
export { CROSSVIT_CONFIGS, type CrossVitArch, type CrossVitConfig } from './configs.js';
export { CrossVit, type CrossVitOptions, crossvitBranchSizes, crossvitConfig } from './model.js';
export { CROSSVIT_ENTRIES } from './variants.js';
