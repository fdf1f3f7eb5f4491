/**
 * timm's `GhostNet` (v1): `conv_stem`, `bn1`, `act1`, `blocks.0..9` (ghost bottleneck stages and
 * a final `ConvBnAct`), then the head `global_pool` → `conv_head` (1×1 conv with bias) → `act2`
 * → `flatten` → `classifier`.
 * @module
 */
import {
  type ActivationLayer,
  BatchNorm2d,
  BatchNormAct2d,
  type ClassifierModel,
  Conv2d,
  type FeatureInfo,
  FeatureListNet,
  Flatten,
  featureTakeIndices,
  Identity,
  type Intermediates,
  type IntermediatesOptions,
  InvalidArgumentError,
  Linear,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  makeDivisible,
  ReLU,
  SelectAdaptivePool2d,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { ConvBnAct } from '../efficientnet/blocks.js';
import { GhostBottleneck } from './blocks.js';
import { GHOSTNET_CONFIGS, GHOSTNET_STAGES, type GhostNetConfig, ghostnetFeatureInfo } from './configs.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Width of the hidden layer between pooling and classifier. */
const HEAD_HIDDEN = 1280;

/** Options of {@link GhostNet} besides the architecture. */
export interface GhostNetOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** A GhostNet classifier with timm's module names and feature maps. */
export class GhostNet extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: GhostNetConfig;
  /** Index of the `blocks` stage ending each feature map (-1: the stem). */
  readonly #stageEnds: number[];
  #numClasses: number;

  constructor(config: GhostNetConfig, options: GhostNetOptions = {}) {
    super();
    this.config = config;
    const { width } = config;
    if (!(width > 0)) throw new InvalidArgumentError(`GhostNet: width must be > 0, got ${width}`);
    const stages = config.stages ?? GHOSTNET_STAGES;
    this.#numClasses = options.numClasses ?? 1000;
    const stem = makeDivisible(16 * width, 4);
    this.registerModule(
      'conv_stem',
      new Conv2d(options.inChans ?? 3, stem, 3, { stride: 2, padding: 1, bias: false }),
    );
    this.registerModule('bn1', new BatchNorm2d(stem));
    this.registerModule('act1', new ReLU());
    let prev = stem;
    let exp = 0;
    const blocks: Layer[] = stages.map((stage) => {
      const layers = stage.map(([k, e, c, se, s]) => {
        const out = makeDivisible(c * width, 4);
        const block = new GhostBottleneck(prev, makeDivisible(e * width, 4), out, {
          dwKernelSize: k,
          stride: s,
          seRatio: se,
        });
        prev = out;
        exp = e;
        return block;
      });
      return new Sequential(layers);
    });
    const last = makeDivisible(exp * width, 4);
    // timm's EfficientNet `ConvBnAct` (children `conv`, `bn1` with the ReLU inside).
    const norm = (c: number, o: { applyAct: boolean; act: ActivationLayer }) =>
      new BatchNormAct2d(c, { applyAct: o.applyAct, actLayer: o.act });
    blocks.push(new Sequential([new ConvBnAct(prev, last, 1, { act: 'relu', norm })]));
    this.registerModule('blocks', new Sequential(blocks));
    this.numFeatures = last;
    this.featureInfo = ghostnetFeatureInfo(config);
    this.#stageEnds = [-1, ...this.featureInfo.slice(1).map((f) => Number(f.module.split('.')[1]))];
    this.registerModule('global_pool', new SelectAdaptivePool2d('avg'));
    this.registerModule('conv_head', new Conv2d(last, HEAD_HIDDEN, 1));
    this.registerModule('act2', new ReLU());
    this.registerModule('flatten', new Flatten());
    this.resetClassifier(this.#numClasses);
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#numClasses;
  }

  #layer(name: string): Layer {
    return this.child(name) as Layer;
  }

  #blocks(): Sequential {
    return this.child('blocks') as Sequential;
  }

  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0)
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    this.#numClasses = numClasses;
    this.registerModule('classifier', numClasses > 0 ? new Linear(HEAD_HIDDEN, numClasses) : new Identity());
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    const y = this.#layer('act1').call(this.#layer('bn1').call(this.#layer('conv_stem').call(x)));
    return this.#blocks().call(y);
  }

  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    let y = this.#layer('global_pool').call(x);
    y = this.#layer('flatten').call(this.#layer('act2').call(this.#layer('conv_head').call(y)));
    return preLogits ? y : this.#layer('classifier').call(y);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const wanted = new Set(take.map((i) => this.#stageEnds[i]!));
    const intermediates: SymbolicTensor[] = [];
    let y = this.#layer('conv_stem').call(x);
    if (wanted.has(-1)) intermediates.push(y);
    const stages = [...this.#blocks().namedChildren()].map(([, m]) => m as Layer);
    const last = options.intermediatesOnly ? this.#stageEnds[maxIndex]! : stages.length - 1;
    if (last >= 0) y = this.#layer('act1').call(this.#layer('bn1').call(y));
    for (let i = 0; i <= last; i++) {
      y = stages[i]!.call(y);
      if (wanted.has(i)) intermediates.push(y);
    }
    return options.intermediatesOnly ? { intermediates } : { final: y, intermediates };
  }

  /**
   * Drops the stages after the last selected map and the whole head (`conv_head` included, as
   * timm's features-only GhostNet has no head).
   */
  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const end = this.#stageEnds[maxIndex]!;
    const blocks = this.#blocks();
    [...blocks.namedChildren()].forEach(([name], i) => {
      if (i > end) blocks.registerModule(name, new Identity());
    });
    this.registerModule('global_pool', new Identity());
    this.registerModule('conv_head', new Identity());
    this.resetClassifier(0);
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof GhostNetConfig>> = {
  width: 'width',
  stages: 'stages',
  cfgs: 'stages',
};

/** The configuration of a registered architecture with builder kwargs applied (`width`, `stages`/`cfgs`). */
export function ghostnetConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): GhostNetConfig {
  const base = (GHOSTNET_CONFIGS as Record<string, GhostNetConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown GhostNet architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name)
      throw new InvalidArgumentError(`GhostNet '${arch}': unknown argument '${k}' (known: width, stages)`);
    config[name] = v;
  }
  return config as unknown as GhostNetConfig;
}

/** Builds a registered GhostNet (or its features-only wrapper) from registry options. */
export function create(options: ModelBuildOptions): GhostNet | FeatureListNet {
  const model = new GhostNet(ghostnetConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** The registry factory: builder and feature info of the built module. */
export const factory: ModelFactoryObject = {
  create,
  featureInfo: (module) => (module as GhostNet | FeatureListNet).featureInfo,
};
