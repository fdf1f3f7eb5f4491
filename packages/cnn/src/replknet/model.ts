/**
 * RepLKNet (the authors' `RepLKNet` classifier): `stem.0..3` (3×3 s2 conv, depthwise 3×3,
 * 1×1, depthwise 3×3 s2), `stages.<s>.blocks.<i>` (RepLK block and ConvFFN alternating; `norm`
 * an identity), `transitions.<s>` (1×1 conv, depthwise 3×3 s2), then `norm` (batch norm),
 * global average pooling and `head` (linear).
 * @module
 */
import {
  BatchNorm2d,
  type ClassifierModel,
  F,
  type FeatureInfo,
  FeatureListNet,
  featureTakeIndices,
  Identity,
  type Intermediates,
  type IntermediatesOptions,
  InvalidArgumentError,
  Linear,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  ModuleList,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { ConvFFN, convBn, RepLKBlock } from './blocks.js';
import { REPLKNET_CONFIGS, type RepLKNetConfig } from './configs.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link RepLKNet} besides the architecture. */
export interface RepLKNetOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** One stage: `blocks` (RepLK block, ConvFFN, ...) and `norm` (identity for classification). */
export class RepLKNetStage extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly blocks: ModuleList<Layer>;

  constructor(
    channels: number,
    numBlocks: number,
    kernel: number,
    smallKernel: number,
    dwRatio: number,
    ffnRatio: number,
  ) {
    super();
    const blocks: Layer[] = [];
    for (let i = 0; i < numBlocks; i++) {
      blocks.push(new RepLKBlock(channels, Math.trunc(channels * dwRatio), kernel, smallKernel));
      blocks.push(new ConvFFN(channels, Math.trunc(channels * ffnRatio), channels));
    }
    this.blocks = this.registerModule('blocks', new ModuleList(blocks));
    this.registerModule('norm', new Identity());
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = x;
    for (const b of this.blocks) y = b.call(y);
    return y;
  }
}

/** Feature maps: each stage's output (reduction 4, 8, 16, 32). */
export function replknetFeatureInfo(config: RepLKNetConfig): FeatureInfo[] {
  return config.channels.map((c, i) => ({ numChs: c, reduction: 4 * 2 ** i, module: `stages.${i}` }));
}

