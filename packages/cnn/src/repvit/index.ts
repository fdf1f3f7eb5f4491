/**
 * The repvit family.
 * @module
 */
export { REPVIT_ENTRIES } from './variants.js';
