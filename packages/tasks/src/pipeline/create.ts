/**
 * Building pipelines: from a registered task network, a foreign ONNX model with a declared
 * decoder, or a backbone + neck + head composed from the registry (serialisable configs).
 * @module
 */
import type {
  Backend,
  Decoder,
  Graph,
  HeadFactory,
  NeckFactory,
  TaskModule,
  TaskName,
  WeightsSource,
} from '@ocular/core';
import {
  ComposedTaskModel,
  createModel,
  DecodeError,
  type FeatureBackbone,
  getHead,
  getModelInfo,
  InvalidArgumentError,
  isTaskModule,
  RegistryError,
  readOnnxModel,
  resolveBackend,
} from '@ocular/core';
import { recommendedTiling, type SuperResolutionNet, upscaleTiled } from '../sr/index.js';
import { type PipelineDecoderConfig, pipelineDecoder } from './decoder-config.js';
import { Pipeline, type PipelineParts } from './pipeline.js';
import type { PreprocessConfig } from './preprocess.js';
import { defaultTaskPreset, findTaskPreset, type TaskPreset } from './presets.js';
import { GraphRunner, type ModelRunner, ModuleRunner } from './runner.js';

/** Options shared by every way of building a pipeline. */
export interface PipelineCommonOptions {
  /** Backend preference list (`'webgpu,wasm'` or `['node', 'wasm']`); default: all registered by priority. */
  readonly backend?: string | readonly string[];
  /** Class labels by id (default: the registered model's). */
  readonly labels?: readonly string[];
  /** Overrides of the pre-processing. */
  readonly preprocess?: PreprocessConfig;
}

/** Tiling of super-resolution runs (see `upscaleTiled`). */
export interface TileConfig {
  /** Tile size in input pixels; images no larger than this run whole (default 256). */
  readonly size?: number;
  /** Overlap of neighbouring tiles in input pixels (default: exact for the network, 4 × its receptive radius). */
  readonly overlap?: number;
  /** Zero-weight border of inner tile edges (default: the network's receptive radius). */
  readonly margin?: number;
}

/** Options of {@link pipeline}. */
export interface PipelineOptions extends PipelineCommonOptions {
  /** Super-resolution: how large images are split into tiles. */
  readonly tile?: TileConfig;
  /**
   * The network: a task preset (`ocular/nanodet`) or registered task-model name
   * (`ocular/ssdlite320_mobilenet_v3_large`), an ONNX file path (Node) or ONNX bytes, or a
   * {@link TaskModule} built in code. Omitted: the task's default preset.
   */
  readonly model: string | Uint8Array | ArrayBuffer | TaskModule;
  /** Weights of a registered model (safetensors bytes, path or state dict); without them it is untrained. */
  readonly weights?: WeightsSource;
  /** How to read a foreign model's outputs (required for ONNX models). */
  readonly decoder?: Decoder | PipelineDecoderConfig;
}

/** A backbone, neck or head picked from the registry. */
export interface ComponentConfig {
  readonly name: string;
  readonly config?: Readonly<Record<string, unknown>>;
}

/** Serialisable description of a composed pipeline (see {@link createPipeline}). */
export interface ComposedPipelineConfig extends PipelineCommonOptions {
  readonly task: TaskName;
  /** A registered backbone, built features-only. */
  readonly backbone: {
    readonly name: string;
    readonly outIndices?: readonly number[];
    readonly kwargs?: Readonly<Record<string, unknown>>;
  };
  /** A registered neck (head entry with task `neck`), e.g. `fpn`. */
  readonly neck?: ComponentConfig;
  /** A registered head for `task`. */
  readonly head: ComponentConfig & { readonly numClasses?: number };
  /** Weights of the whole composed network (keys `backbone.*`, `neck.*`, `head.*`). */
  readonly weights?: WeightsSource;
  /** Input `[height, width]` (default: the backbone's default input size). */
  readonly inputSize?: readonly [number, number];
}

function preferenceList(backend?: string | readonly string[]): string[] | undefined {
  if (backend === undefined) return undefined;
  const list = typeof backend === 'string' ? backend.split(',') : [...backend];
  const names = list.map((s) => s.trim()).filter(Boolean);
  return names.length ? names : undefined;
}

function checkTask(task: TaskName, decoder: Decoder, what: string): void {
  if (decoder.task !== task)
    throw new InvalidArgumentError(`${what} decodes ${decoder.task} results; the pipeline's task is ${task}`);
}

