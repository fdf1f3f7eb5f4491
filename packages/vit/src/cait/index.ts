/**
 * The cait family.
 * @module
 */
export { CAIT_ENTRIES } from './variants.js';
