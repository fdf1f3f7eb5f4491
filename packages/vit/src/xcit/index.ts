/**
 * The xcit family.
 * @module
 */
export { XCIT_ENTRIES } from './variants.js';
