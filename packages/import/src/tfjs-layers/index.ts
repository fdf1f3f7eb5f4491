/**
 * TF.js LayersModel importer.
 * @module
 */
export { activationName, isKnownActivation } from './activations.js';
export { LayerContext, type LayerConverter } from './context.js';
export * from './import.js';
export { LAYER_CONVERTERS, supportedLayerClasses } from './registry.js';
export { flattenTopology } from './topology.js';
export type * from './types.js';
