/**
 * timm's `EfficientNet` and `MobileNetV3` classes in one module: stem (`conv_stem`, `bn1`),
 * stages (`blocks.S.B`), then either `conv_head` + `bn2` before pooling (EfficientNet, MobileNetV1/V2)
 * or pooling before a biased `conv_head` and `act2` (MobileNetV3), and `classifier`.
 * @module
 */
import {
  type ClassifierModel,
  createActivation,
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
  SelectAdaptivePool2d,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import {
  ConvBnAct,
  createConv2d,
  DepthwiseSeparableConv,
  EdgeResidual,
  InvertedResidual,
  type SeLayer,
  SqueezeExcite,
} from './blocks.js';
import { type EfficientNetPlan, planNetwork, type ResolvedBlock } from './builder.js';
import { EFFICIENTNET_CONFIGS, type EfficientNetConfig } from './configs.js';
import { normActLayer } from './norm.js';
import { checkpointFilter } from './remap.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link EfficientNet} besides the architecture. */
export interface EfficientNetOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** An EfficientNet / MobileNet-family classifier with timm's module names and feature maps. */
export class EfficientNet extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  /** Channels of `forwardFeatures`' output. */
  readonly numFeatures: number;
  /** Channels of the pre-logits (the head conv's for MobileNetV3). */
  readonly headHiddenSize: number;
  readonly config: EfficientNetConfig;
  readonly plan: EfficientNetPlan;
  /** For each feature map, the stage producing it (0 = stem), as timm's `stage_ends`. */
  readonly stageEnds: readonly number[];
  #numClasses: number;
  #numStages: number;

  constructor(config: EfficientNetConfig, options: EfficientNetOptions = {}) {
    super();
    this.config = config;
    this.plan = planNetwork(config);
    const inChans = options.inChans ?? 3;
    this.#numClasses = options.numClasses ?? 1000;
    const padType = config.padType ?? '';
    const norm = normActLayer(config.norm, config.bnEps);

    this.registerModule('conv_stem', createConv2d(inChans, this.plan.stemChs, 3, { stride: 2, padType }));
    this.registerModule('bn1', norm(this.plan.stemChs, { applyAct: true, act: config.act }));
    const blocks = new Sequential(
      this.plan.stages.map((stage) => new Sequential(stage.map((b) => this.#block(b, norm)))),
    );
    this.registerModule('blocks', blocks);
    this.#numStages = this.plan.stages.length;
    this.featureInfo = this.plan.features.map(({ module, numChs, reduction }) => ({
      module,
      numChs,
      reduction,
    }));
    this.stageEnds = this.plan.features.map((f) => f.stage);

    const headIn = this.plan.headInChs;
    if (config.kind === 'efficientnet') {
      if (config.numFeatures > 0) {
        this.registerModule('conv_head', createConv2d(headIn, config.numFeatures, 1, { padType }));
        this.registerModule('bn2', norm(config.numFeatures, { applyAct: true, act: config.act }));
        this.numFeatures = config.numFeatures;
      } else {
        this.registerModule('conv_head', new Identity());
        this.registerModule('bn2', new Identity());
        this.numFeatures = headIn;
      }
      this.headHiddenSize = this.numFeatures;
      this.registerModule('global_pool', new SelectAdaptivePool2d('avg', { flatten: true }));
    } else {
      this.numFeatures = headIn;
      this.headHiddenSize = config.numFeatures;
      this.registerModule('global_pool', new SelectAdaptivePool2d('avg'));
      this.registerModule(
        'conv_head',
        createConv2d(headIn, config.numFeatures, 1, { padType, bias: config.headBias ?? true }),
      );
      this.registerModule('norm_head', new Identity());
      this.registerModule('act2', createActivation(config.act));
      this.registerModule('flatten', new Flatten());
    }
    this.resetClassifier(this.#numClasses);
  }

  #block(b: ResolvedBlock, norm: ReturnType<typeof normActLayer>): Layer {
    const { config } = this;
    const se: SeLayer | undefined = b.seChs
      ? (channels, blockAct) =>
          new SqueezeExcite(channels, {
            rdChannels: b.seChs,
            act: config.seForceAct ?? blockAct,
            gate: config.seGate ?? 'sigmoid',
          })
      : undefined;
    const common = { stride: b.stride, padType: config.padType ?? '', act: b.act, norm, se };
    const d = b.def;
    switch (d.type) {
      case 'ds':
        return new DepthwiseSeparableConv(b.inChs, b.outChs, d.kernel, {
          ...common,
          pwAct: d.pwAct,
          noskip: d.noskip || d.pwAct,
        });
      case 'ir':
        return new InvertedResidual(b.inChs, b.outChs, d.kernel, d.exp, { ...common, noskip: d.noskip });
      case 'er':
        return new EdgeResidual(b.inChs, b.outChs, d.kernel, d.exp, {
          ...common,
          noskip: d.noskip,
          forceInChs: b.forceInChs,
        });
      case 'cn':
        return new ConvBnAct(b.inChs, b.outChs, d.kernel, { ...common, skip: d.skip });
    }
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
    this.registerModule(
      'classifier',
      numClasses > 0 ? new Linear(this.headHiddenSize, numClasses) : new Identity(),
    );
  }

  #stem(x: SymbolicTensor): SymbolicTensor {
    return this.#layer('bn1').call(this.#layer('conv_stem').call(x));
  }

  #stage(i: number): Layer {
    return (this.child('blocks') as Sequential).child(String(i)) as Layer;
  }

  #headConv(x: SymbolicTensor): SymbolicTensor {
    // EfficientNet's head conv belongs to the features; MobileNetV3's follows the pooling.
    if (this.config.kind !== 'efficientnet') return x;
    return this.#layer('bn2').call(this.#layer('conv_head').call(x));
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    let y = this.#stem(x);
    for (let i = 0; i < this.#numStages; i++) y = this.#stage(i).call(y);
    return this.#headConv(y);
  }

  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    let y = this.#layer('global_pool').call(x);
    if (this.config.kind === 'mobilenetv3') {
      y = this.#layer('conv_head').call(y);
      y = this.#layer('act2').call(this.#layer('norm_head').call(y));
      y = this.#layer('flatten').call(y);
    }
    return preLogits ? y : this.#layer('classifier').call(y);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const stages = take.map((i) => this.stageEnds[i]!);
    const intermediates: SymbolicTensor[] = [];
    let y = this.#stem(x);
    if (stages.includes(0)) intermediates.push(y);
    const last = options.intermediatesOnly ? this.stageEnds[maxIndex]! : this.#numStages;
    for (let i = 1; i <= last; i++) {
      y = this.#stage(i - 1).call(y);
      if (stages.includes(i)) intermediates.push(y);
    }
    return options.intermediatesOnly ? { intermediates } : { final: this.#headConv(y), intermediates };
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const keep = this.stageEnds[maxIndex]!;
    const blocks = this.child('blocks') as Sequential;
    this.registerModule(
      'blocks',
      new Sequential(Array.from({ length: keep }, (_, i) => blocks.child(String(i)) as Layer)),
    );
    this.#numStages = keep;
    this.registerModule('conv_head', new Identity());
    if (this.config.kind === 'efficientnet') this.registerModule('bn2', new Identity());
    this.registerModule('global_pool', new Identity());
    this.resetClassifier(0);
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof EfficientNetConfig>> = {
  arch: 'arch',
  arch_def: 'arch',
  channelMultiplier: 'channelMultiplier',
  channel_multiplier: 'channelMultiplier',
  depthMultiplier: 'depthMultiplier',
  depth_multiplier: 'depthMultiplier',
  stemSize: 'stemSize',
  stem_size: 'stemSize',
  numFeatures: 'numFeatures',
  num_features: 'numFeatures',
  act: 'act',
  act_layer: 'act',
  bnEps: 'bnEps',
  bn_eps: 'bnEps',
  padType: 'padType',
  pad_type: 'padType',
};

/**
 * The configuration of a registered architecture with builder kwargs applied (camelCase or
 * timm's snake_case: `{ bn_eps: 1e-3, pad_type: 'same' }`).
 */
export function efficientnetConfig(
  arch: string,
  kwargs: Readonly<Record<string, unknown>> = {},
): EfficientNetConfig {
  const base = (EFFICIENTNET_CONFIGS as Record<string, EfficientNetConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown EfficientNet-family architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name) {
      throw new InvalidArgumentError(
        `'${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as unknown as EfficientNetConfig;
}

/** Builds a registered model (or its features-only wrapper) from registry options. */
export function create(options: ModelBuildOptions): EfficientNet | FeatureListNet {
  const model = new EfficientNet(efficientnetConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** The registry factory: builder, checkpoint mapping, feature info of the built module. */
export const factory: ModelFactoryObject = {
  create,
  checkpointFilter: (state, module, options) =>
    checkpointFilter(state, efficientnetConfig(options.arch, options.kwargs), {
      keep: module instanceof FeatureListNet ? new Set(module.stateDict().keys()) : undefined,
    }),
  featureInfo: (module) => (module as EfficientNet | FeatureListNet).featureInfo,
};
