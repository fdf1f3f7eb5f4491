/**
 * The inception_next family.
 * @module
 */
export { INCEPTION_NEXT_ENTRIES } from './variants.js';
