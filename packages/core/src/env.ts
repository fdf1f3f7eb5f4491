/**
 * One object for global flags. Backend packages extend {@link OcularEnv} by declaration merging
 * for their own settings (thread counts, wasm paths).
 * @module
 */

/** Log levels, most verbose first. */
export type LogLevel = 'verbose' | 'info' | 'warning' | 'error' | 'fatal';

/** Global settings. */
export interface OcularEnv {
  /** Minimum level that is logged (default `warning`). */
  logLevel: LogLevel;
  /** Record and log backend fallbacks (default true). */
  logFallbacks: boolean;
  /**
   * Upper bound in bytes on any single allocation made while decoding untrusted files
   * (safetensors, ONNX). Default 4 GiB.
   */
  maxAllocationBytes: number;
  /** Free-form per-backend settings; backend packages document their keys. */
  backends: Record<string, Record<string, unknown>>;
}

const KEY = Symbol.for('ocular.env.v1');

function create(): OcularEnv {
  return { logLevel: 'warning', logFallbacks: true, maxAllocationBytes: 4 * 1024 ** 3, backends: {} };
}

function shared(): OcularEnv {
  const g = globalThis as Record<symbol, OcularEnv | undefined>;
  const existing = g[KEY];
  if (existing) return existing;
  const created = create();
  g[KEY] = created;
  return created;
}

/** The process-wide settings object (shared across duplicated copies of `@ocular/core`). */
export const env: OcularEnv = shared();
