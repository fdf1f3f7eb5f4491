/**
 * The TF.js GraphModel importer.
 * @module
 */
export * from './import.js';
export * from './node.js';
export { supportedTfjsGraphOps } from './registry.js';
