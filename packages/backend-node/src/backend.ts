/**
 * The node backend: serialises a graph to ONNX and runs it with onnxruntime-node, on the first
 * requested execution provider this install can use.
 * @module
 */
import {
  AbortError,
  assertOrtGraphIO,
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
  readOnnxModel,
  type Session,
  type SupportResult,
  type UnsupportedOp,
} from '@ocular/core';
import type { NodeBackendOptions, NodeExecutionProvider } from './options.js';
import { loadOrt, type Ort, providerLibraryInstalled } from './ort.js';
import { NODE_KERNEL_GAPS, NODE_MAX_OPSET, NODE_UNSUPPORTED_OPS } from './unsupported.js';

/** An execution provider that was requested but not used, and why. */
export interface ExecutionProviderFallback {
  readonly ep: NodeExecutionProvider;
  readonly reason: string;
}

/** A session of the node backend: which execution provider runs it and which were skipped. */
export interface NodeSession extends Session {
  /** The execution provider the session runs on. */
  readonly executionProvider: NodeExecutionProvider;
  /** Requested providers that were skipped, in request order, each with its reason. */
  readonly fallbacks: readonly ExecutionProviderFallback[];
}

/** onnxruntime-node's name of each execution provider in `listSupportedBackends()`. */
const ORT_EP_NAMES: Readonly<Record<NodeExecutionProvider, string>> = {
  cpu: 'cpu',
  cuda: 'cuda',
  tensorrt: 'tensorrt',
  dml: 'dml',
  coreml: 'coreml',
};

/** The node backend's type: a {@link Backend} whose sessions are {@link NodeSession}s. */
export interface NodeBackend extends Backend {
  compile(graph: Graph, options?: CompileOptions): Promise<NodeSession>;
}

type OrtSession = import('onnxruntime-node').InferenceSession;

const NAME = 'node';

let initOptions: NodeBackendOptions | undefined;

/** The onnxruntime-node backend. Priority 100: preferred whenever it loads. */
export const nodeBackend: NodeBackend = {
  name: NAME,
  priority: 100,

  async isSupported(): Promise<SupportResult> {
    try {
      const ort = await loadOrt();
      const eps = availableProviders(ort).join(', ');
      return {
        ok: true,
        detail: `onnxruntime-node ${ort.env.versions.node ?? ''}; execution providers: ${eps}`,
      };
    } catch (err) {
      return {
        ok: false,
        reason: `onnxruntime-node cannot be loaded: ${(err as Error).message ?? String(err)}`,
      };
    }
  },

  async init(options?: BackendOptions): Promise<void> {
    await loadOrt();
    if (options?.node) initOptions = options.node;
  },

  async compile(graph: Graph, options: CompileOptions = {}): Promise<NodeSession> {
    throwIfAborted(options.signal);
    const ort = await loadOrtForCompile();
    const opts = options.backendOptions?.node ?? initOptions ?? {};
    return openSession(ort, ortModelBytes(graph, NAME), graph, opts, options.signal);
  },

  checkGraph(graph: Graph): string | undefined {
    return ortGraphIssue(prepareGraphForOrt(graph).graph, {
      backend: NAME,
      maxOpset: NODE_MAX_OPSET,
      gaps: NODE_KERNEL_GAPS,
    });
  },

  unsupportedOps(): readonly UnsupportedOp[] {
    return NODE_UNSUPPORTED_OPS;
  },

  async describe(): Promise<Record<string, unknown>> {
    const ort = await loadOrt();
    return {
      engine: 'onnxruntime-node',
      version: ort.env.versions.node,
      executionProviders: availableProviders(ort),
      listedProviders: ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled })),
      platform: `${process.platform}/${process.arch}`,
    };
  },
};

/**
 * Opens ONNX model bytes as it is (no re-serialisation) in a node-backend session: for foreign
 * models and for checking an export byte for byte. Input and output names and dtypes are read
 * with `readOnnxModel`; options are those of {@link nodeBackend}'s `compile`.
 */
export async function compileOnnx(bytes: Uint8Array, options: CompileOptions = {}): Promise<NodeSession> {
  throwIfAborted(options.signal);
  let graph: Graph;
  try {
    graph = readOnnxModel(bytes);
  } catch (err) {
    throw new BackendError(`${NAME}: the ONNX model cannot be read: ${(err as Error).message}`, {
      cause: err,
    });
  }
  assertOrtGraphIO(graph, NAME);
  const ort = await loadOrtForCompile();
  const opts = options.backendOptions?.node ?? initOptions ?? {};
  return openSession(ort, bytes, graph, opts, options.signal);
}

