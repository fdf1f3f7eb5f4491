/**
 * registry barrel.
 * @module
 */
export {};