async function backendFor(options: PipelineCommonOptions) {
  return resolveBackend(preferenceList(options.backend));
}

function modulePipeline<R>(
  task: TaskName,
  module: TaskModule<R>,
  backend: Backend,
  resolved: { attempts: Pipeline['attempts']; fellBack: boolean },
  info: {
    name: string;
    labels?: readonly string[];
    preprocess: PreprocessConfig;
    untrained: boolean;
    tile?: TileConfig;
  },
): Pipeline<R> {
  checkTask(task, module, `model ${info.name}`);
  const runner = new ModuleRunner(module, backend, info.name);
  return new Pipeline<R>({
    infer:
      task === 'super-resolution'
        ? tiledInfer(
            runner,
            module.outputNames[0] ?? 'output',
            info.tile,
            module as Partial<SuperResolutionNet>,
          )
        : undefined,
    task,
    model: info.name,
    runner,
    decoder: module,
    preprocess: info.preprocess,
    labels: info.labels,
    backend: backend.name,
    attempts: resolved.attempts,
    fellBack: resolved.fellBack,
    untrained: info.untrained,
  });
}

/** Default tile size of super-resolution runs, in input pixels. */
export const DEFAULT_SR_TILE = 256;

/**
 * Inference of a super-resolution network: whole when the image fits one tile, otherwise tiled
 * with feathered blending (exact when the overlap covers the receptive field), with progress per
 * tile and cancellation between tiles.
 */
function tiledInfer(
  runner: ModelRunner & { readonly name?: string },
  outputName: string,
  tile: TileConfig = {},
  net?: Partial<SuperResolutionNet>,
): PipelineParts<unknown>['infer'] {
  // A graph compiled at a fixed size takes tiles of exactly that size.
  const size = runner.fixedSize ? Math.min(...runner.fixedSize) : (tile.size ?? DEFAULT_SR_TILE);
  return async (input, options) => {
    const [, , h, w] = input.dims as [number, number, number, number];
    const fits = runner.fixedSize
      ? h === runner.fixedSize[0] && w === runner.fixedSize[1]
      : h <= size && w <= size;
    if (fits) return runner.run(input, options.signal);
    // Exact for the built-in networks (their receptive field is known); a foreign network gets
    // a generous default overlap, or the preset's / caller's.
    const rec = net?.receptiveField
      ? recommendedTiling(net as SuperResolutionNet)
      : { overlap: tile.overlap ?? DEFAULT_FOREIGN_OVERLAP, margin: tile.margin, align: 1 };
    const output = await upscaleTiled(
      input,
      async (t) => {
        const out = (await runner.run(t, options.signal))[outputName];
        if (!out) throw new DecodeError(`${runner.name ?? 'the network'}: no '${outputName}' output`);
        return out;
      },
      {
        tileSize: size,
        overlap: tile.overlap ?? rec.overlap,
        margin: tile.margin ?? rec.margin,
        align: rec.align,
        signal: options.signal,
        onProgress: (p) => options.onProgress?.({ stage: 'inference', ...p }),
      },
    );
    return { [outputName]: output };
  };
}

/** Tile overlap (input pixels) for foreign super-resolution graphs of unknown receptive field. */
export const DEFAULT_FOREIGN_OVERLAP = 32;

/** The default pre-processing of a task for a model with this input size, mean and std. */
export function taskPreprocess(
  task: TaskName,
  size: readonly [number, number] | undefined,
  mean: readonly number[],
  std: readonly number[],
): PreprocessConfig {
  if (task === 'super-resolution') return { mean, std };
  return { size, resize: task === 'classification' ? 'stretch' : 'letterbox', mean, std };
}

async function readModelBytes(model: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  try {
    return new Uint8Array(await readFile(model));
  } catch (e) {
    throw new InvalidArgumentError(`cannot read the model file ${model}: ${(e as Error).message}`);
  }
}

function metadataPreprocess(graph: Graph, task: TaskName): PreprocessConfig {
  const parse = (k: string) => {
    const v = graph.metadata[k];
    try {
      return v ? (JSON.parse(v) as number[]) : undefined;
    } catch {
      return undefined;
    }
  };
  const size = parse('ocular.input_size');
  return taskPreprocess(
    task,
    size ? [size[1]!, size[2]!] : undefined,
    parse('ocular.mean') ?? [0, 0, 0],
    parse('ocular.std') ?? [1, 1, 1],
  );
}

