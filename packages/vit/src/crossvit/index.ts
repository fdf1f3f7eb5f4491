/**
 * The crossvit family.
 * @module
 */
export { CROSSVIT_ENTRIES } from './variants.js';
