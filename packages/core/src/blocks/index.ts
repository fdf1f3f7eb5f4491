/**
 * blocks barrel.
 * @module
 */
export {};
