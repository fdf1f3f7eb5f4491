/**
 * The swin family.
 * @module
 */
export { SWIN_ENTRIES } from './variants.js';
