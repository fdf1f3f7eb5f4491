/**
 * Options of the node backend, merged into `@ocular/core`'s `BackendOptions`.
 * @module
 */

/** onnxruntime-node execution providers Ocular knows how to request. */
export type NodeExecutionProvider = 'cuda' | 'tensorrt' | 'dml' | 'coreml' | 'cpu';

/** Options of the node backend (`backendOptions.node`). */
export interface NodeBackendOptions {
  /**
   * Execution providers to try, in order (default `['cpu']`). Each one this install cannot
   * provide is skipped with a recorded reason (`session.fallbacks`); CPU is always appended as
   * the last resort.
   */
  readonly executionProviders?: readonly NodeExecutionProvider[];
  /** Threads used inside one op (default: onnxruntime's choice, one per physical core). */
  readonly intraOpNumThreads?: number;
  /** Threads used to run independent ops in parallel (default: onnxruntime's choice). */
  readonly interOpNumThreads?: number;
  /** Graph optimisation level (default `'all'`). */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

declare module '@ocular/core' {
  interface BackendOptions {
    /** Options of `@ocular/backend-node`. */
    node?: NodeBackendOptions;
  }
}
