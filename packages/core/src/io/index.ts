/**
 * io barrel.
 * @module
 */
export {};
