/**
 * The TF.js GraphModel importer: a `model.json` GraphDef plus weight shards become an Ocular graph
 * in NCHW. Each TF value is tracked with the layout it is stored in, so NHWC ops run as NCHW ONNX
 * ops with weights transposed once and Transposes appear only where a layout-sensitive op needs
 * one; the transpose pass then removes what it can.
 * @module
 */
import { type Dim, type Graph, OcularError, Tracer, type ValueInfo } from '@ocular/core';
import { ImportError } from '../errors.js';
import { foldPadsIntoConv } from '../passes/pad-conv.js';
import { pruneGraph } from '../passes/prune.js';
import { optimizeTransposes, type TransposeOptimizeResult } from '../passes/transposes.js';
import { decodeTfjsWeights, type TfjsWeightData } from '../tfjs-weights/decode.js';
import { parseTfjsModelJson } from '../tfjs-weights/model-json.js';
import { attrDType, shapeDims } from './attrs.js';
import { GraphBuilder, plain, type Value } from './builder.js';
import { constValue } from './constants.js';
import type { ConvertContext } from './context.js';
import { identityPerm, NHWC_TO_NCHW, permuteDims } from './layout.js';
import { TFJS_GRAPH_CONVERTERS } from './registry.js';
import type { TfGraphDef, TfNodeDef, TfSignature } from './types.js';

/** Options of {@link importTfjsGraphModel}. */
export interface TfjsGraphImportOptions {
  /**
   * Layout of the graph's 4-D inputs and outputs. `'original'` (default) keeps the model's own
   * (NHWC for most TF models); `'nchw'` treats them as NHWC and exposes them as NCHW, saving the
   * boundary Transposes — use it only for models whose 4-D inputs and outputs are NHWC.
   */
  layout?: 'original' | 'nchw';
  /**
   * Tensors to expose as outputs, as TF names (`node` or `node:k`). Default: the signature's
   * outputs, else every node no other node consumes.
   */
  outputs?: readonly string[];
  /** Shapes (in the model's layout) for inputs, by placeholder name; replaces unknown (-1) dims. */
  inputShapes?: Readonly<Record<string, readonly Dim[]>>;
  /** Graph name (default `tfjs-graph-model`). */
  name?: string;
  /** Run the transpose pass, the Pad-into-Conv fold and dead-code elimination (default true). */
  optimize?: boolean;
}

/** What the importer did. */
export interface TfjsGraphImportReport {
  /** TF op types of the source GraphDef and how many nodes use each. */
  readonly sourceOps: Readonly<Record<string, number>>;
  /** Ocular op types of the imported graph and their counts. */
  readonly ops: Readonly<Record<string, number>>;
  /** Transpose nodes in the final graph: all, those touching a graph input or output, and the rest. */
  readonly transposes: { readonly total: number; readonly boundary: number; readonly inner: number };
  /** Transpose nodes the layout tracking emitted before the pass, and the pass's own result. */
  readonly transposePass?: TransposeOptimizeResult;
  /** Zero Pad nodes folded into the convolutions they fed. */
  readonly foldedPads: number;
  /** Number of initializers (weights and constants). */
  readonly initializers: number;
  /** Total element count of the initializers. */
  readonly parameters: number;
}

/** The imported model. */
export interface TfjsGraphImport {
  /** The Ocular graph (ONNX ops, NCHW inside). */
  readonly graph: Graph;
  /** Graph inputs (placeholder names, shapes in the exposed layout). */
  readonly inputs: readonly ValueInfo[];
  /** Graph outputs (TF tensor names, `:0` dropped). */
  readonly outputs: readonly ValueInfo[];
  /** Op counts, remaining transposes and sizes. */
  readonly report: TfjsGraphImportReport;
}

/** Parses `name`, `name:k` and `^name` (control) input references. */
function parseRef(ref: string): { node: string; index: number; control: boolean } {
  if (ref.startsWith('^')) return { node: ref.slice(1), index: 0, control: true };
  const m = /^(.*):(\d+)$/.exec(ref);
  return m ? { node: m[1]!, index: Number(m[2]), control: false } : { node: ref, index: 0, control: false };
}

