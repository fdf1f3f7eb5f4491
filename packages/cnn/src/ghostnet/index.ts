/**
 * The ghostnet family.
 * @module
 */
export { GHOSTNET_ENTRIES } from './variants.js';
