/**
 * `@ocular/core`: backend-agnostic tensors, the graph IR with ONNX-named ops and shape
 * inference, modules with timm-identical state-dict keys, the shared block library,
 * safetensors, ONNX export, the plugin registry and the backend contract.
 * @packageDocumentation
 */

export * from './backend/index.js';
export * from './blocks/index.js';
export * from './dtype.js';
export * from './env.js';
export * from './errors.js';
export * as F from './functional.js';
export * from './io/index.js';
export * from './ir/graph.js';
export * from './ir/schema.js';
export * from './ir/trace.js';
export * from './nn/index.js';
export * from './onnx/index.js';
export * as opEinsum from './ops/einsum.js';
export * as opGeometry from './ops/geometry.js';
export { builtinOpSchemas } from './ops/index.js';
export * as opUtil from './ops/util.js';
export * from './profiler/index.js';
export * from './registry/index.js';
export * from './tasks/index.js';
export * from './tensor.js';
