/**
 * timm's `RepVit`: `stem`, `stages.0..3` (each an optional downsample and RepViT blocks),
 * spatial mean, `head_drop` and the (distillation) classifier `head`.
 * @module
 */
import {
  type ClassifierModel,
  Dropout,
  F,
  type FeatureInfo,
  FeatureListNet,
  featureTakeIndices,
  Identity,
  type Intermediates,
  type IntermediatesOptions,
  InvalidArgumentError,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { RepVitClassifier, RepVitStage, RepVitStem } from './blocks.js';
import { REPVIT_CONFIGS, type RepVitConfig, repvitFeatureInfo } from './configs.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link RepVit} besides the architecture. */
export interface RepVitOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** A RepViT classifier (train-time form) with timm's module names and feature maps. */
export class RepVit extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: RepVitConfig;
  #numClasses: number;

  constructor(config: RepVitConfig, options: RepVitOptions = {}) {
    super();
    this.config = config;
    const { embedDim, depth } = config;
    if (!embedDim.length || embedDim.length !== depth.length) {
      throw new InvalidArgumentError(
        `RepVit: embedDim and depth need one entry per stage, got ${embedDim.length} and ${depth.length}`,
      );
    }
    this.#numClasses = options.numClasses ?? 1000;
    const mlpRatio = config.mlpRatio ?? 2;
    const kernelSize = config.kernelSize ?? 3;
    const legacy = config.legacy ?? false;
    this.registerModule('stem', new RepVitStem(options.inChans ?? 3, embedDim[0]!));
    let prev = embedDim[0]!;
    const stages = embedDim.map((dim, i) => {
      const stage = new RepVitStage(prev, dim, depth[i]!, {
        mlpRatio,
        kernelSize,
        downsample: i > 0,
        legacy,
      });
      prev = dim;
      return stage;
    });
    this.registerModule('stages', new Sequential(stages));
    this.numFeatures = prev;
    this.featureInfo = repvitFeatureInfo(config);
    this.registerModule('head_drop', new Dropout(0));
    this.resetClassifier(this.#numClasses);
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#numClasses;
  }

  #layer(name: string): Layer {
    return this.child(name) as Layer;
  }

  #stages(): Layer[] {
    return [...(this.child('stages') as Sequential).namedChildren()].map(([, m]) => m as Layer);
  }

  /** Replaces the classifier; `distillation` (default: the configuration's) keeps two heads. */
  resetClassifier(numClasses: number, distillation = this.config.distillation ?? true): void {
    if (!Number.isInteger(numClasses) || numClasses < 0)
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    this.#numClasses = numClasses;
    this.registerModule('head', new RepVitClassifier(this.numFeatures, numClasses, distillation));
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    return this.#layer('stages').call(this.#layer('stem').call(x));
  }

  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    const pooled = this.#layer('head_drop').call(F.reduceMean(x, [2, 3], { keepdims: false }));
    return preLogits ? pooled : this.#layer('head').call(pooled);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const stages = this.#stages();
    const intermediates: SymbolicTensor[] = [];
    let y = this.#layer('stem').call(x);
    const last = options.intermediatesOnly ? maxIndex : stages.length - 1;
    for (let i = 0; i <= last; i++) {
      y = stages[i]!.call(y);
      if (take.includes(i)) intermediates.push(y);
    }
    return options.intermediatesOnly ? { intermediates } : { final: y, intermediates };
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const stages = this.child('stages') as Sequential;
    [...stages.namedChildren()].forEach(([name], i) => {
      if (i > maxIndex) stages.registerModule(name, new Identity());
    });
    // timm resets the classifier without distillation: no head at all.
    this.resetClassifier(0, false);
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof RepVitConfig>> = {
  embedDim: 'embedDim',
  embed_dim: 'embedDim',
  depth: 'depth',
  mlpRatio: 'mlpRatio',
  mlp_ratio: 'mlpRatio',
  kernelSize: 'kernelSize',
  kernel_size: 'kernelSize',
  legacy: 'legacy',
  distillation: 'distillation',
};

/** The configuration of a registered architecture with builder kwargs applied (camelCase or snake_case). */
export function repvitConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): RepVitConfig {
  const base = (REPVIT_CONFIGS as Record<string, RepVitConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown RepViT architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name) {
      throw new InvalidArgumentError(
        `RepViT '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as unknown as RepVitConfig;
}

/** Builds a registered RepViT (or its features-only wrapper) from registry options. */
export function create(options: ModelBuildOptions): RepVit | FeatureListNet {
  const model = new RepVit(repvitConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** The registry factory: builder and feature info of the built module. */
export const factory: ModelFactoryObject = {
  create,
  featureInfo: (module) => (module as RepVit | FeatureListNet).featureInfo,
};
