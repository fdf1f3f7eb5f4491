/**
 * Graph passes used by the importers.
 * @module
 */
export * from './prune.js';
export * from './transposes.js';
