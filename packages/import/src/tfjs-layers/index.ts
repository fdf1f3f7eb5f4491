/**
 * TF.js LayersModel importer.
 * @module
 */
export { activationName, isKnownActivation } from './activations.js';
export { LayerContext, type LayerConverter } from './context.js';
export * from './import.js';
export { type DepthToSpaceOptions, depthToSpaceConverter } from './layers/depth-to-space.js';
export { LAYER_CONVERTERS, supportedLayerClasses } from './registry.js';
export { type TfjsModelSource, type TfjsToOnnxOptions, tfjsModelFormat, tfjsToOnnx } from './to-onnx.js';
export { flattenTopology } from './topology.js';
export type * from './types.js';
