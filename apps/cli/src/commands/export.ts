/**
 * `ocular export <model> -o file.onnx [--weights file.safetensors]`: traces a registered model
 * with a dynamic batch and writes ONNX (weights embedded, metadata: name, mean/std, input size,
 * classes). The file is then opened with onnxruntime-node and checked against the reference
 * backend, unless `--skip-verify`. `--from model.json` converts a TF.js model instead.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { compileOnnx, nodeBackend } from '@ocular/backend-node';
import { getBackend, graphToOnnx, prepareGraphForOrt, Tensor } from '@ocular/core';
import { compareTensors, defaultTolerance, mulberry32, uniform } from '@ocular/core/testing';
import {
  importTfjsGraphModel,
  importTfjsLayersModel,
  readTfjsModelFiles,
  tfjsModelFormat,
} from '@ocular/import';
import { flag, stringOption, UsageError } from '../args.js';
import { type Command, ExitCode, JSON_OPTION } from '../context.js';
import { fmt } from '../io.js';
import { isOnnxPath, loadGraph, parseInputSize } from '../model-source.js';

/** What `--verify` found. */
export interface ExportCheck {
  readonly verified: boolean;
  /** Why the file was not checked (node backend unavailable, --skip-verify). */
  readonly reason: string | null;
  /** Largest |onnxruntime - reference| over the outputs on a seeded random batch of 1. */
  readonly maxAbsDiff: number | null;
  readonly agrees: boolean | null;
}

/** The `export` command. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'export a registered model to ONNX (dynamic batch, weights and metadata embedded)',
  usage:
    'export <model> -o <file.onnx> [--weights <file.safetensors>] [--input-size <h[xw]>] [--skip-verify] [--json]\n       export --from <model.json> -o <file.onnx> [--skip-verify] [--json]',
  options: {
    from: {
      type: 'string',
      valueName: '<model.json>',
      description: 'convert a TF.js LayersModel or GraphModel (model.json beside its weight shards) instead',
    },
    output: {
      type: 'string',
      short: 'o',
      valueName: '<file.onnx>',
      description: 'where to write the ONNX file',
    },
    weights: {
      type: 'string',
      valueName: '<file.safetensors>',
      description: 'weights to load into the model (strict)',
    },
    'input-size': {
      type: 'string',
      valueName: '<h[xw]>',
      description: 'trace at this resolution (default: the model default)',
    },
    'skip-verify': { type: 'boolean', description: 'do not open the file with onnxruntime-node to check it' },
    json: JSON_OPTION,
  },
  async run(args, ctx) {
    const from = stringOption(args, 'from');
    const spec = from ?? args.positionals[0];
    if (!spec)
      throw new UsageError('which model? (a registered name such as demo/tiny_cnn, or --from model.json)');
    if (from && args.positionals.length) throw new UsageError('give either a model name or --from, not both');
    if (isOnnxPath(spec)) throw new UsageError('export takes a registered model name, not an .onnx file');
    const out = stringOption(args, 'output');
    if (!out) throw new UsageError('-o <file.onnx> is required');
    const sizeArg = stringOption(args, 'input-size');
    const inputSize = parseInputSize(sizeArg);
    if (sizeArg !== undefined && !inputSize)
      throw new UsageError(`--input-size must look like 224 or 224x192, got '${sizeArg}'`);
    const weights = stringOption(args, 'weights');
    if (from && (weights || inputSize))
      throw new UsageError('--weights and --input-size apply to registered models, not --from');
    const graph = from ? await importTfjs(from) : (await loadGraph(spec, { weights, inputSize })).graph;
    // The declared opset is raised to what each op's IR form needs (GroupNormalization: 21) and
    // dilated SAME convolutions get explicit pads: both keep the graph's meaning in any runtime.
    const prepared = prepareGraphForOrt(graph).graph;
    const bytes = graphToOnnx(prepared, { dynamicBatch: true, producerName: 'ocular' });
    await writeFile(out, bytes);
    const check = flag(args, 'skip-verify') ? skipped('--skip-verify') : await verify(bytes, graph);
    const result = {
      command: 'export',
      schemaVersion: 1,
      model: spec,
      output: out,
      bytes: bytes.byteLength,
      opset: Math.max(prepared.opset, 17),
      weights: weights ?? null,
      inputs: graph.inputs,
      outputs: graph.outputs,
      metadata: graph.metadata,
      check,
    };
    if (flag(args, 'json')) ctx.json(result);
    else {
      ctx.out(
        `wrote ${out} (${bytes.byteLength} bytes) from ${spec}${from ? '' : weights ? ` with weights ${weights}` : ' (initial weights)'}`,
      );
      ctx.out(
        check.verified
          ? `onnxruntime-node loads it; outputs ${check.agrees ? 'agree' : 'DISAGREE'} with the reference backend (max abs diff ${fmt(check.maxAbsDiff!)})`
          : `not checked with onnxruntime: ${check.reason}`,
      );
    }
    return check.verified && !check.agrees ? ExitCode.CHECK_FAILED : ExitCode.OK;
  },
};

/** Imports a TF.js model (LayersModel or GraphModel) from its model.json and shards. */
async function importTfjs(path: string) {
  const { modelJson, shards } = await readTfjsModelFiles(path);
  return tfjsModelFormat(modelJson) === 'layers-model'
    ? importTfjsLayersModel(modelJson, shards).graph
    : importTfjsGraphModel(modelJson, shards).graph;
}

function skipped(reason: string): ExportCheck {
  return { verified: false, reason, maxAbsDiff: null, agrees: null };
}

/** Runs the written bytes on onnxruntime-node and the traced graph on the reference backend. */
async function verify(bytes: Uint8Array, graph: Parameters<typeof graphToOnnx>[0]): Promise<ExportCheck> {
  const support = await nodeBackend.isSupported();
  if (!support.ok) return skipped(`the node backend is not available: ${support.reason}`);
  const reference = getBackend('reference');
  if (!reference) return skipped('the reference backend is not registered');
  const random = mulberry32(0);
  const feeds: Record<string, Tensor> = {};
  for (const v of graph.inputs) {
    if (graph.initializers.has(v.name)) continue;
    // Symbolic sizes: batch 1, other dims 32 (an image-sized input for fully convolutional models).
    const dims = v.shape.map((d, i) => (typeof d === 'number' ? d : i === 0 ? 1 : 32));
    if (v.dtype !== 'float32')
      return skipped(`input '${v.name}' is ${v.dtype}; only float32 inputs are generated`);
    feeds[v.name] = Tensor.from(
      'float32',
      uniform(
        random,
        dims.reduce((a, b) => a * b, 1),
        -1,
        1,
      ),
      dims,
    );
  }
  const ort = await compileOnnx(bytes);
  const ref = await reference.compile(graph);
  try {
    const [got, want] = await Promise.all([ort.run(feeds), ref.run(feeds)]);
    let maxAbsDiff = 0;
    let agrees = true;
    for (const o of graph.outputs) {
      const c = compareTensors(got[o.name]!, want[o.name]!, defaultTolerance('node'));
      maxAbsDiff = Math.max(maxAbsDiff, c.maxAbsError);
      agrees &&= c.ok;
    }
    return { verified: true, reason: null, maxAbsDiff, agrees };
  } finally {
    await Promise.all([ort.dispose(), ref.dispose()]);
  }
}
