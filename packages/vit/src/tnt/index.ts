/**
 * The tnt family.
 * @module
 */
export { TNT_ENTRIES } from './variants.js';
