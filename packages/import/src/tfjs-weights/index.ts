/**
 * TF.js weights: the manifest format, decoding shards into Ocular tensors, reading from disk.
 * @module
 */
export * from './decode.js';
export * from './model-json.js';
export * from './node.js';
export type * from './types.js';
