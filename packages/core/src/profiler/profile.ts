/**
 * Static profile of a graph: parameters, MACs per node and per module, and activation memory.
 * Symbolic dims are evaluated with every symbol set to `batch` (default 1) unless given in
 * `dims`, so a graph traced with a symbolic batch is profiled at batch 1.
 * @module
 */
import { bytesPerElement, type DType, isFloat } from '../dtype.js';
import type { Dim, Graph } from '../ir/graph.js';
import { graphStateInfo } from '../nn/trace-module.js';
import { dimSymbols, evaluateDim } from './dims.js';
import { macsKind, nodeMacs } from './macs.js';

/** Options of {@link profileGraph}. */
export interface ProfileOptions {
  /** Value of every symbolic dim not in `dims` (default 1). */
  readonly batch?: number;
  /** Values of named symbolic dims (`{ height: 224 }`). */
  readonly dims?: Readonly<Record<string, number>>;
}

/** One node's row. */
export interface NodeProfile {
  readonly name: string;
  readonly opType: string;
  /** Module path (`''` at the top level). */
  readonly scope: string;
  readonly outputShapes: readonly (readonly number[] | undefined)[];
  readonly macs: number;
  /** Parameter elements first used by this node. */
  readonly params: number;
  /** Bytes of this node's outputs. */
  readonly outputBytes: number;
}

/** Totals of one module, including its descendants. */
export interface ModuleProfile {
  /** Module path; `''` is the whole graph. */
  readonly path: string;
  /** Nesting depth (`''` is 0, `stages` 1, `stages.0` 2, ...). */
  readonly depth: number;
  readonly params: number;
  readonly macs: number;
  /** Nodes emitted in this module or below. */
  readonly nodes: number;
}

/** A graph's profile. */
export interface Profile {
  readonly graph: string;
  /** The value symbolic dims took (see {@link ProfileOptions}). */
  readonly batch: number;
  /** Symbols that were substituted. */
  readonly symbols: readonly string[];
  /** Dims that could not be evaluated (counted as 1). */
  readonly unresolvedDims: readonly string[];
  /**
   * Parameter elements. For graphs from `traceModule`: the module parameters the graph uses;
   * otherwise every floating-point initializer (which then includes e.g. BatchNorm statistics).
   */
  readonly params: number;
  readonly paramBytes: number;
  /** Elements of the other initializers (buffers and constants). */
  readonly otherInitializerElements: number;
  /** Total multiply-accumulates. */
  readonly macs: number;
  /** MACs split as the reference data does: `conv`, `mm` (2-D products), `bmm` (batched). */
  readonly macsBreakdown: { readonly conv: number; readonly mm: number; readonly bmm: number };
  /** MACs per op type. */
  readonly macsByOp: Readonly<Record<string, number>>;
  /** Sum of the bytes of every node output (each intermediate counted once). */
  readonly activationBytes: number;
  /**
   * Largest total of simultaneously live activations when nodes run in graph order and each
   * value is freed after its last use (graph inputs included, graph outputs kept to the end,
   * initializers excluded).
   */
  readonly peakActivationBytes: number;
  readonly nodes: readonly NodeProfile[];
  /** Per-module totals in order of first appearance, parents before children. */
  readonly modules: readonly ModuleProfile[];
}

