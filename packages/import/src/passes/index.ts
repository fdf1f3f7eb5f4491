/**
 * Graph passes used by the importers.
 * @module
 */
export * from './pad-conv.js';
export * from './prune.js';
export * from './transposes.js';
