/**
 * `@ocular/backend-node`: runs Ocular graphs with onnxruntime-node. CPU always; CUDA, TensorRT,
 * DirectML and CoreML execution providers where the install provides them, with every skipped
 * provider recorded on the session.
 * @packageDocumentation
 */
export {
  compileOnnx,
  type ExecutionProviderFallback,
  type NodeBackend,
  type NodeSession,
  nodeBackend,
} from './backend.js';
export type { NodeBackendOptions, NodeExecutionProvider } from './options.js';
export { plugin } from './plugin.js';
export { NODE_KERNEL_GAPS, NODE_MAX_OPSET, NODE_UNSUPPORTED_OPS } from './unsupported.js';