function numel(s: readonly number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

function parentPath(key: string): string {
  const i = key.lastIndexOf('.');
  return i < 0 ? '' : key.slice(0, i);
}

function ancestors(path: string): string[] {
  if (!path) return [''];
  const parts = path.split('.');
  return ['', ...parts.map((_, i) => parts.slice(0, i + 1).join('.'))];
}

/** Profiles `graph` (see the module docs for how each number is counted). */
export function profileGraph(graph: Graph, options: ProfileOptions = {}): Profile {
  const batch = options.batch ?? 1;
  const symbols = new Set<string>();
  const unresolved = new Set<string>();
  const resolve = (shape: readonly Dim[]): number[] =>
    shape.map((d) => {
      if (typeof d === 'number') return d;
      for (const s of dimSymbols(d)) symbols.add(s);
      const v = evaluateDim(d, (s) => options.dims?.[s] ?? batch);
      if (v === undefined || !Number.isInteger(v) || v < 0) {
        unresolved.add(d);
        return 1;
      }
      return v;
    });

  // Shapes and dtypes of every value: inputs, initializers, node outputs.
  const types = new Map<string, { dtype: DType; shape: number[] }>();
  for (const v of graph.inputs) types.set(v.name, { dtype: v.dtype, shape: resolve(v.shape) });
  for (const [name, t] of graph.initializers) types.set(name, { dtype: t.dtype, shape: [...t.dims] });
  for (const [name, v] of graph.valueInfo)
    if (!types.has(name)) types.set(name, { dtype: v.dtype, shape: resolve(v.shape) });
  for (const v of graph.outputs)
    if (!types.has(v.name)) types.set(v.name, { dtype: v.dtype, shape: resolve(v.shape) });
  const bytesOf = (name: string): number => {
    const t = types.get(name);
    return t && !graph.initializers.has(name) ? numel(t.shape) * bytesPerElement(t.dtype) : 0;
  };

  const state = graphStateInfo(graph);
  const isParam = (name: string): boolean => {
    const t = graph.initializers.get(name);
    if (!t) return false;
    return state ? state.parameters.has(name) : isFloat(t.dtype);
  };

  // Parameter totals and which module owns each parameter.
  let params = 0;
  let paramBytes = 0;
  let other = 0;
  for (const [name, t] of graph.initializers) {
    if (isParam(name)) {
      params += t.size;
      paramBytes += t.size * bytesPerElement(t.dtype);
    } else other += t.size;
  }

  const lastUse = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    for (const v of n.inputs) if (v) lastUse.set(v, i);
  });
  const outputs = new Set(graph.outputs.map((o) => o.name));

  const nodes: NodeProfile[] = [];
  const macsByOp: Record<string, number> = {};
  const breakdown = { conv: 0, mm: 0, bmm: 0 };
  const moduleTotals = new Map<string, { params: number; macs: number; nodes: number }>();
  const bump = (path: string, p: number, m: number, n: number): void => {
    for (const a of ancestors(path)) {
      const cur = moduleTotals.get(a) ?? { params: 0, macs: 0, nodes: 0 };
      cur.params += p;
      cur.macs += m;
      cur.nodes += n;
      moduleTotals.set(a, cur);
    }
  };
  const counted = new Set<string>();
  let live = 0;
  for (const v of graph.inputs) live += bytesOf(v.name);
  let peak = live;
  let activationBytes = 0;

  graph.nodes.forEach((node, i) => {
    const scope = node.scope ?? '';
    const shapes = {
      inputs: node.inputs.map((v) => (v ? types.get(v)?.shape : undefined)),
      outputs: node.outputs.map((v) => (v ? types.get(v)?.shape : undefined)),
    };
    const macs = nodeMacs(node, shapes);
    if (macs) {
      macsByOp[node.opType] = (macsByOp[node.opType] ?? 0) + macs;
      const kind = macsKind(node, shapes);
      if (kind) breakdown[kind] += macs;
    }
    let nodeParams = 0;
    for (const v of node.inputs) {
      if (!v || counted.has(v) || !isParam(v)) continue;
      counted.add(v);
      const n = graph.initializers.get(v)!.size;
      nodeParams += n;
      // A state-dict key names its module; an anonymous initializer belongs to its first user.
      bump(state?.parameters.has(v) ? parentPath(v) : scope, n, 0, 0);
    }
    bump(scope, 0, macs, 1);
    let outBytes = 0;
    for (const v of node.outputs) if (v) outBytes += bytesOf(v);
    activationBytes += outBytes;
    live += outBytes;
    peak = Math.max(peak, live);
    for (const v of new Set([...node.inputs, ...node.outputs])) {
      if (v && !outputs.has(v) && (lastUse.get(v) ?? -1) <= i && !graph.initializers.has(v))
        live -= bytesOf(v);
    }
    nodes.push({
      name: node.name,
      opType: node.opType,
      scope,
      outputShapes: shapes.outputs,
      macs,
      params: nodeParams,
      outputBytes: outBytes,
    });
  });
  // Parameters the graph holds but no node reads still count towards their module.
  for (const [name, t] of graph.initializers) {
    if (!counted.has(name) && isParam(name))
      bump(state?.parameters.has(name) ? parentPath(name) : '', t.size, 0, 0);
  }

  const modules: ModuleProfile[] = [...moduleTotals].map(([path, t]) => ({
    path,
    depth: path ? path.split('.').length : 0,
    ...t,
  }));
  const macs = nodes.reduce((a, n) => a + n.macs, 0);
  return {
    graph: graph.name,
    batch,
    symbols: [...symbols].sort(),
    unresolvedDims: [...unresolved],
    params,
    paramBytes,
    otherInitializerElements: other,
    macs,
    macsBreakdown: breakdown,
    macsByOp,
    activationBytes,
    peakActivationBytes: peak,
    nodes,
    modules,
  };
}
