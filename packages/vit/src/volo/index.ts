/**
 * The volo family.
 * @module
 */
export { VOLO_ENTRIES } from './variants.js';
