/**
 * `importTfjsLayersModel`: a TF.js LayersModel (Keras model config + weight shards) becomes an
 * Ocular graph in NCHW with weights rearranged once at import.
 * @module
 */
import {
  type Dim,
  type DType,
  type Graph,
  isDType,
  type SymbolicTensor,
  type Tensor,
  Tracer,
} from '@ocular/core';
import { ImportError } from '../errors.js';
import { optimizeTransposes, type TransposeOptimizeResult } from '../passes/transposes.js';
import { decodeTfjsWeights, type TfjsWeightData } from '../tfjs-weights/decode.js';
import { parseTfjsModelJson } from '../tfjs-weights/model-json.js';
import type { TfjsModelJson } from '../tfjs-weights/types.js';
import { LayerContext, type LayerConverter } from './context.js';
import { TO_NCHW, TO_NHWC } from './layout.js';
import { LAYER_CONVERTERS } from './registry.js';
import { flattenTopology, tensorKey } from './topology.js';
import type { FlatTopology, KerasLayerJson } from './types.js';

/** Options of {@link importTfjsLayersModel}. */
export interface ImportTfjsLayersOptions {
  /**
   * Layout of the graph's rank-4 inputs and outputs: `'nhwc'` (default) keeps the model's own
   * layout (a Transpose at each end); `'nchw'` exposes the internal layout.
   */
  layout?: 'nhwc' | 'nchw';
  /**
   * Fixed Keras-order shapes per input name (`[batch, height, width, channels]`); `null` entries
   * keep the model's dim. Unknown dims become symbolic names `<input>_<axis>` (`batch` for axis 0).
   */
  inputShapes?: Readonly<Record<string, readonly (number | null)[]>>;
  /** Converters for custom layer classes (e.g. a registered pixel-shuffle layer), by class name. */
  customLayers?: Readonly<Record<string, LayerConverter>>;
  /** Graph name (default: the model's name). */
  name?: string;
  /**
   * Run the transpose pass after import (default true): merges the NHWC↔NCHW Transposes that
   * Reshape/Flatten/Dense/Permute chains leave back to back, and folds constant ones.
   */
  optimize?: boolean;
}

/** Describes one graph input or output. */
export interface ImportedValue {
  /** Value name in the graph (the Keras layer name). */
  name: string;
  /** Element type. */
  dtype: DType;
  /** Shape in the graph's external layout. */
  shape: Dim[];
  /** External layout of the value: `nhwc`/`nchw` for rank 4, `keras` for other ranks. */
  layout: 'nhwc' | 'nchw' | 'keras';
}

/** What the import did. */
export interface TfjsLayersImportReport {
  /** `Functional`, `Model` or `Sequential`. */
  modelClass: string;
  /** Keras version that wrote the file, when recorded. */
  kerasVersion?: string;
  /** Number of layer calls converted (InputLayers excluded). */
  layerCalls: number;
  /** Layer calls by Keras class. */
  layerClasses: Record<string, number>;
  /** Graph nodes by op type. */
  opCounts: Record<string, number>;
  /** Number of weight values (sum of weight sizes used). */
  parameters: number;
  /** Manifest weights no layer used (e.g. optimizer state). */
  unusedWeights: string[];
  /** What the transpose pass did (absent with `optimize: false`). */
  transposePass?: TransposeOptimizeResult;
}

/** Result of {@link importTfjsLayersModel}. */
export interface TfjsLayersImport {
  /** The Ocular graph (ONNX ops, NCHW inside). */
  graph: Graph;
  /** Graph inputs in model order. */
  inputs: ImportedValue[];
  /** Graph outputs in model order. */
  outputs: ImportedValue[];
  /** Import statistics. */
  report: TfjsLayersImportReport;
}

/** Every layer class the converters (built-in and custom) do not know, with the layers using it. */
function unsupported(
  topo: FlatTopology,
  converters: Readonly<Record<string, LayerConverter>>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of topo.calls) {
    const cls = c.layer.class_name;
    if (Object.hasOwn(converters, cls)) continue;
    const layers = out[cls] ?? [];
    if (!layers.includes(c.name)) layers.push(c.name);
    out[cls] = layers;
  }
  return out;
}

/** Declares one model input and returns its stored (NCHW for rank 4) value. */
function declareInput(
  tracer: Tracer,
  layer: KerasLayerJson,
  options: ImportTfjsLayersOptions,
): { stored: SymbolicTensor; info: ImportedValue } {
  const name = String(layer.config.name ?? layer.name);
  const cfg = layer.config;
  const declared = (cfg.batch_input_shape ?? cfg.batch_shape ?? cfg.batchInputShape) as
    | (number | null)[]
    | undefined;
  if (!Array.isArray(declared)) {
    throw new ImportError(`input layer '${name}' declares no batch_input_shape`, {
      details: { layer: name },
    });
  }
  const override = options.inputShapes?.[name];
  if (override && override.length !== declared.length) {
    throw new ImportError(
      `inputShapes['${name}'] has rank ${override.length}, the model's input has rank ${declared.length}`,
      {
        details: { layer: name },
      },
    );
  }
  const shape: Dim[] = declared.map((d, i) => {
    const o = override?.[i];
    if (o !== undefined && o !== null) {
      if (d !== null && d !== o) {
        throw new ImportError(`inputShapes['${name}'][${i}] = ${o} conflicts with the model's fixed ${d}`, {
          details: { layer: name },
        });
      }
      return o;
    }
    return d ?? (i === 0 ? 'batch' : `${name}_${i}`);
  });
  const dtype = String(cfg.dtype ?? 'float32');
  if (!isDType(dtype)) throw new ImportError(`input layer '${name}' has unsupported dtype '${dtype}'`);
  const nchw = options.layout === 'nchw';
  if (shape.length !== 4) {
    const t = tracer.input(name, dtype, shape);
    return { stored: t, info: { name, dtype, shape, layout: 'keras' } };
  }
  if (nchw) {
    const s = TO_NCHW.map((i) => shape[i]!);
    return { stored: tracer.input(name, dtype, s), info: { name, dtype, shape: s, layout: 'nchw' } };
  }
  const t = tracer.input(name, dtype, shape);
  const stored = tracer.emit('Transpose', [t], { perm: TO_NCHW }, { name: `${name}_to_nchw` })[0]!;
  return { stored, info: { name, dtype, shape, layout: 'nhwc' } };
}

