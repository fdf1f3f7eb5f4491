/**
 * The twins family.
 * @module
 */
export { TWINS_ENTRIES } from './variants.js';
