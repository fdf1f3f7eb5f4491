/**
 * The shapes of plugins and model entries. Everything a listing needs is plain data; model code
 * is behind `load()` and only imported when a model is created.
 * @module
 */
import type { Backend } from '../backend/contract.js';
import type { Module } from '../nn/module.js';
import type { StateDictSource, TensorSource } from '../nn/state-dict.js';
import type { TaskName } from '../tasks/types.js';

/**
 * How a model's training recipe prepared images, beyond mean and std: pipelines follow it so a
 * model sees inputs as it was trained (a letterboxed detector must not get stretched images).
 */
export interface PreprocessHints {
  /** `letterbox` keeps the aspect ratio and pads; `stretch` resizes each axis to the input size. */
  readonly resize?: 'letterbox' | 'stretch';
  readonly interpolation?: 'nearest' | 'bilinear' | 'bicubic' | 'area';
  /** Letterbox padding colour, 0–255 per channel. */
  readonly fill?: readonly number[];
  /** Channel order the model expects. */
  readonly channelOrder?: 'rgb' | 'bgr';
}

/** One feature map a backbone exposes (timm's `feature_info` entry). */
export interface FeatureInfo {
  /** Channels. */
  readonly numChs: number;
  /** Stride relative to the input. */
  readonly reduction: number;
  /** Module path that produces it, e.g. `layer2` or `stages.1`. */
  readonly module: string;
}

