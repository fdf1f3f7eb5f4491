/**
 * The regnet family.
 * @module
 */
export { REGNET_ENTRIES } from './variants.js';
