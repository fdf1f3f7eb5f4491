/**
 * The replknet family.
 * @module
 */
export { REPLKNET_ENTRIES } from './variants.js';
