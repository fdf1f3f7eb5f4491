/**
 * The tnt family: Transformer in Transformer with timm's state-dict keys.
 * @module
 */
export { PixelEmbed, TntAttention, TntBlock } from './blocks.js';
export { TNT_CONFIGS, type TntArch, type TntConfig } from './configs.js';
export { create as createTnt, Tnt, type TntOptions } from './model.js';
export { TNT_ENTRIES, tntFeatureInfo } from './variants.js';
