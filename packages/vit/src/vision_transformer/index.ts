/**
 * The vision_transformer family.
 * @module
 */
export { VISION_TRANSFORMER_ENTRIES } from './variants.js';
