/**
 * A created model: the module plus its metadata, configuration and how its weights loaded.
 * @module
 */
import type { Dim, Graph } from '../ir/graph.js';
import type { Module } from '../nn/module.js';
import type { LoadReport } from '../nn/state-dict.js';
import { traceModule } from '../nn/trace-module.js';
import type { FeatureInfo, ModelInfo } from './types.js';

/** Options of {@link Model.trace}. */
export interface TraceModelOptions {
  /** Batch dim: a number or a symbol (default `'batch'`). */
  readonly batch?: Dim;
  /** Input `[height, width]` (default: the model's default input size). */
  readonly inputSize?: readonly [number, number];
  /** Graph input name (default `'input'`). */
  readonly inputName?: string;
  /** Graph output names (default: see `traceModule`). */
  readonly outputNames?: readonly string[];
}

/** How a {@link Model} was configured. */
export interface ModelConfig {
  readonly numClasses: number;
  readonly inChans: number;
  readonly featuresOnly: boolean;
  readonly outIndices?: readonly number[];
  readonly featureInfo: readonly FeatureInfo[];
}

/** A model made by `createModel`. */
export class Model<M extends Module = Module> {
  constructor(
    /** The name it was created under (`scope/arch` or `scope/arch.tag`). */
    readonly name: string,
    readonly info: ModelInfo,
    readonly module: M,
    readonly config: ModelConfig,
    /** What loading the weights did (absent when no weights were given). */
    readonly loadReport?: LoadReport,
  ) {}

  /** Feature maps the model exposes (selected by `outIndices` for `featuresOnly` models). */
  get featureInfo(): readonly FeatureInfo[] {
    return this.config.featureInfo;
  }

  /** `[inChans, height, width]` at the default resolution. */
  get inputSize(): readonly [number, number, number] {
    const [, h, w] = this.info.defaultInputSize;
    return [this.config.inChans, h, w];
  }

  /** Parameter count of the module (shared tensors once). */
  parameterCount(): number {
    return this.module.parameterCount();
  }

  /**
   * Traces the model on a float32 NCHW input into a graph whose metadata carries the model name,
   * mean, std, input size and class count (written to ONNX `metadata_props` on export).
   */
  trace(options: TraceModelOptions = {}): Graph {
    const [c, dh, dw] = this.inputSize;
    const [h, w] = options.inputSize ?? [dh, dw];
    const graph = traceModule(
      this.module,
      [{ name: options.inputName ?? 'input', dtype: 'float32', shape: [options.batch ?? 'batch', c, h, w] }],
      { name: this.name, outputNames: options.outputNames },
    );
    Object.assign(graph.metadata, {
      'ocular.model': this.name,
      'ocular.family': this.info.family,
      'ocular.mean': JSON.stringify(this.info.mean),
      'ocular.std': JSON.stringify(this.info.std),
      'ocular.input_size': JSON.stringify([c, h, w]),
      'ocular.num_classes': String(this.config.numClasses),
    });
    return graph;
  }
}
