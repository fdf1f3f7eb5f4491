/**
 * Task contracts: typed results, decoders, heads, necks and composed task networks.
 * @module
 */
export * from './compose.js';
export * from './head.js';
export * from './types.js';
