/**
 * timm's `MetaNeXt` with the inception depthwise token mixer (InceptionNeXt): patchify stem
 * (`stem.0` conv, `stem.1` batch norm), four stages (`stages.i.downsample`, `stages.i.blocks.j`),
 * and the MLP head (`head.fc1`, `head.norm`, `head.fc2`).
 * @module
 */
import {
  BatchNorm2d,
  Conv2d,
  type FeatureInfo,
  FeatureListNet,
  InvalidArgumentError,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Sequential,
} from '@ocular/core';
import { StagedClassifier } from '../common/staged-classifier.js';
import { MetaNeXtStage, MlpClassifierHead } from './blocks.js';
import { INCEPTION_NEXT_CONFIGS, type InceptionNeXtConfig } from './configs.js';
import { inceptionNextFeatureInfo } from './variants.js';

/** Options of {@link InceptionNeXt} besides the architecture. */
export interface InceptionNeXtOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** An InceptionNeXt classifier with timm's module names and feature maps. */
export class InceptionNeXt extends StagedClassifier {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: InceptionNeXtConfig;
  readonly stem: Sequential;
  readonly stages: Sequential;

  constructor(config: InceptionNeXtConfig, options: InceptionNeXtOptions = {}) {
    super();
    this.config = config;
    const { depths, dims } = config;
    if (depths.length !== 4 || dims.length !== 4) {
      throw new InvalidArgumentError(
        `InceptionNeXt: depths and dims need 4 stages, got ${depths.length} and ${dims.length}`,
      );
    }
    const ratios =
      typeof config.mlpRatios === 'object'
        ? config.mlpRatios
        : config.mlpRatios === undefined
          ? [4, 4, 4, 3]
          : dims.map(() => config.mlpRatios as number);
    if (ratios.length !== 4) throw new InvalidArgumentError('InceptionNeXt: mlpRatios needs 4 values');
    this.stem = this.registerModule(
      'stem',
      new Sequential([
        new Conv2d(options.inChans ?? 3, dims[0]!, 4, { stride: 4 }),
        new BatchNorm2d(dims[0]!),
      ]),
    );
    let prev = dims[0]!;
    const stages = dims.map((out, i) => {
      const stage = new MetaNeXtStage(prev, out, {
        stride: i > 0 ? 2 : 1,
        depth: depths[i]!,
        mlpRatio: ratios[i],
        lsInitValue: config.lsInitValue,
        squareKernelSize: config.squareKernelSize,
        bandKernelSize: config.bandKernelSize,
        branchRatio: config.branchRatio,
      });
      prev = out;
      return stage;
    });
    this.stages = this.registerModule('stages', new Sequential(stages));
    this.featureInfo = inceptionNextFeatureInfo(config);
    this.numFeatures = prev;
    this.registerModule(
      'head',
      new MlpClassifierHead(prev, options.numClasses ?? 1000, { mlpRatio: config.headMlpRatio }),
    );
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof InceptionNeXtConfig>> = {
  depths: 'depths',
  dims: 'dims',
  mlpRatios: 'mlpRatios',
  mlp_ratios: 'mlpRatios',
  lsInitValue: 'lsInitValue',
  ls_init_value: 'lsInitValue',
  squareKernelSize: 'squareKernelSize',
  square_kernel_size: 'squareKernelSize',
  bandKernelSize: 'bandKernelSize',
  band_kernel_size: 'bandKernelSize',
  branchRatio: 'branchRatio',
  branch_ratio: 'branchRatio',
  headMlpRatio: 'headMlpRatio',
};

/**
 * The configuration of a registered architecture with builder kwargs applied (camelCase or
 * timm's snake_case names).
 */
export function inceptionNextConfig(
  arch: string,
  kwargs: Readonly<Record<string, unknown>> = {},
): InceptionNeXtConfig {
  const base = (INCEPTION_NEXT_CONFIGS as Record<string, InceptionNeXtConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown InceptionNeXt architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name) {
      throw new InvalidArgumentError(
        `InceptionNeXt '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as unknown as InceptionNeXtConfig;
}

/** Builds a registered InceptionNeXt (or its features-only wrapper) from registry options. */
export function create(options: ModelBuildOptions): InceptionNeXt | FeatureListNet {
  const model = new InceptionNeXt(inceptionNextConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/**
 * The registry factory: builder, feature info of the built module, and (for features-only
 * models) a checkpoint view without the head, which such a model does not have.
 */
export const factory: ModelFactoryObject = {
  create,
  checkpointFilter: (state, _module, options) => {
    if (!options.featuresOnly) return state;
    const keep = (k: string) => !k.startsWith('head.');
    return {
      keys: () => [...state.keys()].filter(keep),
      get: (k) => (keep(k) ? state.get(k) : undefined),
      info: state.info ? (k) => (keep(k) ? state.info!(k) : undefined) : undefined,
    };
  },
  featureInfo: (module) => (module as InceptionNeXt | FeatureListNet).featureInfo,
};
