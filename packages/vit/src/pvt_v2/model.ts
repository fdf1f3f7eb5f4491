/**
 * timm's `PyramidVisionTransformerV2`: `patch_embed` (7×7 stride-4 overlapping), four stages
 * (`stages.i`, each after the first opening with a 3×3 stride-2 overlapping patch embedding), an
 * average pool and the linear `head`. Feature maps are NCHW.
 * @module
 */
import {
  type ClassifierModel,
  F,
  type FeatureInfo,
  FeatureListNet,
  Identity,
  type Intermediates,
  type IntermediatesOptions,
  InvalidArgumentError,
  Linear,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  pruneStages,
  Sequential,
  type SymbolicTensor,
  stagedIntermediates,
  type TensorSource,
} from '@ocular/core';
import { OverlapPatchEmbed, PvtV2Stage } from './blocks.js';
import { PVT_V2_CONFIGS, type PvtV2Config } from './configs.js';
import { pvtV2FeatureInfo } from './variants.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link PyramidVisionTransformerV2} besides the architecture. */
export interface PvtV2Options {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** A PVTv2 classifier with timm's module names and NCHW feature maps. */
export class PyramidVisionTransformerV2
  extends Module<[SymbolicTensor], SymbolicTensor>
  implements ClassifierModel
{
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: PvtV2Config;
  readonly stages: Sequential;
  #numClasses: number;

  constructor(config: PvtV2Config, options: PvtV2Options = {}) {
    super();
    this.config = config;
    const { depths, embedDims, numHeads } = config;
    const n = depths.length;
    const sr = config.srRatios ?? [8, 4, 2, 1];
    const mlp = config.mlpRatios ?? [8, 8, 4, 4];
    if (embedDims.length !== n || numHeads.length !== n || sr.length !== n || mlp.length !== n) {
      throw new InvalidArgumentError(`PVTv2: every per-stage setting needs ${n} values`);
    }
    this.registerModule('patch_embed', new OverlapPatchEmbed(7, 4, options.inChans ?? 3, embedDims[0]!));
    this.featureInfo = pvtV2FeatureInfo(config);
    let prev = embedDims[0]!;
    const stages = embedDims.map((dim, i) => {
      const stage = new PvtV2Stage(prev, dim, {
        depth: depths[i]!,
        downsample: i > 0,
        numHeads: numHeads[i]!,
        srRatio: sr[i]!,
        mlpRatio: mlp[i]!,
        qkvBias: config.qkvBias,
      });
      prev = dim;
      return stage;
    });
    this.stages = this.registerModule('stages', new Sequential(stages));
    this.numFeatures = prev;
    this.#numClasses = options.numClasses ?? 1000;
    this.registerModule('head', this.#numClasses > 0 ? new Linear(prev, this.#numClasses) : new Identity());
  }

  #layer(name: string): Layer {
    return this.child(name) as Layer;
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#numClasses;
  }

  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0)
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    this.#numClasses = numClasses;
    this.registerModule('head', numClasses > 0 ? new Linear(this.numFeatures, numClasses) : new Identity());
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    return this.stages.call(this.#layer('patch_embed').call(x));
  }

  /** Mean over H and W, then the linear head. */
  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    const pooled = F.flatten(F.globalAvgPool(x), 1);
    return preLogits ? pooled : this.#layer('head').call(pooled);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    return stagedIntermediates(
      this.#layer('patch_embed'),
      this.stages,
      this.featureInfo.length,
      x,
      indices,
      options,
    );
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const take = pruneStages(this.stages, this.featureInfo.length, indices);
    this.registerModule('head', new Identity());
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof PvtV2Config>> = {
  depths: 'depths',
  embedDims: 'embedDims',
  embed_dims: 'embedDims',
  numHeads: 'numHeads',
  num_heads: 'numHeads',
  srRatios: 'srRatios',
  sr_ratios: 'srRatios',
  mlpRatios: 'mlpRatios',
  mlp_ratios: 'mlpRatios',
  qkvBias: 'qkvBias',
  qkv_bias: 'qkvBias',
};

/** The configuration of a registered architecture with builder kwargs applied (camelCase or snake_case). */
export function pvtV2Config(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): PvtV2Config {
  const base = (PVT_V2_CONFIGS as Record<string, PvtV2Config>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown PVTv2 architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name) {
      throw new InvalidArgumentError(
        `PVTv2 '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as unknown as PvtV2Config;
}

/** Builds a registered PVTv2 (or its features-only wrapper) from registry options. */
export function create(options: ModelBuildOptions): PyramidVisionTransformerV2 | FeatureListNet {
  const model = new PyramidVisionTransformerV2(pvtV2Config(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** A view of `state` without the `head.` keys (a features-only model has no head). */
function withoutHead(state: TensorSource): TensorSource {
  const keep = (k: string) => !k.startsWith('head.');
  return {
    keys: () => [...state.keys()].filter(keep),
    get: (k) => (keep(k) ? state.get(k) : undefined),
    info: state.info ? (k) => (keep(k) ? state.info!(k) : undefined) : undefined,
  };
}

/** The registry factory: builder, features-only checkpoint view, feature info. */
export const factory: ModelFactoryObject = {
  create,
  checkpointFilter: (state, _module, options) => (options.featuresOnly ? withoutHead(state) : state),
  featureInfo: (module) => (module as PyramidVisionTransformerV2 | FeatureListNet).featureInfo,
};
