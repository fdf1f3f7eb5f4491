/**
 * The byobnet family.
 * @module
 */
export { BYOBNET_ENTRIES } from './variants.js';