/**
 * A pipeline for `task` from a registered preset or task network, a foreign ONNX model (with
 * `decoder`) or a task module built in code; without `model`, the task's default preset (the
 * embedded defaults of `@ocular/models` once registered).
 */
export async function pipeline<R = unknown>(
  task: TaskName,
  options: Partial<PipelineOptions> = {},
): Promise<Pipeline<R>> {
  const { model } = options;
  if (model === undefined) return presetPipeline<R>(task, defaultTaskPreset(task), options);
  if (typeof model === 'string' && !/\.onnx$/i.test(model)) {
    const preset = findTaskPreset(model);
    if (preset) return presetPipeline<R>(task, preset, options);
    const info = getModelInfo(model);
    if (!info.task)
      throw new RegistryError(
        `${info.name} is not a task network (it is a ${info.family} model); compose it as a backbone with createPipeline({ backbone, head })`,
      );
    const resolved = await backendFor(options);
    const created = await createModel(
      model,
      options.weights !== undefined ? { weights: options.weights } : {},
    );
    if (!isTaskModule(created.module))
      throw new RegistryError(`${info.name} is registered for ${info.task} but its module has no decoder`);
    const [, h, w] = info.defaultInputSize;
    return modulePipeline<R>(task, created.module as TaskModule<R>, resolved.backend, resolved, {
      name: created.name,
      labels: options.labels ?? info.labels,
      preprocess: {
        ...taskPreprocess(task, [h, w], info.mean, info.std),
        ...info.preprocess,
        ...options.preprocess,
      },
      untrained: options.weights === undefined,
      tile: options.tile,
    });
  }
  if (typeof model === 'object' && !(model instanceof Uint8Array) && !(model instanceof ArrayBuffer)) {
    if (!isTaskModule(model))
      throw new InvalidArgumentError(
        'pipeline: `model` object is not a TaskModule (no decode/task/outputNames)',
      );
    const resolved = await backendFor(options);
    return modulePipeline<R>(task, model as TaskModule<R>, resolved.backend, resolved, {
      name: model.constructor.name,
      labels: options.labels,
      preprocess: options.preprocess ?? taskPreprocess(task, undefined, [0, 0, 0], [1, 1, 1]),
      untrained: false,
      tile: options.tile,
    });
  }
  // A foreign ONNX model.
  if (!options.decoder)
    throw new InvalidArgumentError(
      `pipeline('${task}'): a foreign model needs \`decoder\` (e.g. { type: 'yolov8' }, { type: 'segmentation' }, { type: 'image' })`,
    );
  const bytes =
    typeof model === 'string'
      ? await readModelBytes(model)
      : model instanceof ArrayBuffer
        ? new Uint8Array(model)
        : model;
  const graph = readOnnxModel(bytes as Uint8Array);
  return graphPipeline<R>(task, graph, {
    name: typeof model === 'string' ? model : graph.name || 'onnx-model',
    decoder: options.decoder,
    preprocess: { ...metadataPreprocess(graph, task), ...options.preprocess },
    labels: options.labels,
    options,
    tile: options.tile,
  });
}

/**
 * A decoder reading one output by a default name (`output`) from a graph with exactly one output
 * of another name (Keras layer names, TF tensor names) reads that output.
 */
function singleOutputAlias(runner: GraphRunner, graph: Graph, decoder: Decoder): ModelRunner {
  const [wanted] = decoder.outputNames;
  const [only] = graph.outputs;
  if (
    decoder.outputNames.length !== 1 ||
    graph.outputs.length !== 1 ||
    !wanted ||
    !only ||
    only.name === wanted
  )
    return runner;
  return {
    fixedSize: runner.fixedSize,
    get compileMs() {
      return runner.compileMs;
    },
    run: async (input, signal) => ({ [wanted]: (await runner.run(input, signal))[only.name]! }),
    dispose: () => runner.dispose(),
  };
}

