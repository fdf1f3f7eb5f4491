/**
 * The backend contract, modelled on onnxruntime-common: a backend says whether it can run here,
 * initialises once, and compiles a {@link Graph} into a {@link Session}.
 * @module
 */
import type { Graph } from '../ir/graph.js';
import type { Tensor } from '../tensor.js';

/**
 * Options every backend understands, extended by each backend package through declaration
 * merging, e.g. `declare module '@ocular/core' { interface BackendOptions { node?: NodeBackendOptions } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: extended by declaration merging in backend packages
export interface BackendOptions {}

/** Whether a backend can run in this environment, and if not, why. */
export type SupportResult =
  | { readonly ok: true; readonly detail?: string }
  | { readonly ok: false; readonly reason: string };

/** Options of {@link Backend.compile}. */
export interface CompileOptions {
  /** Backend-specific options (see {@link BackendOptions}). */
  readonly backendOptions?: BackendOptions;
  /** Cancels a long compile. */
  readonly signal?: AbortSignal;
}

/** Options of {@link Session.run}. */
export interface RunOptions {
  /** Cancels the run; the promise rejects with an `AbortError`. */
  readonly signal?: AbortSignal;
  /** Output names to compute (default: all graph outputs). */
  readonly outputs?: readonly string[];
}

/** A compiled graph, ready to run repeatedly. */
export interface Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph. Feeds are keyed by graph input name. */
  run(feeds: Readonly<Record<string, Tensor>>, options?: RunOptions): Promise<Record<string, Tensor>>;
  /** Frees native resources. Using the session afterwards throws `DisposedError`. */
  dispose(): Promise<void>;
}

/** Why one op of the IR is not supported by a backend. */
export interface UnsupportedOp {
  readonly opType: string;
  readonly reason: string;
}

/** A compute backend. */
export interface Backend {
  /** Unique name used in preference lists: `reference`, `node`, `wasm`, `webgpu`, `tfjs`. */
  readonly name: string;
  /** Higher is preferred when the caller gives no preference list. */
  readonly priority: number;
  /** Whether this backend can run here (the module loads, the runtime initialises). Never throws. */
  isSupported(): Promise<SupportResult>;
  /** One-time initialisation; idempotent. */
  init(options?: BackendOptions): Promise<void>;
  /** Compiles a graph into a session. */
  compile(graph: Graph, options?: CompileOptions): Promise<Session>;
  /** IR ops this backend cannot run, each with a reason (the checked-in list the conformance kit reads). */
  unsupportedOps(): readonly UnsupportedOp[];
  /**
   * Why this backend cannot run `graph`, found without compiling it (an op / dtype pair its
   * engine lacks, an input or output dtype it cannot carry, an opset it does not know), or
   * `undefined` when it may run. Conformance kits skip such graphs with this reason instead of
   * counting a failure. Optional: absent means "try it".
   */
  checkGraph?(graph: Graph): string | undefined;
  /** Human-readable description (engine, version, execution provider). */
  describe?(): Promise<Record<string, unknown>>;
}
