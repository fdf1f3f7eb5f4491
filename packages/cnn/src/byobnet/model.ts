/**
 * timm's `ByobNet` as RepVGG, MobileOne and `test_byobnet` use it: `stem` (one re-parameterisable
 * block or a 3×3 conv-norm-act, stride 2), `stages.<s>.<b>`, `final_conv` (identity: these models
 * have no final 1×1 conv) and `head` (`global_pool`, `fc`).
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
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { MobileOneBlock, type RepBlockOptions, RepVggBlock } from './blocks.js';
import { BYOBNET_CONFIGS, type ByobBlockSpec, type ByobConfig } from './configs.js';
import { ByobBasicBlock, ByobBottleneckBlock, ByobDarkBlock, ByobEdgeBlock } from './residual-blocks.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link ByobNet} besides the architecture. */
export interface ByobNetOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

const RESIDUAL = {
  basic: ByobBasicBlock,
  bottle: ByobBottleneckBlock,
  dark: ByobDarkBlock,
  edge: ByobEdgeBlock,
} as const;

/** One stage block of a configuration. */
function block(config: ByobConfig, spec: ByobBlockSpec, inChannels: number, stride: number): Layer {
  const kernelSize = spec.kernelSize ?? 3;
  if (spec.type === 'rep' || spec.type === 'one') {
    const options: RepBlockOptions = {
      kernelSize,
      stride,
      groups: spec.depthwise ? inChannels : 1,
      se: spec.se,
      numConvBranches: spec.numConvBranches,
    };
    return spec.type === 'rep'
      ? new RepVggBlock(inChannels, spec.channels, options)
      : new MobileOneBlock(inChannels, spec.channels, options);
  }
  return new RESIDUAL[spec.type](inChannels, spec.channels, {
    kernelSize,
    stride,
    bottleRatio: spec.bottleRatio,
    groupSize: spec.groupSize,
    seRdRatio: spec.seRdRatio,
    downsample: config.downsample ?? 'conv1x1',
  });
}

/** The stem of a configuration (stride 2). */
function stem(config: ByobConfig, inChannels: number): Layer {
  const out = config.stemChannels;
  switch (config.stemType) {
    case 'rep':
      return new RepVggBlock(inChannels, out, { kernelSize: 3, stride: 2 });
    case 'one':
      return new MobileOneBlock(inChannels, out, { kernelSize: 3, stride: 2 });
    case '3x3':
      return new ConvNormAct(inChannels, out, { kernelSize: 3, stride: 2 });
  }
}

/** timm's `feature_info` of a configuration: stem, the first three stages, then `final_conv`. */
export function byobnetFeatureInfo(config: ByobConfig): FeatureInfo[] {
  const out = config.stages.map((s) => s[s.length - 1]!.channels);
  const n = out.length;
  return [
    { numChs: config.stemChannels, reduction: 2, module: 'stem' },
    ...out.slice(0, n - 1).map((c, i) => ({ numChs: c, reduction: 4 * 2 ** i, module: `stages.${i}` })),
    { numChs: out[n - 1]!, reduction: 2 ** (n + 1), module: 'final_conv' },
  ];
}

/** A RepVGG / MobileOne / residual `ByobNet` classifier with timm's module names (train-time form). */
export class ByobNet extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: ByobConfig;
  #numClasses: number;

  constructor(config: ByobConfig, options: ByobNetOptions = {}) {
    super();
    this.config = config;
    if (config.stages.length < 1 || config.stages.some((s) => s.length === 0)) {
      throw new InvalidArgumentError('ByobNet: every stage needs at least one block');
    }
    this.#numClasses = options.numClasses ?? 1000;
    this.registerModule('stem', stem(config, options.inChans ?? 3));
    let prev = config.stemChannels;
    const stages = config.stages.map(
      (specs) =>
        new Sequential(
          specs.map((spec, i) => {
            const m = block(config, spec, prev, i === 0 ? 2 : 1);
            prev = spec.channels;
            return m;
          }),
        ),
    );
    this.registerModule('stages', new Sequential(stages));
    this.registerModule('final_conv', new Identity());
    this.numFeatures = prev;
    this.registerModule('head', new ClassifierHead(prev, this.#numClasses));
    this.featureInfo = byobnetFeatureInfo(config);
  }

  get numClasses(): number {
    return this.#numClasses;
  }

  #layer(name: string): Layer {
    return this.getSubmodule(name) as Layer;
  }

  resetClassifier(numClasses: number, poolType: '' | 'avg' = 'avg'): void {
    if (!Number.isInteger(numClasses) || numClasses < 0) {
      throw new InvalidArgumentError(`resetClassifier: ${numClasses} is not a class count`);
    }
    this.#numClasses = numClasses;
    this.registerModule('head', new ClassifierHead(this.numFeatures, numClasses, { poolType }));
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    return this.#layer('final_conv').call(this.#layer('stages').call(this.#layer('stem').call(x)));
  }

  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    return (this.getSubmodule('head') as ClassifierHead).call(x, preLogits);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const stages = this.getSubmodule('stages') as Sequential;
    const intermediates: SymbolicTensor[] = [];
    let y = this.#layer('stem').call(x);
    if (take.includes(0)) intermediates.push(y);
    const last = options.intermediatesOnly ? maxIndex : stages.length;
    for (let i = 1; i <= last; i++) {
      y = (stages.get(i - 1) as Layer).call(y);
      // The last feature map is final_conv's output, as timm's.
      if (i === stages.length) y = this.#layer('final_conv').call(y);
      if (take.includes(i)) intermediates.push(y);
    }
    return options.intermediatesOnly ? { intermediates } : { final: y, intermediates };
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const stages = this.getSubmodule('stages') as Sequential;
    if (maxIndex < stages.length) {
      this.registerModule('stages', new Sequential([...stages].slice(0, maxIndex)));
      this.registerModule('final_conv', new Identity());
    }
    this.resetClassifier(0, '');
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

/** The configuration of a registered architecture (no builder arguments are accepted). */
export function byobnetConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): ByobConfig {
  const config = (BYOBNET_CONFIGS as Record<string, ByobConfig>)[arch];
  if (!config) throw new InvalidArgumentError(`unknown byobnet architecture '${arch}'`);
  const extra = Object.keys(kwargs);
  if (extra.length) {
    throw new InvalidArgumentError(`'${arch}': unknown argument '${extra[0]}' (this family takes none)`);
  }
  return config;
}

/** Builds a registered byobnet model (or its features-only wrapper). */
export function create(options: ModelBuildOptions): ByobNet | FeatureListNet {
  const model = new ByobNet(byobnetConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** The registry factory. */
export const factory: ModelFactoryObject = {
  create,
  featureInfo: (module) => (module as ByobNet | FeatureListNet).featureInfo,
};
