/**
 * Options of the wasm backend, merged into `@ocular/core`'s `BackendOptions`.
 * @module
 */

/** Options of the wasm backend (`backendOptions.wasm`). */
export interface WasmBackendOptions {
  /**
   * Where onnxruntime-web's `.wasm` / `.mjs` files are: a URL or path prefix ending in `/`, or
   * explicit file URLs. Default: the `dist/` folder of the installed onnxruntime-web package in
   * Node; in browsers, the URL your bundler gives onnxruntime-web's own files. Never a CDN.
   */
  readonly wasmPaths?: string | { readonly wasm?: string; readonly mjs?: string };
  /**
   * Worker threads (default: `min(4, cores)` in cross-origin-isolated browsers, 1 elsewhere and
   * in Node). Values above 1 need `SharedArrayBuffer`: cross-origin isolation in browsers; Node
   * 20 supports them.
   */
  readonly numThreads?: number;
  /**
   * SIMD feature check: `'auto'` (default) checks fixed-width SIMD, `'relaxed'` relaxed SIMD.
   * onnxruntime-web 1.30 ships SIMD builds only, so there is no non-SIMD choice.
   */
  readonly simd?: 'auto' | 'relaxed';
  /** Graph optimisation level (default `'all'`). */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

declare module '@ocular/core' {
  interface BackendOptions {
    /** Options of `@ocular/backend-wasm`. */
    wasm?: WasmBackendOptions;
  }
}