function checkTopology(topology: unknown): TfGraphDef {
  const t = topology as TfGraphDef | undefined;
  if (!t || typeof t !== 'object' || !Array.isArray(t.node)) {
    throw new ImportError(
      'model.json: modelTopology.node must be an array of GraphDef nodes (is this a LayersModel?)',
    );
  }
  t.node.forEach((n, i) => {
    if (!n || typeof n.name !== 'string' || typeof n.op !== 'string') {
      throw new ImportError(`model.json: modelTopology.node[${i}] must have string 'name' and 'op'`);
    }
    if (n.input !== undefined && !Array.isArray(n.input)) {
      throw new ImportError(`model.json: node '${n.name}' has a non-array 'input'`);
    }
  });
  return t;
}

/** Nodes in dependency order (GraphDef order is not guaranteed to be topological). */
function topoSort(nodes: readonly TfNodeDef[], byName: ReadonlyMap<string, TfNodeDef>): TfNodeDef[] {
  const state = new Map<string, 1 | 2>();
  const order: TfNodeDef[] = [];
  const visit = (root: TfNodeDef) => {
    const stack: [TfNodeDef, number][] = [[root, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [n, i] = top;
      if (i === 0) {
        if (state.get(n.name) === 2) {
          stack.pop();
          continue;
        }
        state.set(n.name, 1);
      }
      const inputs = n.input ?? [];
      if (i < inputs.length) {
        top[1]++;
        const ref = parseRef(inputs[i]!);
        const dep = byName.get(ref.node);
        if (!dep)
          throw new ImportError(
            `node '${n.name}' (${n.op}): input '${inputs[i]}' names no node of the graph`,
          );
        const s = state.get(dep.name);
        if (s === 1)
          throw new ImportError(`node '${n.name}' (${n.op}) is part of a cycle through '${dep.name}'`);
        if (s === undefined) stack.push([dep, 0]);
        continue;
      }
      stack.pop();
      state.set(n.name, 2);
      order.push(n);
    }
  };
  for (const n of nodes) if (!state.has(n.name)) visit(n);
  return order;
}

/** Throws one {@link ImportError} listing every unsupported op type with its node names. */
function checkSupported(nodes: readonly TfNodeDef[]): void {
  const missing = new Map<string, string[]>();
  for (const n of nodes) {
    if (n.op === 'Const' || n.op === 'Placeholder' || n.op in TFJS_GRAPH_CONVERTERS) continue;
    const list = missing.get(n.op) ?? [];
    list.push(n.name);
    missing.set(n.op, list);
  }
  if (!missing.size) return;
  const lines = [...missing].map(
    ([op, names]) =>
      `${op} (${names.length}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`,
  );
  throw new ImportError(
    `the GraphModel uses ${missing.size} unsupported TF op type(s): ${lines.join('; ')}`,
    {
      details: { unsupported: Object.fromEntries(missing) },
    },
  );
}

function outputNames(
  graph: TfGraphDef,
  signature: TfSignature | undefined,
  explicit?: readonly string[],
): string[] {
  if (explicit?.length) return [...explicit];
  const sig = signature?.outputs ? Object.values(signature.outputs).map((o) => o.name) : [];
  if (sig.length) return sig;
  const consumed = new Set(graph.node.flatMap((n) => (n.input ?? []).map((r) => parseRef(r).node)));
  return graph.node
    .filter((n) => !consumed.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp')
    .map((n) => n.name);
}

function countBy(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}

/**
 * Imports a TF.js GraphModel.
 *
 * @param modelJson `model.json` (text, bytes or parsed object) with `format: 'graph-model'`
 * @param weightData the weight shards: one buffer per manifest path (in order), or all of them
 *   concatenated
 * @param options see {@link TfjsGraphImportOptions}
 * @returns the graph, its inputs and outputs, and a report (op counts, remaining transposes)
 * @throws ImportError for malformed JSON or shards (naming what is wrong), for every unsupported
 *   op at once (`details.unsupported`: op type → node names), and for a node that cannot be
 *   converted (naming the node)
 */
export function importTfjsGraphModel(
  modelJson: string | Uint8Array | object,
  weightData: TfjsWeightData,
  options: TfjsGraphImportOptions = {},
): TfjsGraphImport {
  const json = parseTfjsModelJson(modelJson);
  if (json.format !== undefined && json.format !== 'graph-model') {
    throw new ImportError(`model.json: format is '${json.format}', expected 'graph-model'`);
  }
  const topology = checkTopology(json.modelTopology);
  const fns = topology.library?.function;
  if (Array.isArray(fns) && fns.length) {
    throw new ImportError(
      `the GraphModel has ${fns.length} library function(s) (control flow), which are not supported`,
    );
  }
  const byName = new Map<string, TfNodeDef>();
  for (const n of topology.node) {
    if (byName.has(n.name)) throw new ImportError(`model.json: node name '${n.name}' is used twice`);
    byName.set(n.name, n);
  }
  checkSupported(topology.node);
  const weights = decodeTfjsWeights(json.weightsManifest, weightData);
  const order = topoSort(topology.node, byName);

  const tracer = new Tracer(options.name ?? 'tfjs-graph-model');
  const b = new GraphBuilder(tracer);
  const values = new Map<string, Value[]>();
  const nchw = options.layout === 'nchw';

  for (const node of order) {
    try {
      values.set(node.name, convertNode(node));
    } catch (err) {
      if (err instanceof ImportError) throw err;
      const msg = err instanceof Error ? err.message : String(err);
      throw new ImportError(`node '${node.name}' (${node.op}): ${msg}`, {
        cause: err,
        details: { node: node.name, op: node.op, ...(err instanceof OcularError ? { code: err.code } : {}) },
      });
    }
  }

  function convertNode(node: TfNodeDef): Value[] {
    if (node.op === 'Const') return [plain(constValue(node, weights))];
    if (node.op === 'Placeholder') {
      const dtype = attrDType(node, 'dtype', 'float32');
      const given = options.inputShapes?.[node.name];
      const dims: Dim[] = given
        ? [...given]
        : (shapeDims(node.attr?.shape?.shape) ?? []).map((d, i) => (d < 0 ? `${node.name}_${i}` : d));
      if (nchw && dims.length === 4) {
        const t = tracer.input(node.name, dtype, permuteDims(dims, NHWC_TO_NCHW));
        return [{ t, perm: NHWC_TO_NCHW }];
      }
      return [plain(tracer.input(node.name, dtype, dims))];
    }
    const inputs: Value[] = [];
    for (const ref of node.input ?? []) {
      const r = parseRef(ref);
      if (r.control) continue;
      const v = values.get(r.node)?.[r.index];
      if (!v)
        throw new ImportError(`node '${node.name}' (${node.op}): input '${ref}' has no output ${r.index}`);
      inputs.push(v);
    }
    const ctx: ConvertContext = { node, b, inputs };
    return TFJS_GRAPH_CONVERTERS[node.op]!(ctx);
  }

  const outNames = outputNames(topology, json.signature as TfSignature | undefined, options.outputs);
  const boundary = new Set<string>(tracer.graph.inputs.map((i) => i.name));
  for (const ref of outNames) {
    const r = parseRef(ref);
    const v = values.get(r.node)?.[r.index];
    if (!v) throw new ImportError(`output '${ref}' names no tensor of the graph`);
    const name = r.index === 0 ? r.node : `${r.node}:${r.index}`;
    const target = nchw && v.perm.length === 4 ? NHWC_TO_NCHW : identityPerm(v.perm.length);
    const op = b.as(v, target, `${name}/output`);
    tracer.output(name, b.symbolic(op));
    boundary.add(name);
  }
  const graph = tracer.graph;
  let transposePass: TransposeOptimizeResult | undefined;
  let foldedPads = 0;
  if (options.optimize !== false) {
    pruneGraph(graph);
    transposePass = optimizeTransposes(graph);
    foldedPads = foldPadsIntoConv(graph);
  }
  pruneGraph(graph);

  const transposeNodes = graph.nodes.filter((n) => n.opType === 'Transpose');
  const touching = transposeNodes.filter(
    (n) => boundary.has(n.inputs[0]!) || boundary.has(n.outputs[0]!),
  ).length;
  let parameters = 0;
  for (const t of graph.initializers.values()) parameters += t.size;
  return {
    graph,
    inputs: graph.inputs,
    outputs: graph.outputs,
    report: {
      sourceOps: countBy(topology.node.map((n) => n.op)),
      ops: countBy(graph.nodes.map((n) => n.opType)),
      transposes: {
        total: transposeNodes.length,
        boundary: touching,
        inner: transposeNodes.length - touching,
      },
      transposePass,
      foldedPads,
      initializers: graph.initializers.size,
      parameters,
    },
  };
}
