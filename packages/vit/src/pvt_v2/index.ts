/**
 * The pvt_v2 family.
 * @module
 */
export { PVT_V2_ENTRIES } from './variants.js';