/** A pipeline around a graph compiled once, decoded by a declared decoder. */
async function graphPipeline<R>(
  task: TaskName,
  graph: Graph,
  info: {
    name: string;
    decoder: Decoder | PipelineDecoderConfig;
    preprocess: PreprocessConfig;
    labels?: readonly string[];
    options: PipelineCommonOptions;
    tile?: TileConfig;
  },
): Promise<Pipeline<R>> {
  const decoder = pipelineDecoder(info.decoder);
  checkTask(task, decoder, 'the decoder');
  const resolved = await backendFor(info.options);
  const runner = singleOutputAlias(await GraphRunner.create(graph, resolved.backend), graph, decoder);
  return new Pipeline<R>({
    infer:
      task === 'super-resolution'
        ? tiledInfer(runner, decoder.outputNames[0] ?? 'output', info.tile)
        : undefined,
    task,
    model: info.name,
    runner,
    decoder: decoder as Decoder<R>,
    preprocess: info.preprocess,
    labels: info.labels,
    backend: resolved.backend.name,
    attempts: resolved.attempts,
    fellBack: resolved.fellBack,
    untrained: false,
  });
}

/** A pipeline from a registered preset (its network, pre-processing, labels and decoder). */
async function presetPipeline<R>(
  task: TaskName,
  preset: TaskPreset,
  options: Partial<PipelineOptions>,
): Promise<Pipeline<R>> {
  if (preset.task !== task)
    throw new InvalidArgumentError(
      `task preset ${preset.name} is for ${preset.task}, the pipeline's task is ${task}`,
    );
  const net = await preset.load();
  const labels = options.labels ?? preset.labels;
  const preprocess = { ...preset.preprocess, ...options.preprocess };
  if (net.module) {
    const resolved = await backendFor(options);
    return modulePipeline<R>(task, net.module as TaskModule<R>, resolved.backend, resolved, {
      name: preset.name,
      labels,
      preprocess,
      untrained: false,
      tile: { ...preset.tile, ...options.tile },
    });
  }
  if (!preset.decoder && !options.decoder)
    throw new RegistryError(`task preset ${preset.name} loads a graph but declares no decoder`);
  return graphPipeline<R>(task, net.graph, {
    name: preset.name,
    decoder: (options.decoder ?? preset.decoder)!,
    preprocess,
    labels,
    options,
    tile: { ...preset.tile, ...options.tile },
  });
}

/**
 * A pipeline from a backbone, an optional neck and a head picked from the registry; the three
 * compile into one graph and one session. Necks and heads get their input channels from the
 * backbone's `featureInfo`.
 */
export async function createPipeline<R = unknown>(config: ComposedPipelineConfig): Promise<Pipeline<R>> {
  const info = getModelInfo(config.backbone.name);
  const backbone = await createModel(config.backbone.name, {
    featuresOnly: true,
    outIndices: config.backbone.outIndices,
    kwargs: config.backbone.kwargs,
  });
  let featureInfo = backbone.featureInfo;
  let neck: Awaited<ReturnType<NeckFactory>> | undefined;
  if (config.neck) {
    const entry = getHead(config.neck.name);
    if (entry.task !== 'neck')
      throw new RegistryError(`${config.neck.name} is a ${entry.task} head, not a neck`);
    const factory = (await entry.load()) as NeckFactory;
    neck = await factory({ featureInfo, config: config.neck.config });
    featureInfo = neck.featureInfo;
  }
  const headEntry = getHead(config.head.name);
  if (headEntry.task !== config.task)
    throw new RegistryError(
      `head ${config.head.name} is for ${headEntry.task}, the pipeline's task is ${config.task}`,
    );
  const headFactory = (await headEntry.load()) as HeadFactory;
  const head = await headFactory({
    featureInfo,
    numClasses: config.head.numClasses,
    config: config.head.config,
  });
  const module = new ComposedTaskModel({ backbone: backbone.module as FeatureBackbone, neck, head });
  if (config.weights !== undefined) {
    const { loadWeights } = await import('./weights.js');
    await loadWeights(module, config.weights);
  }
  const resolved = await backendFor(config);
  const [, dh, dw] = info.defaultInputSize;
  const size = config.inputSize ?? [dh, dw];
  const name = `${info.name}${config.neck ? `+${config.neck.name}` : ''}+${config.head.name}`;
  return modulePipeline<R>(config.task, module as TaskModule<R>, resolved.backend, resolved, {
    name,
    labels: config.labels,
    preprocess: {
      ...taskPreprocess(config.task, size, info.mean, info.std),
      ...info.preprocess,
      ...config.preprocess,
    },
    untrained: config.weights === undefined,
  });
}
