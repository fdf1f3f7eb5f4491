/**
 * The wasm backend: serialises a graph to ONNX and runs it with onnxruntime-web's WebAssembly
 * execution provider, in Node and in browsers.
 * @module
 */
import {
  AbortError,
  type Backend,
  BackendError,
  type BackendOptions,
  type CompileOptions,
  finishOrtCompile,
  type Graph,
  ortGraphIssue,
  ortLogSeverity,
  ortModelBytes,
  prepareGraphForOrt,
  type Session,
  type SupportResult,
  type UnsupportedOp,
} from '@ocular/core';
import type { WasmBackendOptions } from './options.js';
import {
  configureRuntime,
  fileExists,
  isNode,
  loadOrt,
  type Ort,
  packageWasmDir,
  runtimeSettings,
  WASM_FILE,
} from './runtime.js';
import { WASM_KERNEL_GAPS, WASM_MAX_OPSET, WASM_UNSUPPORTED_OPS } from './unsupported.js';

const NAME = 'wasm';

let initOptions: WasmBackendOptions | undefined;

/** The onnxruntime-web WebAssembly backend. Priority 50: below native and GPU backends. */
export const wasmBackend: Backend = {
  name: NAME,
  priority: 50,

  async isSupported(): Promise<SupportResult> {
    if (typeof WebAssembly !== 'object')
      return { ok: false, reason: 'this JavaScript runtime has no WebAssembly' };
    let ort: Ort;
    try {
      ort = await loadOrt();
    } catch (err) {
      return {
        ok: false,
        reason: `onnxruntime-web cannot be loaded: ${(err as Error).message ?? String(err)}`,
      };
    }
    const dir = typeof initOptions?.wasmPaths === 'string' ? initOptions.wasmPaths : await packageWasmDir();
    if (dir && isNode() && !dir.includes('://') && !(await fileExists(dir + WASM_FILE))) {
      return { ok: false, reason: `onnxruntime-web's ${WASM_FILE} is missing from ${dir}` };
    }
    return { ok: true, detail: `onnxruntime-web ${ort.env.versions.web ?? ''} (WebAssembly, SIMD)` };
  },

  async init(options?: BackendOptions): Promise<void> {
    const ort = await loadOrt();
    if (options?.wasm) initOptions = options.wasm;
    await configureRuntime(ort, initOptions);
  },

  async compile(graph: Graph, options: CompileOptions = {}): Promise<Session> {
    throwIfAborted(options.signal);
    const ort = await loadOrt().catch((err: unknown) => {
      throw new BackendError(`${NAME}: onnxruntime-web cannot be loaded: ${(err as Error).message}`, {
        cause: err,
      });
    });
    const opts = options.backendOptions?.wasm ?? initOptions ?? {};
    await configureRuntime(ort, opts);
    const bytes = ortModelBytes(graph, NAME);
    let session: import('onnxruntime-web').InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: opts.graphOptimizationLevel ?? 'all',
        logSeverityLevel: ortLogSeverity(),
      });
    } catch (err) {
      throw new BackendError(
        `${NAME}: onnxruntime could not load graph '${graph.name}': ${(err as Error).message ?? String(err)}`,
        { cause: err },
      );
    }
    return finishOrtCompile(NAME, graph, session, ort.Tensor, options.signal);
  },

  checkGraph(graph: Graph): string | undefined {
    return ortGraphIssue(prepareGraphForOrt(graph).graph, {
      backend: NAME,
      maxOpset: WASM_MAX_OPSET,
      gaps: WASM_KERNEL_GAPS,
    });
  },

  unsupportedOps(): readonly UnsupportedOp[] {
    return WASM_UNSUPPORTED_OPS;
  },

  async describe(): Promise<Record<string, unknown>> {
    const ort = await loadOrt();
    const started = runtimeSettings();
    return {
      engine: 'onnxruntime-web',
      version: ort.env.versions.web,
      executionProvider: 'wasm',
      runtime: started ?? 'not started (settings are applied by the first init or compile)',
      wasmDir: (await packageWasmDir()) ?? 'bundler-resolved',
    };
  },
};

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}