/** Loads onnxruntime-node for a compile; a failure is a {@link BackendError}. */
function loadOrtForCompile(): Promise<Ort> {
  return loadOrt().catch((err: unknown) => {
    throw new BackendError(`${NAME}: onnxruntime-node cannot be loaded: ${(err as Error).message}`, {
      cause: err,
    });
  });
}

/** Opens `bytes` on the first usable execution provider, as a {@link NodeSession}. */
async function openSession(
  ort: Ort,
  bytes: Uint8Array,
  graph: Graph,
  opts: NodeBackendOptions,
  signal: AbortSignal | undefined,
): Promise<NodeSession> {
  const { session, ep, fallbacks } = await createSession(ort, bytes, graph, opts);
  return Object.assign(await finishOrtCompile(NAME, graph, session, ort.Tensor, signal), {
    executionProvider: ep,
    fallbacks,
  });
}

/** Execution providers (of those Ocular requests) that this install can actually use. */
function availableProviders(ort: Ort): NodeExecutionProvider[] {
  return (Object.keys(ORT_EP_NAMES) as NodeExecutionProvider[]).filter(
    (ep) => unavailableReason(ort, ep) === undefined,
  );
}

/** Why an execution provider cannot be used here, or undefined when it can be tried. */
function unavailableReason(ort: Ort, ep: NodeExecutionProvider): string | undefined {
  if (ep === 'cpu') return undefined;
  const listed = ort.listSupportedBackends().find((b) => b.name === ORT_EP_NAMES[ep]);
  if (!listed) {
    return `onnxruntime-node ${ort.env.versions.node ?? ''} has no '${ep}' execution provider on ${process.platform}/${process.arch}`;
  }
  if (!listed.bundled && providerLibraryInstalled(ORT_EP_NAMES[ep]) === false) {
    return (
      `the '${ep}' provider library is not installed: onnxruntime-node downloads it in its postinstall step, ` +
      'which this install skipped (run `node node_modules/onnxruntime-node/script/install.js ' +
      '--onnxruntime-node-install=cuda12` to get it; CUDA 12 and cuDNN 9 must be installed)'
    );
  }
  return undefined;
}

/** Tries each requested execution provider in order, ending with CPU, and records each skip. */
async function createSession(
  ort: Ort,
  bytes: Uint8Array,
  graph: Graph,
  opts: NodeBackendOptions,
): Promise<{
  session: OrtSession;
  ep: NodeExecutionProvider;
  fallbacks: ExecutionProviderFallback[];
}> {
  const requested = [...(opts.executionProviders ?? ['cpu'])];
  if (!requested.includes('cpu')) requested.push('cpu');
  const fallbacks: ExecutionProviderFallback[] = [];
  for (const ep of requested) {
    if (!(ep in ORT_EP_NAMES)) {
      fallbacks.push({ ep, reason: `unknown execution provider '${ep}'` });
      continue;
    }
    const why = unavailableReason(ort, ep);
    if (why) {
      fallbacks.push({ ep, reason: why });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: [ORT_EP_NAMES[ep]],
        graphOptimizationLevel: opts.graphOptimizationLevel ?? 'all',
        logSeverityLevel: ortLogSeverity(),
        ...(opts.intraOpNumThreads !== undefined ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
        ...(opts.interOpNumThreads !== undefined ? { interOpNumThreads: opts.interOpNumThreads } : {}),
      });
      return { session, ep, fallbacks };
    } catch (err) {
      const msg = (err as Error).message ?? String(err);
      if (ep === 'cpu') {
        throw new BackendError(`${NAME}: onnxruntime could not load graph '${graph.name}': ${msg}`, {
          cause: err,
          details: { fallbacks },
        });
      }
      fallbacks.push({ ep, reason: `session creation failed: ${msg}` });
    }
  }
  // Unreachable: 'cpu' is always in the list and either returns or throws.
  throw new BackendError(`${NAME}: no execution provider could run graph '${graph.name}'`, {
    details: { fallbacks },
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}
