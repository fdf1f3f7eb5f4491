/**
 * Tracing a module into a graph whose initializers are named by state-dict keys and whose nodes
 * carry module paths as scopes.
 * @module
 */
import type { DType } from '../dtype.js';
import { GraphError } from '../errors.js';
import type { Dim, Graph } from '../ir/graph.js';
import { SymbolicTensor, Tracer } from '../ir/trace.js';
import type { Module } from './module.js';
import { recordModulePaths } from './scope.js';

/** A graph input to declare. */
export interface TraceInput {
  readonly name: string;
  readonly dtype: DType;
  /** Static sizes or symbolic names (`['batch', 3, 224, 224]`). */
  readonly shape: readonly Dim[];
}

/** Options of {@link traceModule}. */
export interface TraceModuleOptions {
  /** Graph name (default: the module's class name). */
  readonly name?: string;
  /**
   * Output names. Default: `output` for one tensor, `output0..` for an array, the keys for an
   * object of tensors.
   */
  readonly outputNames?: readonly string[];
  /** Opset (default: the IR's). */
  readonly opset?: number;
}

/** Which initializers of a traced graph are parameters and which are buffers. */
export interface GraphStateInfo {
  readonly parameters: ReadonlySet<string>;
  readonly buffers: ReadonlySet<string>;
}

const stateInfo = new WeakMap<Graph, GraphStateInfo>();

/**
 * Which state-dict keys of `graph`'s module were parameters and which buffers, when the graph
 * came from {@link traceModule}; undefined otherwise (imported graphs).
 */
export function graphStateInfo(graph: Graph): GraphStateInfo | undefined {
  return stateInfo.get(graph);
}

/**
 * Prepares `tracer` to run `root`: every parameter and buffer (persistent or not) is bound to
 * its state-dict key, and every module to its path, so `Module.call` scopes nodes correctly.
 * {@link traceModule} does this; call it yourself when driving a `Tracer` by hand.
 */
export function bindModule(tracer: Tracer, root: Module, prefix = ''): GraphStateInfo {
  recordModulePaths(tracer, root, prefix);
  const parameters = new Set<string>();
  const buffers = new Set<string>();
  for (const [key, t] of root.namedParameters(prefix)) {
    tracer.nameTensor(t, key);
    parameters.add(key);
  }
  for (const [key, t] of root.namedBuffers(prefix)) {
    tracer.nameTensor(t, key);
    buffers.add(key);
  }
  return { parameters, buffers };
}

type TraceOutput = SymbolicTensor | readonly SymbolicTensor[] | Readonly<Record<string, SymbolicTensor>>;

function collectOutputs(out: unknown, names: readonly string[] | undefined): [string, SymbolicTensor][] {
  let pairs: [string, SymbolicTensor][];
  if (out instanceof SymbolicTensor) pairs = [['output', out]];
  else if (Array.isArray(out)) pairs = out.map((t, i) => [`output${i}`, t as SymbolicTensor]);
  else if (out && typeof out === 'object') pairs = Object.entries(out as Record<string, SymbolicTensor>);
  else throw new GraphError(`traceModule: forward returned ${String(out)}, expected tensors`);
  for (const [n, t] of pairs) {
    if (!(t instanceof SymbolicTensor))
      throw new GraphError(`traceModule: output '${n}' is not a traced tensor`);
  }
  if (names) {
    if (names.length !== pairs.length) {
      throw new GraphError(`traceModule: ${names.length} output names for ${pairs.length} outputs`);
    }
    pairs = pairs.map(([, t], i) => [names[i]!, t]);
  }
  return pairs;
}

/**
 * Traces `module.forward` on symbolic inputs into a {@link Graph}. Initializers are the
 * parameters and buffers the forward actually uses, named by their state-dict keys; node scopes
 * are module paths. Modules are always traced in inference mode.
 */
export function traceModule(
  module: Module,
  inputs: readonly TraceInput[],
  options: TraceModuleOptions = {},
): Graph {
  const tracer = new Tracer(options.name ?? module.constructor.name, options.opset);
  const info = bindModule(tracer, module);
  tracer.run(() => {
    const xs = inputs.map((i) => tracer.input(i.name, i.dtype, i.shape));
    const out = module.call(...xs) as TraceOutput;
    for (const [name, t] of collectOutputs(out, options.outputNames)) tracer.output(name, t);
  });
  stateInfo.set(tracer.graph, info);
  return tracer.graph;
}
