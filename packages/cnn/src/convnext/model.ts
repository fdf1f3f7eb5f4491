/**
 * timm's `ConvNeXt`: patchify stem (`stem.0` conv, `stem.1` `LayerNorm2d`), four stages
 * (`stages.i.downsample`, `stages.i.blocks.j`), and the norm-MLP head (`head.norm`, `head.fc`).
 * @module
 */
import {
  Conv2d,
  type FeatureInfo,
  FeatureListNet,
  InvalidArgumentError,
  LayerNorm2d,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Sequential,
  type TensorSource,
} from '@ocular/core';
import { StagedClassifier } from '../common/staged-classifier.js';
import { ConvNeXtStage, NormMlpClassifierHead } from './blocks.js';
import { CONVNEXT_CONFIGS, type ConvNeXtConfig } from './configs.js';
import { checkpointFilter } from './remap.js';
import { convnextFeatureInfo } from './variants.js';

/** Options of {@link ConvNeXt} besides the architecture. */
export interface ConvNeXtOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** A ConvNeXt classifier with timm's module names and feature maps. */
export class ConvNeXt extends StagedClassifier {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: ConvNeXtConfig;
  readonly stem: Sequential;
  readonly stages: Sequential;

  constructor(config: ConvNeXtConfig, options: ConvNeXtOptions = {}) {
    super();
    this.config = config;
    const { depths, dims } = config;
    if (depths.length !== 4 || dims.length !== 4) {
      throw new InvalidArgumentError(
        `ConvNeXt: depths and dims need 4 stages, got ${depths.length} and ${dims.length}`,
      );
    }
    const ks = config.kernelSizes ?? 7;
    const kernels = typeof ks === 'number' ? dims.map(() => ks) : ks;
    if (kernels.length !== 4) throw new InvalidArgumentError('ConvNeXt: kernelSizes needs 4 values');
    const patch = config.patchSize ?? 4;
    const eps = config.normEps ?? 1e-6;
    const bias = config.convBias ?? true;
    this.stem = this.registerModule(
      'stem',
      new Sequential([
        new Conv2d(options.inChans ?? 3, dims[0]!, patch, { stride: patch, bias }),
        new LayerNorm2d(dims[0]!, { eps }),
      ]),
    );
    this.featureInfo = convnextFeatureInfo(config);
    let prev = dims[0]!;
    let curr = patch;
    const stages = dims.map((out, i) => {
      const stride = curr === 2 || i > 0 ? 2 : 1;
      curr *= stride;
      const stage = new ConvNeXtStage(prev, out, {
        stride,
        depth: depths[i]!,
        kernelSize: kernels[i],
        lsInitValue: config.lsInitValue,
        convMlp: config.convMlp,
        convBias: bias,
        mlpRatio: config.mlpRatio,
        actLayer: config.actLayer,
        normEps: eps,
      });
      prev = out;
      return stage;
    });
    this.stages = this.registerModule('stages', new Sequential(stages));
    this.numFeatures = prev;
    this.registerModule(
      'head',
      new NormMlpClassifierHead(prev, options.numClasses ?? 1000, {
        hiddenSize: config.headHiddenSize,
        normEps: eps,
      }),
    );
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof ConvNeXtConfig>> = {
  depths: 'depths',
  dims: 'dims',
  kernelSizes: 'kernelSizes',
  kernel_sizes: 'kernelSizes',
  lsInitValue: 'lsInitValue',
  ls_init_value: 'lsInitValue',
  patchSize: 'patchSize',
  patch_size: 'patchSize',
  convMlp: 'convMlp',
  conv_mlp: 'convMlp',
  convBias: 'convBias',
  conv_bias: 'convBias',
  mlpRatio: 'mlpRatio',
  mlp_ratio: 'mlpRatio',
  actLayer: 'actLayer',
  act_layer: 'actLayer',
  normEps: 'normEps',
  norm_eps: 'normEps',
  headHiddenSize: 'headHiddenSize',
  head_hidden_size: 'headHiddenSize',
};

/**
 * The configuration of a registered architecture with builder kwargs applied (camelCase or
 * timm's snake_case names: `{ depths: [2, 2, 2, 2], dims: [16, 32, 48, 64] }`).
 */
export function convnextConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): ConvNeXtConfig {
  const base = (CONVNEXT_CONFIGS as Record<string, ConvNeXtConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown ConvNeXt architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name) {
      throw new InvalidArgumentError(
        `ConvNeXt '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as unknown as ConvNeXtConfig;
}

/** Builds a registered ConvNeXt (or its features-only wrapper) from registry options. */
export function create(options: ModelBuildOptions): ConvNeXt | FeatureListNet {
  const model = new ConvNeXt(convnextConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** A view of `state` without the keys under `head.` (a features-only model has no head). */
function withoutHead(state: TensorSource): TensorSource {
  const keep = (k: string) => !k.startsWith('head.');
  return {
    keys: () => [...state.keys()].filter(keep),
    get: (k) => (keep(k) ? state.get(k) : undefined),
    info: state.info ? (k) => (keep(k) ? state.info!(k) : undefined) : undefined,
  };
}

/**
 * The registry factory: builder, torchvision checkpoint mapping (and, for features-only models,
 * dropping the head's norm, which the registry would otherwise report as unexpected), feature info.
 */
export const factory: ModelFactoryObject = {
  create,
  checkpointFilter: (state, _module, options) => {
    const mapped = checkpointFilter(state);
    return options.featuresOnly ? withoutHead(mapped) : mapped;
  },
  featureInfo: (module) => (module as ConvNeXt | FeatureListNet).featureInfo,
};
