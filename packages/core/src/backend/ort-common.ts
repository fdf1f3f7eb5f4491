/**
 * What the onnxruntime-based backends (node, wasm, webgpu) share: host {@link Tensor} ↔
 * onnxruntime tensor conversion, graph checks, serialisation and session wrapping. It imports
 * nothing from onnxruntime: callers pass their `Tensor` constructor and sessions, and the helpers
 * only rely on the structural shape every onnxruntime-common tensor (`type`, `dims`, `data`) and
 * session (`run`, `release`) has.
 * @module
 */

import { type DType, isStorageOnly, numberToFloat16Bits } from '../dtype.js';
import { env } from '../env.js';
import { AbortError, BackendError, DisposedError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import { graphToOnnx } from '../onnx/export.js';
import { exportOpset } from '../onnx/opset.js';
import { Tensor } from '../tensor.js';
import type { RunOptions, Session } from './contract.js';
import { prepareGraphForOrt } from './ort-lowering.js';

/** The part of an onnxruntime-common `Tensor` the conversion reads. */
export interface OrtTensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** An onnxruntime-common `Tensor` constructor (`ort.Tensor`), seen structurally. */
export type OrtTensorConstructor<T extends OrtTensorLike = OrtTensorLike> = new (
  type: string,
  data: ArrayBufferView,
  dims: readonly number[],
) => T;

/**
 * dtypes onnxruntime's JavaScript API can carry in and out of a session, with the same typed
 * array Ocular uses. bfloat16 has no onnxruntime JS tensor type; the storage dtypes (float8*,
 * int4, ...) are packed differently and stay inside graphs.
 */
export const ORT_DTYPES: ReadonlySet<DType> = new Set<DType>([
  'float32',
  'float16',
  'float64',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
]);

/** Throws {@link BackendError} naming the dtype when onnxruntime tensors cannot carry it. */
export function assertOrtDType(dtype: DType, backend: string, what: string): void {
  if (ORT_DTYPES.has(dtype)) return;
  const why = isStorageOnly(dtype)
    ? 'storage dtypes are only supported inside a graph (Cast / QuantizeLinear)'
    : 'onnxruntime has no JavaScript tensor type for it';
  throw new BackendError(
    `${backend}: ${what} has dtype ${dtype}, which cannot be passed to onnxruntime (${why})`,
    {
      details: { dtype },
    },
  );
}

/**
 * Throws {@link BackendError} when a graph input or output has a dtype onnxruntime's JavaScript
 * API cannot carry. Checked before a session is created: onnxruntime-node 1.30 aborts the whole
 * process (out of memory in its binding) when it returns an int4 output, so such graphs must
 * never reach it.
 */
export function assertOrtGraphIO(graph: Graph, backend: string): void {
  for (const v of graph.inputs) {
    if (!graph.initializers.has(v.name)) assertOrtDType(v.dtype, backend, `graph input '${v.name}'`);
  }
  for (const v of graph.outputs) assertOrtDType(v.dtype, backend, `graph output '${v.name}'`);
}

/**
 * A kernel onnxruntime lacks for part of an op's domain: some dtypes, or the op's version at and
 * above some opset. (Ops it lacks entirely belong in the backend's `unsupportedOps()`.)
 */
export interface OrtKernelGap {
  readonly opType: string;
  /** Why, in words (which kernels onnxruntime registers instead). */
  readonly reason: string;
  /** The gap applies when an input or output of the node has one of these dtypes. */
  readonly dtypes?: readonly DType[];
  /**
   * Which values `dtypes` is matched against: `'any'` input or output (default), or only the
   * `'outputs'` (Where's condition is always bool; its data dtype is the output's).
   */
  readonly match?: 'any' | 'outputs';
  /** The gap applies when the graph's opset is at least this. */
  readonly minOpset?: number;
}

/** What {@link ortGraphIssue} checks against. */
export interface OrtGraphLimits {
  /** Backend name, for messages. */
  readonly backend: string;
  /** The newest default-domain opset the engine accepts. */
  readonly maxOpset: number;
  /** Kernel gaps of the engine. */
  readonly gaps: readonly OrtKernelGap[];
}

/**
 * Why an onnxruntime backend cannot run `graph` (already prepared with `prepareGraphForOrt`),
 * or undefined: an input or output dtype the JavaScript API cannot carry, an opset newer than
 * the engine's, or a node that falls into a listed kernel gap.
 */
export function ortGraphIssue(graph: Graph, limits: OrtGraphLimits): string | undefined {
  try {
    assertOrtGraphIO(graph, limits.backend);
  } catch (err) {
    return (err as Error).message;
  }
  const opset = exportOpset(graph);
  if (opset > limits.maxOpset) {
    return `${limits.backend}: opset ${opset} is newer than the newest this onnxruntime supports (${limits.maxOpset})`;
  }
  if (!limits.gaps.length) return undefined;
  const dtypes = new Map<string, DType>();
  for (const v of [...graph.inputs, ...graph.outputs, ...graph.valueInfo.values()])
    dtypes.set(v.name, v.dtype);
  for (const [name, t] of graph.initializers) dtypes.set(name, t.dtype);
  for (const n of graph.nodes) {
    if (n.domain && n.domain !== 'ai.onnx') continue;
    for (const gap of limits.gaps) {
      if (gap.opType !== n.opType) continue;
      if (gap.minOpset !== undefined && opset < gap.minOpset) continue;
      if (gap.dtypes) {
        const values = gap.match === 'outputs' ? n.outputs : [...n.inputs, ...n.outputs];
        const hit = values.map((v) => dtypes.get(v)).find((d) => d && gap.dtypes!.includes(d));
        if (!hit) continue;
        return `${limits.backend}: ${n.opType} on ${hit}: ${gap.reason}`;
      }
      return `${limits.backend}: ${n.opType} at opset ${opset}: ${gap.reason}`;
    }
  }
  return undefined;
}

/**
 * Wraps a host tensor as an onnxruntime tensor without copying its data (onnxruntime only reads
 * inputs). Throws {@link BackendError} for dtypes onnxruntime cannot carry.
 */
export function toOrtTensor<T extends OrtTensorLike>(
  OrtTensor: OrtTensorConstructor<T>,
  tensor: Tensor,
  backend: string,
  what = 'input',
): T {
  assertOrtDType(tensor.dtype, backend, what);
  // Ocular's dtype names are onnxruntime's for every dtype in ORT_DTYPES.
  return new OrtTensor(tensor.dtype, tensor.data as ArrayBufferView, tensor.dims);
}

/**
 * Converts an onnxruntime output tensor to a host tensor. The typed array is adopted, not
 * copied (onnxruntime hands out fresh arrays). float16 arrives as raw bits (Uint16Array), or as
 * a `Float16Array` where the runtime has one, which is re-encoded to bits.
 */
export function fromOrtTensor(value: OrtTensorLike, backend: string, what = 'output'): Tensor {
  const dtype = value.type as DType;
  if (!ORT_DTYPES.has(dtype)) {
    throw new BackendError(
      `${backend}: ${what} has onnxruntime type '${value.type}', which Ocular cannot read`,
      {
        details: { type: value.type },
      },
    );
  }
  const dims = [...value.dims].map(Number);
  let data = value.data as ArrayBufferView & ArrayLike<number | bigint>;
  if (dtype === 'float16' && !(data instanceof Uint16Array)) {
    const src = data as ArrayLike<number>;
    const bits = new Uint16Array(src.length);
    for (let i = 0; i < src.length; i++) bits[i] = numberToFloat16Bits(src[i]!);
    data = bits;
  } else if (dtype === 'bool' && !(data instanceof Uint8Array)) {
    data = Uint8Array.from(data as ArrayLike<number>, (v) => (v ? 1 : 0));
  }
  // biome-ignore lint/suspicious/noExplicitAny: the dtype ↔ typed array match is checked by the Tensor constructor
  return new Tensor(dtype, data as any, dims);
}

/**
 * onnxruntime's `logSeverityLevel` (0 verbose … 4 fatal) for Ocular's `env.logLevel`. onnxruntime's
 * warnings are notes about its own kernels (e.g. RoiAlign's historical summation), so they are
 * shown only at Ocular's `info` and `verbose` levels.
 */
export function ortLogSeverity(): 0 | 1 | 2 | 3 | 4 {
  switch (env.logLevel) {
    case 'verbose':
      return 0;
    case 'info':
      return 1;
    case 'fatal':
      return 4;
    default:
      return 3;
  }
}

/** onnxruntime's `env.logLevel` for Ocular's `env.logLevel` (same mapping as {@link ortLogSeverity}). */
export function ortLogLevel(): 'verbose' | 'info' | 'error' | 'fatal' {
  return (['verbose', 'info', 'error', 'error', 'fatal'] as const)[ortLogSeverity()];
}

/** The part of an onnxruntime-common `InferenceSession` a wrapped session uses. */
export interface OrtSessionLike<T extends OrtTensorLike = OrtTensorLike> {
  run(feeds: Record<string, T>, fetches: readonly string[]): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

/** Throws {@link AbortError} when `signal` is aborted. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

/**
 * Wraps an onnxruntime session as an Ocular {@link Session}: host tensors in and out, abort
 * checked before and after the run (onnxruntime cannot stop a run midway), errors as
 * {@link BackendError} carrying onnxruntime's message, and {@link DisposedError} after dispose.
 * Graph inputs that are also initializers are optional feeds, as in ONNX.
 */
export function wrapOrtSession<T extends OrtTensorLike>(
  backend: string,
  graph: Graph,
  session: OrtSessionLike<T>,
  OrtTensor: OrtTensorConstructor<T>,
): Session {
  let disposed = false;
  const inputNames = graph.inputs.filter((i) => !graph.initializers.has(i.name)).map((i) => i.name);
  const outputNames = graph.outputs.map((o) => o.name);
  return {
    inputNames,
    outputNames,
    async run(
      feeds: Readonly<Record<string, Tensor>>,
      options: RunOptions = {},
    ): Promise<Record<string, Tensor>> {
      if (disposed) throw new DisposedError(`${backend}: session of graph '${graph.name}' was disposed`);
      throwIfAborted(options.signal);
      const ortFeeds: Record<string, T> = {};
      for (const name of inputNames) {
        const t = feeds[name];
        if (!t) throw new BackendError(`${backend}: missing feed for graph input '${name}'`);
        ortFeeds[name] = toOrtTensor(OrtTensor, t, backend, `input '${name}'`);
      }
      const fetches = options.outputs ? [...options.outputs] : outputNames;
      let raw: Record<string, OrtTensorLike>;
      try {
        raw = await session.run(ortFeeds, fetches);
      } catch (err) {
        throw new BackendError(
          `${backend}: running graph '${graph.name}' failed: ${(err as Error)?.message ?? String(err)}`,
          {
            cause: err,
          },
        );
      }
      throwIfAborted(options.signal);
      const out: Record<string, Tensor> = {};
      for (const name of fetches) {
        const v = raw[name];
        if (!v) throw new BackendError(`${backend}: onnxruntime returned no output '${name}'`);
        out[name] = fromOrtTensor(v, backend, `output '${name}'`);
      }
      return out;
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}

/**
 * The ONNX bytes an onnxruntime backend compiles for `graph`: its input and output dtypes are
 * checked first ({@link assertOrtGraphIO}), then it is lowered with `prepareGraphForOrt` and
 * serialised. A graph that cannot be serialised throws {@link BackendError} naming it.
 */
export function ortModelBytes(graph: Graph, backend: string): Uint8Array {
  assertOrtGraphIO(graph, backend);
  try {
    return graphToOnnx(prepareGraphForOrt(graph).graph);
  } catch (err) {
    throw new BackendError(
      `${backend}: graph '${graph.name}' cannot be serialised to ONNX: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/**
 * Ends an onnxruntime backend's compile with the session it created: when `signal` was aborted
 * meanwhile, releases the session and throws {@link AbortError}; otherwise wraps it
 * ({@link wrapOrtSession}).
 */
export async function finishOrtCompile<T extends OrtTensorLike>(
  backend: string,
  graph: Graph,
  session: OrtSessionLike<T>,
  OrtTensor: OrtTensorConstructor<T>,
  signal: AbortSignal | undefined,
): Promise<Session> {
  if (signal?.aborted) {
    await session.release();
    throw new AbortError('compile was aborted');
  }
  return wrapOrtSession(backend, graph, session, OrtTensor);
}
