/**
 * `tfjsToOnnx`: a TF.js model (LayersModel or GraphModel) on disk or in memory → ONNX bytes,
 * through the importers and core's ONNX exporter.
 * @module
 */
import { graphToOnnx, type OnnxExportOptions } from '@ocular/core';
import { ImportError } from '../errors.js';
import { importTfjsGraphModel, type TfjsGraphImportOptions } from '../tfjs-graph/import.js';
import type { TfjsWeightData } from '../tfjs-weights/decode.js';
import { parseTfjsModelJson } from '../tfjs-weights/model-json.js';
import { readTfjsModelFiles } from '../tfjs-weights/node.js';
import type { TfjsModelJson } from '../tfjs-weights/types.js';
import { type ImportTfjsLayersOptions, importTfjsLayersModel } from './import.js';

/** A TF.js model in memory: its `model.json` and weight bytes. */
export interface TfjsModelSource {
  /** `model.json` as text, bytes or a parsed object. */
  modelJson: string | Uint8Array | object;
  /** Shard bytes: one buffer per manifest path, or all shards concatenated. */
  weights: TfjsWeightData;
}

/** Options of {@link tfjsToOnnx}. */
export interface TfjsToOnnxOptions {
  /** Options for LayersModels. */
  layers?: ImportTfjsLayersOptions;
  /** Options for GraphModels. */
  graph?: TfjsGraphImportOptions;
  /** ONNX writer options (producer name, doc string...). */
  onnx?: OnnxExportOptions;
}

/** `layers-model` or `graph-model`, from the `format` field or the topology's shape. */
export function tfjsModelFormat(json: TfjsModelJson): 'layers-model' | 'graph-model' {
  if (json.format === 'layers-model' || json.format === 'graph-model') return json.format;
  const topo = json.modelTopology as Record<string, unknown>;
  if (Array.isArray(topo.node)) return 'graph-model';
  if (typeof topo.class_name === 'string' || typeof topo.model_config === 'object') return 'layers-model';
  throw new ImportError('model.json is neither a LayersModel (Keras config) nor a GraphModel (GraphDef)', {
    details: { format: json.format },
  });
}

/**
 * Converts a TF.js model to an ONNX file (weights embedded; NHWC inputs/outputs kept unless the
 * options ask for NCHW).
 *
 * @param source the path of `model.json` (shards read relative to it; Node only) or the model in memory
 * @param options per-format import options and ONNX writer options
 * @returns the ONNX model bytes
 * @throws ImportError for malformed or unsupported models (see the importers)
 */
export async function tfjsToOnnx(
  source: string | TfjsModelSource,
  options: TfjsToOnnxOptions = {},
): Promise<Uint8Array> {
  let json: TfjsModelJson;
  let weights: TfjsWeightData;
  if (typeof source === 'string') {
    const files = await readTfjsModelFiles(source);
    json = files.modelJson;
    weights = files.shards;
  } else {
    json = parseTfjsModelJson(source.modelJson);
    weights = source.weights;
  }
  const graph =
    tfjsModelFormat(json) === 'layers-model'
      ? importTfjsLayersModel(json, weights, options.layers).graph
      : importTfjsGraphModel(json, weights, options.graph).graph;
  return graphToOnnx(graph, options.onnx);
}
