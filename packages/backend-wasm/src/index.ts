/**
 * `@ocular/backend-wasm`: runs Ocular graphs with onnxruntime-web's WebAssembly execution
 * provider (SIMD, threads where available) in Node and browsers. The wasm files come from the
 * installed onnxruntime-web package or a path you give, never from a CDN.
 * @packageDocumentation
 */
export { wasmBackend } from './backend.js';
export type { WasmBackendOptions } from './options.js';
export { plugin } from './plugin.js';
export { runtimeSettings, type WasmRuntimeSettings } from './runtime.js';
export { WASM_KERNEL_GAPS, WASM_MAX_OPSET, WASM_UNSUPPORTED_OPS } from './unsupported.js';
