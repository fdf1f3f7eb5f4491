/**
 * nn barrel.
 * @module
 */
export {};
