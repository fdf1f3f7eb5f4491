/**
 * Turns a command's `<model>` argument into a graph: a registered model name
 * (`demo/tiny_cnn`, `tiny_cnn`), traced with a symbolic batch, or a path to an `.onnx` file.
 * @module
 */
import { readFile } from 'node:fs/promises';
import {
  createModel,
  type Graph,
  getOpSchema,
  type Model,
  type ModelInfo,
  readOnnxModel,
  resolveAttrs,
  type TensorInfo,
} from '@ocular/core';

/** A graph and where it came from. */
export interface LoadedGraph {
  readonly graph: Graph;
  /** `registry` for a registered model, `onnx` for a file. */
  readonly source: 'registry' | 'onnx';
  /** The created model (registry sources only). */
  readonly model?: Model;
  readonly info?: ModelInfo;
}

/** Options of {@link loadGraph}. */
export interface LoadGraphOptions {
  /** A safetensors file to load into a registered model (strict). */
  readonly weights?: string;
  /** `[height, width]` to trace at (default: the model's). */
  readonly inputSize?: readonly [number, number];
}

/** True when `spec` names an ONNX file rather than a registered model. */
export function isOnnxPath(spec: string): boolean {
  return /\.onnx$/i.test(spec);
}

/** Loads `spec` (see the module docs). Errors are the registry's / reader's typed errors. */
export async function loadGraph(spec: string, options: LoadGraphOptions = {}): Promise<LoadedGraph> {
  if (isOnnxPath(spec)) {
    const bytes = new Uint8Array(await readFile(spec));
    const graph = readOnnxModel(bytes);
    inferValueInfo(graph);
    return { graph, source: 'onnx' };
  }
  const model = await createModel(
    spec,
    options.weights ? { pretrained: true, weights: options.weights, strict: true } : {},
  );
  const graph = model.trace({ batch: 'batch', inputSize: options.inputSize, outputNames: ['output'] });
  return { graph, source: 'registry', model, info: model.info };
}

/** Parses `--input-size 224` or `--input-size 224x192` as `[height, width]`. */
export function parseInputSize(value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)(?:x(\d+))?$/.exec(value.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  return [h, m[2] ? Number(m[2]) : h];
}

/**
 * Fills `graph.valueInfo` for an imported graph by running each node's shape inference in
 * order (ONNX files often carry no intermediate shapes, and the profiler needs them). Values
 * whose shape cannot be inferred are left out.
 */
export function inferValueInfo(graph: Graph): void {
  const known = new Map<string, TensorInfo>();
  for (const v of graph.inputs) known.set(v.name, { dtype: v.dtype, shape: v.shape });
  for (const [name, t] of graph.initializers) known.set(name, { dtype: t.dtype, shape: t.dims, value: t });
  for (const v of graph.valueInfo.values()) if (!known.has(v.name)) known.set(v.name, v);
  for (const node of graph.nodes) {
    let outs: TensorInfo[];
    try {
      const schema = getOpSchema(node.opType, node.domain);
      outs = schema.infer({
        opType: node.opType,
        inputs: node.inputs.map((n) => (n ? known.get(n) : undefined)),
        attrs: resolveAttrs(schema, node.attrs),
        numOutputs: node.outputs.length,
      });
    } catch {
      continue;
    }
    node.outputs.forEach((name, i) => {
      const info = outs[i];
      if (!name || !info) return;
      known.set(name, info);
      if (!graph.valueInfo.has(name))
        graph.valueInfo.set(name, { name, dtype: info.dtype, shape: [...info.shape] });
    });
  }
}
