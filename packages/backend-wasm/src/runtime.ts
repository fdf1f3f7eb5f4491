/**
 * Loads onnxruntime-web lazily and configures its process-wide WebAssembly settings once:
 * where the wasm files come from (never a CDN), thread count and SIMD flavour.
 * @module
 */
import { BackendError, ortLogLevel } from '@ocular/core';
import type { WasmBackendOptions } from './options.js';

/** The onnxruntime-web module. */
export type Ort = typeof import('onnxruntime-web');

/** The WebAssembly settings a runtime was started with. */
export interface WasmRuntimeSettings {
  /** The `ort.env.wasm.wasmPaths` in force (`'bundler'`: onnxruntime-web's own bundler-resolved URL). */
  readonly wasmPaths: string | { readonly wasm?: string; readonly mjs?: string };
  readonly numThreads: number;
  readonly simd: 'auto' | 'relaxed';
}

/** The wasm binary onnxruntime-web 1.30 loads for the CPU (wasm) execution provider. */
export const WASM_FILE = 'ort-wasm-simd-threaded.wasm';

let loading: Promise<Ort> | undefined;
let settings: WasmRuntimeSettings | undefined;

/** Imports onnxruntime-web once; later calls share the same promise. */
export function loadOrt(): Promise<Ort> {
  loading ??= import('onnxruntime-web').then((m) => {
    const mod = (
      (m as { default?: Ort }).default?.InferenceSession ? (m as { default: Ort }).default : m
    ) as Ort;
    if (typeof mod.InferenceSession?.create !== 'function') {
      throw new Error('onnxruntime-web loaded but does not export InferenceSession');
    }
    // onnxruntime reads its log level once, when the first session starts.
    mod.env.logLevel = ortLogLevel();
    return mod;
  });
  return loading;
}

/** True in Node.js (and Node-like runtimes without a DOM window). */
export function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; window?: unknown };
  return typeof g.process?.versions?.node === 'string' && g.window === undefined;
}

/**
 * The folder of the installed onnxruntime-web `dist/` files with a trailing separator (Node), or
 * undefined in browsers, where the bundler resolves onnxruntime-web's own file URLs.
 */
export async function packageWasmDir(): Promise<string | undefined> {
  if (!isNode()) return undefined;
  const { createRequire } = await import('node:module');
  const { dirname, sep } = await import('node:path');
  // The package's exports map hides package.json; its Node entry lives in dist/ next to the wasm files.
  const main = createRequire(import.meta.url).resolve('onnxruntime-web');
  return dirname(main) + sep;
}

/** Whether a file exists (Node only; true in browsers, where it cannot be checked cheaply). */
export async function fileExists(path: string): Promise<boolean> {
  if (!isNode()) return true;
  const { existsSync } = await import('node:fs');
  return existsSync(path);
}

function defaultThreads(): number {
  if (isNode()) return 1;
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  return g.crossOriginIsolated ? Math.max(1, Math.min(4, g.navigator?.hardwareConcurrency ?? 1)) : 1;
}

/**
 * Applies `options` to `ort.env.wasm` before the first session. onnxruntime-web reads these
 * settings once, when its runtime starts, so later calls must agree with the first one; a
 * disagreement throws {@link BackendError} rather than being silently ignored.
 */
export async function configureRuntime(
  ort: Ort,
  options: WasmBackendOptions = {},
): Promise<WasmRuntimeSettings> {
  const wanted: WasmRuntimeSettings = {
    wasmPaths: options.wasmPaths ?? settings?.wasmPaths ?? (await packageWasmDir()) ?? 'bundler',
    numThreads: options.numThreads ?? settings?.numThreads ?? defaultThreads(),
    simd: options.simd ?? settings?.simd ?? 'auto',
  };
  if (!Number.isInteger(wanted.numThreads) || wanted.numThreads < 1) {
    throw new BackendError(`wasm: numThreads must be a positive integer, got ${wanted.numThreads}`);
  }
  if (settings) {
    if (JSON.stringify(settings) !== JSON.stringify(wanted)) {
      throw new BackendError(
        `wasm: the WebAssembly runtime already started with ${JSON.stringify(settings)}; ` +
          `onnxruntime-web cannot change to ${JSON.stringify(wanted)} in the same process`,
      );
    }
    return settings;
  }
  if (wanted.wasmPaths !== 'bundler') ort.env.wasm.wasmPaths = wanted.wasmPaths;
  ort.env.wasm.numThreads = wanted.numThreads;
  if (wanted.simd === 'relaxed') ort.env.wasm.simd = 'relaxed';
  settings = wanted;
  return settings;
}

/** The settings the runtime started with, if it has. */
export function runtimeSettings(): WasmRuntimeSettings | undefined {
  return settings;
}