/** A named set of weights a model entry knows about (timm's pretrained tag), with overrides. */
export interface ModelVariant {
  /** The tag: `scope/arch.tag` names it (`a1_in1k`, `augreg_in21k_ft_in1k`). */
  readonly tag: string;
  /** Licence of these weights. */
  readonly license?: string;
  readonly description?: string;
  /** Overrides of the entry's defaults for these weights. */
  readonly numClasses?: number;
  readonly defaultInputSize?: readonly [number, number, number];
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

/** Options handed to a model builder. */
export interface ModelBuildOptions {
  /** Full name being created (`scope/arch` or `scope/arch.tag`). */
  readonly name: string;
  readonly arch: string;
  readonly tag?: string;
  readonly numClasses: number;
  readonly inChans: number;
  readonly featuresOnly: boolean;
  readonly outIndices?: readonly number[];
  /** Metadata of the entry (with the variant's overrides applied). */
  readonly info: ModelInfo;
  /** Extra builder arguments (timm's `**kwargs`), passed through untouched. */
  readonly kwargs: Readonly<Record<string, unknown>>;
}

/** Builds a module. */
export type ModelBuilder = (options: ModelBuildOptions) => Module | Promise<Module>;

/** A builder with optional checkpoint mapping and feature information. */
export interface ModelFactoryObject {
  readonly create: ModelBuilder;
  /**
   * Maps a foreign or older checkpoint onto the module's keys (the family's pure
   * `checkpointFilter(dict, model)`), before loading.
   */
  readonly checkpointFilter?: (
    state: TensorSource,
    module: Module,
    options: ModelBuildOptions,
  ) => StateDictSource | Promise<StateDictSource>;
  /** Feature info of a built module (default: the entry's, selected by `outIndices`). */
  readonly featureInfo?: (module: Module, options: ModelBuildOptions) => readonly FeatureInfo[];
}

/** What a model entry's `load()` resolves to. */
export type ModelFactory = ModelBuilder | ModelFactoryObject;

/** A model a plugin registers: metadata (listable without loading code) plus a lazy loader. */
export interface ModelEntry {
  /** Architecture name (`resnet18`); letters, digits, `_` and `-` only. */
  readonly name: string;
  /** Family (`cnn`, `vit`, `hybrid`, ...). */
  readonly family: string;
  /** Known weights, first = default tag. Plain strings are tags without overrides. */
  readonly variants?: readonly (string | ModelVariant)[];
  /** Parameter count of the default configuration (timm's `param_count`). */
  readonly paramCount?: number;
  /**
   * Multiply-accumulates of one image at `defaultInputSize` (Conv, ConvTranspose, MatMul, Gemm;
   * counted as the profiler counts them), so listings need not load model code.
   */
  readonly macs?: number;
  /** `[channels, height, width]`. */
  readonly defaultInputSize: readonly [number, number, number];
  /** Per-channel normalisation of the input. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly numClasses: number;
  /** Licence of the (default) weights. */
  readonly license?: string;
  /** Paper URL or citation. */
  readonly paper?: string;
  /** Free-form tags for filtering (`mobile`, `imagenet`). */
  readonly tags?: readonly string[];
  /**
   * The task of a complete task network (its module is a `TaskModule`); absent for classifiers
   * and backbones.
   */
  readonly task?: TaskName;
  /** Class labels by id, for results (COCO, Pascal VOC, ImageNet names). */
  readonly labels?: readonly string[];
  /** How images are prepared for this model besides mean/std (pipelines read it). */
  readonly preprocess?: PreprocessHints;
  readonly featureInfo?: readonly FeatureInfo[];
  /** State-dict prefix(es) of the classifier (`head.fc`), dropped when `numClasses` changes. */
  readonly classifier?: string | readonly string[];
  /** State-dict prefix of the first conv (`conv1`), adapted when `inChans` changes. */
  readonly firstConv?: string;
  /** Imports the model code. */
  readonly load: () => Promise<ModelFactory>;
}

/** A task head a plugin registers (metadata plus a lazy loader). */
export interface HeadEntry {
  /** Head name (`yolo`, `fpn`); letters, digits, `_` and `-` only. */
  readonly name: string;
  /** Task (`detection`, `segmentation`, ...). */
  readonly task: string;
  readonly description?: string;
  /** Imports the head code; what it resolves to is defined by the task API. */
  readonly load: () => Promise<unknown>;
}

/** What {@link definePlugin} accepts. */
export interface PluginSpec {
  /** Scope of the plugin's names (`scope/arch`); lower-case letters, digits, `.`, `_`, `-`. */
  readonly scope: string;
  /** Plugin (package) name, for messages and listings. */
  readonly name?: string;
  readonly version?: string;
  /** Semver range of `@ocular/core` the plugin works with (`^0.1.0`). */
  readonly coreRange: string;
  readonly models?: readonly ModelEntry[];
  readonly heads?: readonly HeadEntry[];
  readonly backends?: readonly Backend[];
}

/** A validated, frozen plugin. */
export interface Plugin extends PluginSpec {
  readonly models: readonly ModelEntry[];
  readonly heads: readonly HeadEntry[];
  readonly backends: readonly Backend[];
}

/** Metadata of a registered model (no code loaded). */
export interface ModelInfo {
  /** `scope/arch`. */
  readonly name: string;
  readonly scope: string;
  readonly arch: string;
  /** The tag when one was asked for (or the default tag). */
  readonly tag?: string;
  readonly family: string;
  /** Known weight tags. */
  readonly variants: readonly string[];
  readonly paramCount?: number;
  /** MACs of one image at `defaultInputSize` (see {@link ModelEntry.macs}). */
  readonly macs?: number;
  readonly defaultInputSize: readonly [number, number, number];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly numClasses: number;
  readonly license?: string;
  readonly paper?: string;
  readonly tags: readonly string[];
  /** See {@link ModelEntry.task}. */
  readonly task?: TaskName;
  /** See {@link ModelEntry.labels}. */
  readonly labels?: readonly string[];
  /** See {@link ModelEntry.preprocess}. */
  readonly preprocess?: PreprocessHints;
  readonly featureInfo: readonly FeatureInfo[];
  readonly classifier: readonly string[];
  readonly firstConv?: string;
  /** The plugin that registered it. */
  readonly plugin: { readonly scope: string; readonly name?: string; readonly version?: string };
}
