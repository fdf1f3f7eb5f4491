/**
 * timm's `RegNet` (X and Y): `stem` (conv-BN-ReLU, stride 2), stages `s1`..`s4`, `final_conv`
 * (identity for these variants) and `head` (`global_pool`, `fc`).
 * @module
 */
import {
  ClassifierHead,
  type ClassifierModel,
  ConvNormAct,
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
  type SymbolicTensor,
} from '@ocular/core';
import { RegStage } from './blocks.js';
import { REGNET_CONFIGS, type RegNetConfig, regnetFeatureInfo, regnetStages } from './configs.js';
import { checkpointFilter } from './remap.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

const STAGES = ['s1', 's2', 's3', 's4'] as const;

/** Options of {@link RegNet} besides the architecture. */
export interface RegNetOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** A RegNet classifier with timm's module names and feature maps. */
export class RegNet extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: RegNetConfig;
  #numClasses: number;

  constructor(config: RegNetConfig, options: RegNetOptions = {}) {
    super();
    this.config = config;
    this.#numClasses = options.numClasses ?? 1000;
    const stem = config.stemWidth ?? 32;
    this.registerModule('stem', new ConvNormAct(options.inChans ?? 3, stem, { kernelSize: 3, stride: 2 }));
    let prev = stem;
    regnetStages(config).forEach((s, i) => {
      this.registerModule(
        STAGES[i]!,
        new RegStage(s.depth, prev, s.width, {
          stride: 2,
          bottleRatio: config.bottleRatio ?? 1,
          groupSize: s.groupSize,
          seRatio: config.seRatio ?? 0,
        }),
      );
      prev = s.width;
    });
    this.numFeatures = prev;
    this.featureInfo = regnetFeatureInfo(config);
    this.registerModule('final_conv', new Identity());
    this.resetClassifier(this.#numClasses);
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#numClasses;
  }

  #layer(name: string): Layer {
    return this.child(name) as Layer;
  }

  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0)
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    this.#numClasses = numClasses;
    this.registerModule('head', new ClassifierHead(this.numFeatures, numClasses));
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    let y = this.#layer('stem').call(x);
    for (const s of STAGES) y = this.#layer(s).call(y);
    return this.#layer('final_conv').call(y);
  }

  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    return (this.child('head') as ClassifierHead).call(x, preLogits);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const intermediates: SymbolicTensor[] = [];
    let y = this.#layer('stem').call(x);
    if (take.includes(0)) intermediates.push(y);
    const last = options.intermediatesOnly ? maxIndex : STAGES.length;
    for (let i = 1; i <= last; i++) {
      y = this.#layer(STAGES[i - 1]!).call(y);
      if (take.includes(i)) intermediates.push(y);
    }
    if (options.intermediatesOnly) return { intermediates };
    return { final: this.#layer('final_conv').call(y), intermediates };
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    STAGES.forEach((name, s) => {
      if (s + 1 > maxIndex) this.registerModule(name, new Identity());
    });
    this.registerModule('final_conv', new Identity());
    this.resetClassifier(0);
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof RegNetConfig>> = {
  depth: 'depth',
  w0: 'w0',
  wa: 'wa',
  wm: 'wm',
  groupSize: 'groupSize',
  group_size: 'groupSize',
  bottleRatio: 'bottleRatio',
  bottle_ratio: 'bottleRatio',
  seRatio: 'seRatio',
  se_ratio: 'seRatio',
  stemWidth: 'stemWidth',
  stem_width: 'stemWidth',
};

/** The configuration of a registered architecture with builder kwargs applied (camelCase or snake_case). */
export function regnetConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): RegNetConfig {
  const base = (REGNET_CONFIGS as Record<string, RegNetConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown RegNet architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name) {
      throw new InvalidArgumentError(
        `RegNet '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as unknown as RegNetConfig;
}

/** Builds a registered RegNet (or its features-only wrapper) from registry options. */
export function create(options: ModelBuildOptions): RegNet | FeatureListNet {
  const model = new RegNet(regnetConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** The registry factory: builder, torchvision checkpoint mapping, feature info of the built module. */
export const factory: ModelFactoryObject = {
  create,
  checkpointFilter: (state) => checkpointFilter(state),
  featureInfo: (module) => (module as RegNet | FeatureListNet).featureInfo,
};