/**
 * Imports a TF.js LayersModel into an Ocular graph.
 *
 * Keras NHWC tensors are stored NCHW inside the graph; kernels are rearranged once at import
 * (Conv2D HWIO → OIHW, depthwise → grouped OIHW, Conv2DTranspose → IOHW), TF 'same' padding
 * becomes explicit (asymmetric) pads, and Reshape/Flatten/Dense see the NHWC order Keras uses.
 *
 * @param modelJson `model.json` (text, bytes or parsed object) of a LayersModel
 * @param weightShards the shard bytes: one buffer with all shards concatenated in manifest order,
 *   or one buffer per shard path
 * @param options external layout, fixed input shapes, custom layer converters
 * @returns the graph, its inputs and outputs, and a report
 * @throws ImportError for malformed JSON or weights, a missing weight, or unsupported layers —
 *   the latter ONE error listing every unsupported class with its layers (`details.unsupported`:
 *   class name → layer names)
 */
export function importTfjsLayersModel(
  modelJson: string | Uint8Array | TfjsModelJson | object,
  weightShards: TfjsWeightData,
  options: ImportTfjsLayersOptions = {},
): TfjsLayersImport {
  const json = parseTfjsModelJson(modelJson);
  const topo = flattenTopology(json.modelTopology);
  const converters = { ...LAYER_CONVERTERS, ...options.customLayers };
  const missing = unsupported(topo, converters);
  if (Object.keys(missing).length > 0) {
    const list = Object.entries(missing).map(([cls, layers]) => `${cls} (${layers.join(', ')})`);
    throw new ImportError(`unsupported layer classes: ${list.join('; ')}`, {
      details: { unsupported: missing },
    });
  }
  const weights = decodeTfjsWeights(json.weightsManifest, weightShards);
  const tracer = new Tracer(options.name ?? topo.name);
  const values = new Map<string, SymbolicTensor>();
  const used = new Set<string>();
  const cache = new Map<string, Tensor>();
  const inputs: ImportedValue[] = [];
  for (const layer of topo.inputs) {
    const { stored, info } = declareInput(tracer, layer, options);
    values.set(tensorKey(info.name, 0, 0), stored);
    inputs.push(info);
  }
  const layerClasses: Record<string, number> = {};
  for (const call of topo.calls) {
    const cls = call.layer.class_name;
    layerClasses[cls] = (layerClasses[cls] ?? 0) + 1;
    const xs = call.inputs.map((k) => {
      const v = values.get(k);
      if (!v)
        throw new ImportError(`layer '${call.name}' consumes '${k}', which no layer produced`, {
          details: { layer: call.name },
        });
      return v;
    });
    const ctx = new LayerContext(tracer, cls, call.name, call.layer.config, weights, used, cache);
    const ys = converters[cls]!(ctx, xs);
    ys.forEach((y, i) => {
      values.set(tensorKey(call.name, call.node, i), y);
    });
  }
  const outputs: ImportedValue[] = [];
  const taken = new Set(inputs.map((i) => i.name));
  topo.outputs.forEach((key, i) => {
    let v = values.get(key)!;
    const base = key.split(':')[0]!;
    const name = taken.has(base) ? `${base}_output_${i}` : base;
    taken.add(name);
    let layout: ImportedValue['layout'] = 'keras';
    if (v.rank === 4) {
      layout = options.layout === 'nchw' ? 'nchw' : 'nhwc';
      if (layout === 'nhwc')
        v = tracer.emit('Transpose', [v], { perm: TO_NHWC }, { name: `${name}_to_nhwc` })[0]!;
    }
    tracer.output(name, v);
    outputs.push({ name, dtype: v.dtype, shape: [...v.shape], layout });
  });
  const graph = tracer.graph;
  const transposePass = options.optimize === false ? undefined : optimizeTransposes(graph);
  const opCounts: Record<string, number> = {};
  for (const n of graph.nodes) opCounts[n.opType] = (opCounts[n.opType] ?? 0) + 1;
  let parameters = 0;
  for (const n of used) parameters += weights.get(n)!.size;
  return {
    graph,
    inputs,
    outputs,
    report: {
      modelClass: topo.modelClass,
      ...(topo.kerasVersion !== undefined ? { kerasVersion: topo.kerasVersion } : {}),
      layerCalls: topo.calls.length,
      layerClasses,
      opCounts,
      parameters,
      unusedWeights: [...weights.keys()].filter((n) => !used.has(n)),
      ...(transposePass !== undefined ? { transposePass } : {}),
    },
  };
}
