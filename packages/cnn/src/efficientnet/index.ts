/**
 * The efficientnet family.
 * @module
 */
export { EFFICIENTNET_ENTRIES } from './variants.js';