/** A RepLKNet classifier with the reference implementation's module names (train-time form). */
export class RepLKNet extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: RepLKNetConfig;
  #numClasses: number;

  constructor(config: RepLKNetConfig, options: RepLKNetOptions = {}) {
    super();
    const { channels, layers, largeKernelSizes } = config;
    const n = layers.length;
    if (n < 1 || channels.length !== n || largeKernelSizes.length !== n) {
      throw new InvalidArgumentError(
        `RepLKNet: layers, channels and largeKernelSizes need one entry per stage, got ${layers.length}, ${channels.length}, ${largeKernelSizes.length}`,
      );
    }
    this.config = config;
    this.#numClasses = options.numClasses ?? 1000;
    const w = channels[0]!;
    this.registerModule(
      'stem',
      new ModuleList([
        convBn(options.inChans ?? 3, w, 3, { stride: 2, padding: 1, relu: true }),
        convBn(w, w, 3, { padding: 1, groups: w, relu: true }),
        convBn(w, w, 1, { padding: 0, relu: true }),
        convBn(w, w, 3, { stride: 2, padding: 1, groups: w, relu: true }),
      ]),
    );
    const dw = config.dwRatio ?? 1;
    const ffn = config.ffnRatio ?? 4;
    this.registerModule(
      'stages',
      new ModuleList(
        layers.map(
          (d, s) => new RepLKNetStage(channels[s]!, d, largeKernelSizes[s]!, config.smallKernel, dw, ffn),
        ),
      ),
    );
    this.registerModule(
      'transitions',
      new ModuleList(
        channels.slice(0, n - 1).map(
          (c, s) =>
            new Sequential([
              convBn(c, channels[s + 1]!, 1, { padding: 0, relu: true }),
              convBn(channels[s + 1]!, channels[s + 1]!, 3, {
                stride: 2,
                padding: 1,
                groups: channels[s + 1]!,
                relu: true,
              }),
            ]),
        ),
      ),
    );
    this.numFeatures = channels[n - 1]!;
    this.registerModule('norm', new BatchNorm2d(this.numFeatures));
    this.registerModule('head', this.#makeHead(this.#numClasses));
    this.featureInfo = replknetFeatureInfo(config);
  }

  get numClasses(): number {
    return this.#numClasses;
  }

  #makeHead(numClasses: number): Layer {
    return numClasses > 0 ? new Linear(this.numFeatures, numClasses) : new Identity();
  }

  #list(name: string): Layer[] {
    return [...(this.getSubmodule(name) as ModuleList<Layer>)];
  }

  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0) {
      throw new InvalidArgumentError(`resetClassifier: ${numClasses} is not a class count`);
    }
    this.#numClasses = numClasses;
    this.registerModule('head', this.#makeHead(numClasses));
  }

  #stem(x: SymbolicTensor): SymbolicTensor {
    let y = x;
    for (const m of this.#list('stem')) y = m.call(y);
    return y;
  }

  /** The reference `forward_features`: the last stage's output, before `norm`. */
  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    return this.forwardIntermediates(x, 1).final!;
  }

  /** `norm` → global average pool (→ `head` unless `preLogits`). */
  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    const pooled = F.flatten(F.globalAvgPool((this.getSubmodule('norm') as Layer).call(x)), 1);
    return preLogits ? pooled : (this.getSubmodule('head') as Layer).call(pooled);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const stages = this.#list('stages');
    const transitions = this.#list('transitions');
    const last = options.intermediatesOnly ? maxIndex : stages.length - 1;
    const intermediates: SymbolicTensor[] = [];
    let y = this.#stem(x);
    for (let s = 0; s <= last; s++) {
      y = stages[s]!.call(y);
      if (take.includes(s)) intermediates.push((stages[s]!.child('norm') as Layer).call(y));
      if (s < stages.length - 1 && s < last) y = transitions[s]!.call(y);
    }
    return options.intermediatesOnly ? { intermediates } : { final: y, intermediates };
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const stages = this.getSubmodule('stages') as ModuleList<Layer>;
    const transitions = this.getSubmodule('transitions') as ModuleList<Layer>;
    for (let s = maxIndex + 1; s < stages.length; s++) stages.registerModule(String(s), new Identity());
    for (let s = maxIndex; s < transitions.length; s++) transitions.registerModule(String(s), new Identity());
    this.registerModule('norm', new Identity());
    this.resetClassifier(0);
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof RepLKNetConfig>> = {
  largeKernelSizes: 'largeKernelSizes',
  large_kernel_sizes: 'largeKernelSizes',
  layers: 'layers',
  channels: 'channels',
  smallKernel: 'smallKernel',
  small_kernel: 'smallKernel',
  dwRatio: 'dwRatio',
  dw_ratio: 'dwRatio',
  ffnRatio: 'ffnRatio',
  ffn_ratio: 'ffnRatio',
};

/** A registered configuration with builder kwargs applied (camelCase or the reference's snake_case). */
export function replknetConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): RepLKNetConfig {
  const base = (REPLKNET_CONFIGS as Record<string, RepLKNetConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown RepLKNet architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name) {
      throw new InvalidArgumentError(
        `RepLKNet '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as unknown as RepLKNetConfig;
}

/** Builds a registered RepLKNet (or its features-only wrapper). */
export function create(options: ModelBuildOptions): RepLKNet | FeatureListNet {
  const model = new RepLKNet(replknetConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** The registry factory. */
export const factory: ModelFactoryObject = {
  create,
  featureInfo: (module) => (module as RepLKNet | FeatureListNet).featureInfo,
};
