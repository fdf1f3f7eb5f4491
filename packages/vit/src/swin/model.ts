/**
 * timm's `SwinTransformer` (v1): `patch_embed` (conv + norm, channels-last), four stages
 * (`layers.i`, patch merging at the start of every stage after the first), final `norm`, and
 * `head` (average pool over H, W → `fc`).
 * @module
 */
import {
  ClassifierHead,
  type ClassifierModel,
  F,
  type FeatureInfo,
  FeatureListNet,
  featureTakeIndices,
  Identity,
  type Intermediates,
  type IntermediatesOptions,
  InvalidArgumentError,
  LayerNorm,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  PatchEmbed,
  pruneStages,
  Sequential,
  type SymbolicTensor,
  type TensorSource,
} from '@ocular/core';
import { SwinTransformerStage } from './blocks.js';
import { SWIN_CONFIGS, type SwinConfig } from './configs.js';
import { swinFeatureInfo } from './variants.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link SwinTransformer} besides the architecture. */
export interface SwinTransformerOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** timm's `PatchEmbed` with `output_fmt='NHWC'`: patchify conv, norm over channels, `[B, H, W, C]`. */
class SwinPatchEmbed extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly inner: PatchEmbed;
  constructor(inChans: number, embedDim: number, patchSize: number) {
    super();
    this.inner = new PatchEmbed({
      imgSize: null,
      patchSize,
      inChans,
      embedDim,
      normLayer: (d) => new LayerNorm(d),
    });
    // The core block's children become this module's (`proj`, `norm`), as timm names them.
    for (const [name, child] of this.inner.namedChildren()) this.registerModule(name, child);
  }
  forward(x: SymbolicTensor): SymbolicTensor {
    const [, , h, w] = x.shape as [unknown, unknown, number, number];
    const [ph, pw] = this.inner.patchSize;
    const tokens = this.inner.call(x); // [B, N, C]
    return F.reshape(tokens, [-1, h / ph, w / pw, tokens.shape[2] as number]);
  }
}

/**
 * A Swin Transformer v1 classifier with timm's module names. Feature maps (`forwardFeatures`,
 * `forwardIntermediates`, the features-only model) are channels-last `[B, H, W, C]`, as timm's
 * Swin and its `features_only` model return them.
 */
export class SwinTransformer extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: SwinConfig;
  readonly layers: Sequential;
  #numClasses: number;

  constructor(config: SwinConfig, options: SwinTransformerOptions = {}) {
    super();
    this.config = config;
    const { depths, numHeads } = config;
    if (depths.length !== numHeads.length || depths.length === 0) {
      throw new InvalidArgumentError(
        `SwinTransformer: depths and numHeads need the same number of stages, got ${depths.length} and ${numHeads.length}`,
      );
    }
    const embed = config.embedDim ?? 96;
    const patch = config.patchSize ?? 4;
    const grid = Math.floor((config.imgSize ?? 224) / patch);
    this.registerModule('patch_embed', new SwinPatchEmbed(options.inChans ?? 3, embed, patch));
    this.featureInfo = swinFeatureInfo(config);
    let dim = embed;
    let res = grid;
    const stages = depths.map((depth, i) => {
      const out = embed * 2 ** i;
      if (i > 0) res = Math.floor(res / 2);
      const stage = new SwinTransformerStage(dim, out, {
        resolution: [res, res],
        depth,
        numHeads: numHeads[i]!,
        windowSize: config.windowSize ?? 7,
        downsample: i > 0,
        mlpRatio: config.mlpRatio,
        qkvBias: config.qkvBias,
      });
      dim = out;
      return stage;
    });
    this.layers = this.registerModule('layers', new Sequential(stages));
    this.numFeatures = dim;
    this.registerModule('norm', new LayerNorm(dim));
    this.#numClasses = options.numClasses ?? 1000;
    this.registerModule('head', new ClassifierHead(dim, this.#numClasses));
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
    if (!(this.child('head') instanceof ClassifierHead))
      throw new InvalidArgumentError('resetClassifier: the head was pruned');
    this.#numClasses = numClasses;
    this.registerModule('head', new ClassifierHead(this.numFeatures, numClasses));
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    return this.#layer('norm').call(this.layers.call(this.#layer('patch_embed').call(x)));
  }

  /** Average pool over H and W of the `[B, H, W, C]` map, then the classifier. */
  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    const head = this.child('head') as Module<[SymbolicTensor, boolean?], SymbolicTensor>;
    return head.call(F.permute(x, [0, 3, 1, 2]), preLogits);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const intermediates: SymbolicTensor[] = [];
    let y = this.#layer('patch_embed').call(x);
    const last = options.intermediatesOnly ? maxIndex : this.featureInfo.length - 1;
    for (let i = 0; i <= last; i++) {
      y = (this.layers.child(String(i)) as Layer).call(y);
      if (take.includes(i)) intermediates.push(y);
    }
    if (options.intermediatesOnly) return { intermediates };
    return { final: this.#layer('norm').call(y), intermediates };
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const take = pruneStages(this.layers, this.featureInfo.length, indices);
    // timm's features model ends at the last stage: no final norm, no head.
    this.registerModule('norm', new Identity());
    this.registerModule('head', new Identity());
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof SwinConfig>> = {
  imgSize: 'imgSize',
  img_size: 'imgSize',
  patchSize: 'patchSize',
  patch_size: 'patchSize',
  windowSize: 'windowSize',
  window_size: 'windowSize',
  embedDim: 'embedDim',
  embed_dim: 'embedDim',
  depths: 'depths',
  numHeads: 'numHeads',
  num_heads: 'numHeads',
  mlpRatio: 'mlpRatio',
  mlp_ratio: 'mlpRatio',
  qkvBias: 'qkvBias',
  qkv_bias: 'qkvBias',
};

/**
 * The configuration of a registered architecture with builder kwargs applied (camelCase or
 * timm's snake_case names: `{ img_size: 56, embed_dim: 32, depths: [1, 1], num_heads: [2, 4] }`).
 */
export function swinConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): SwinConfig {
  const base = (SWIN_CONFIGS as Record<string, SwinConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown Swin architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name) {
      throw new InvalidArgumentError(
        `Swin '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as unknown as SwinConfig;
}

/** Builds a registered Swin (or its features-only wrapper) from registry options. */
export function create(options: ModelBuildOptions): SwinTransformer | FeatureListNet {
  const model = new SwinTransformer(swinConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** A view of `state` without the final `norm.` and `head.` keys (a features-only model has neither). */
function withoutHead(state: TensorSource): TensorSource {
  const keep = (k: string) => !k.startsWith('head.') && !k.startsWith('norm.');
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
  featureInfo: (module) => (module as SwinTransformer | FeatureListNet).featureInfo,
};
