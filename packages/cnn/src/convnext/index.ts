/**
 * The convnext family.
 * @module
 */
export { CONVNEXT_ENTRIES } from './variants.js';
