/**
 * timm's `CrossVit`: two branches over the same image at different scales and patch sizes
 * (`patch_embed.i`, `pos_embed_i` and `cls_token_i` per branch), multi-scale blocks that run the
 * branches and exchange class tokens by cross attention (`blocks.j`), a norm per branch
 * (`norm.i`) and a head per branch (`head.i`) whose logits are averaged.
 * @module
 */
import {
  Dropout,
  F,
  type FeatureInfo,
  fullTensor,
  Identity,
  InvalidArgumentError,
  LayerNorm,
  Linear,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  ModuleList,
  NotImplementedError,
  PatchEmbed,
  type SymbolicTensor,
  type Tensor,
} from '@ocular/core';
import { MultiScaleBlock } from './blocks.js';
import { CROSSVIT_CONFIGS, type CrossVitConfig } from './configs.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link CrossVit} besides the architecture. */
export interface CrossVitOptions {
  /** Classifier size (default 1000; 0 = no classifiers). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** Image side each branch sees: `trunc(imgSize · scale)`, timm's `img_size_scaled`. */
export function crossvitBranchSizes(config: CrossVitConfig): number[] {
  return config.imgScale.map((s) => Math.trunc(config.imgSize * s));
}

/**
 * A CrossViT classifier with timm's module names. Like timm's, any input size works: the image
 * is resized (bicubic) to each branch's training size. timm defines no feature maps for it.
 */
export class CrossVit extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly featureInfo: readonly FeatureInfo[] = [];
  readonly numFeatures: number;
  readonly config: CrossVitConfig;
  readonly branchSizes: readonly number[];
  readonly posEmbeds: Tensor<'float32'>[] = [];
  readonly clsTokens: Tensor<'float32'>[] = [];
  readonly patchEmbed: ModuleList<PatchEmbed>;
  readonly blocks: ModuleList<MultiScaleBlock>;
  readonly norm: ModuleList<LayerNorm>;

  constructor(config: CrossVitConfig, options: CrossVitOptions = {}) {
    super();
    this.config = config;
    const dims = config.embedDim;
    const n = dims.length;
    if (config.patchSize.length !== n || config.imgScale.length !== n || config.numHeads.length !== n)
      throw new InvalidArgumentError(
        'CrossVit: patchSize, imgScale, embedDim and numHeads need one entry per branch',
      );
    this.branchSizes = crossvitBranchSizes(config);
    const grids = this.branchSizes.map((s, i) => Math.floor(s / config.patchSize[i]!));
    // timm initialises both with trunc_normal(std=0.02); zeros keep construction deterministic
    // and checkpoints overwrite them. Registration order is timm's (pos, cls per branch).
    for (let i = 0; i < n; i++) {
      this.posEmbeds.push(
        this.registerParameter(`pos_embed_${i}`, fullTensor([1, 1 + grids[i]! ** 2, dims[i]!], 0)),
      );
      this.clsTokens.push(this.registerParameter(`cls_token_${i}`, fullTensor([1, 1, dims[i]!], 0)));
    }
    this.patchEmbed = this.registerModule(
      'patch_embed',
      new ModuleList(
        dims.map(
          (d, i) =>
            new PatchEmbed({
              imgSize: this.branchSizes[i]!,
              patchSize: config.patchSize[i]!,
              inChans: options.inChans ?? 3,
              embedDim: d,
            }),
        ),
      ),
    );
    this.registerModule('pos_drop', new Dropout(0));
    const qkvBias = config.qkvBias ?? true;
    this.blocks = this.registerModule(
      'blocks',
      new ModuleList(
        config.depth.map(
          (depth) =>
            new MultiScaleBlock(dims, depth, {
              numHeads: config.numHeads,
              mlpRatio: config.mlpRatio,
              qkvBias,
            }),
        ),
      ),
    );
    this.norm = this.registerModule('norm', new ModuleList(dims.map((d) => new LayerNorm(d, { eps: 1e-6 }))));
    this.registerModule('head_drop', new Dropout(0));
    this.numFeatures = dims.reduce((a, b) => a + b, 0);
    this.registerModule('head', this.#heads(options.numClasses ?? 1000));
  }

  #heads(numClasses: number): ModuleList<Layer> {
    return new ModuleList<Layer>(
      this.config.embedDim.map((d) => (numClasses > 0 ? new Linear(d, numClasses) : new Identity())),
    );
  }

  #headList(): ModuleList<Layer> {
    return this.child('head') as ModuleList<Layer>;
  }

  /** Current classifier size. */
  get numClasses(): number {
    const h = this.#headList().get(0);
    return h instanceof Linear ? h.outFeatures : 0;
  }

  /** Replaces every branch's classifier (0 removes them). */
  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0)
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    this.registerModule('head', this.#heads(numClasses));
  }

  /** The normalised tokens of every branch, `[B, 1 + Nᵢ, Cᵢ]` (class token first). */
  forwardFeatures(x: SymbolicTensor): SymbolicTensor[] {
    const [, , h, w] = x.shape;
    const posDrop = this.child('pos_drop') as Layer;
    let xs = this.branchSizes.map((s, i) => {
      // timm's scale_image: bicubic resize (no antialias) when the size differs.
      const scaled = h === s && w === s ? x : F.interpolate(x, { size: [s, s], mode: 'bicubic' });
      const tokens = this.patchEmbed.get(i).call(scaled);
      const cls = F.expandBatch(this.clsTokens[i]!, tokens);
      return posDrop.call(F.add(F.concat([cls, tokens], 1), this.posEmbeds[i]!));
    });
    for (const blk of this.blocks) xs = blk.call(xs);
    return xs.map((t, i) => this.norm.get(i).call(t));
  }

  /**
   * Class tokens through each branch's head, logits averaged; with `preLogits` (or no
   * classifiers) the class tokens concatenated, `[B, ΣCᵢ]`.
   */
  forwardHead(xs: SymbolicTensor[], preLogits = false): SymbolicTensor {
    const headDrop = this.child('head_drop') as Layer;
    const cls = xs.map((t) => headDrop.call(F.gather(t, 0, 1)));
    if (preLogits || this.numClasses === 0) return F.concat(cls, 1);
    const heads = this.#headList();
    const logits = cls.map((c, i) => heads.get(i).call(c));
    const sum = logits.slice(1).reduce((a, b) => F.add(a, b), logits[0]!);
    return F.div(sum, logits.length);
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof CrossVitConfig>> = {
  imgSize: 'imgSize',
  img_size: 'imgSize',
  imgScale: 'imgScale',
  img_scale: 'imgScale',
  patchSize: 'patchSize',
  patch_size: 'patchSize',
  embedDim: 'embedDim',
  embed_dim: 'embedDim',
  depth: 'depth',
  numHeads: 'numHeads',
  num_heads: 'numHeads',
  mlpRatio: 'mlpRatio',
  mlp_ratio: 'mlpRatio',
  qkvBias: 'qkvBias',
  qkv_bias: 'qkvBias',
};

/** A registered architecture with builder kwargs applied (camelCase or timm's snake_case). */
export function crossvitConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): CrossVitConfig {
  const base = (CROSSVIT_CONFIGS as Record<string, CrossVitConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown CrossViT architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name)
      throw new InvalidArgumentError(
        `CrossViT '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    config[name] = v;
  }
  return config as unknown as CrossVitConfig;
}

/** Builds a registered CrossViT. timm has no features-only form of it, nor does this. */
export function create(options: ModelBuildOptions): CrossVit {
  if (options.featuresOnly)
    throw new NotImplementedError(
      `${options.arch}: features-only is not defined for CrossViT (two token sequences of different widths, no feature maps; timm has none either)`,
    );
  return new CrossVit(crossvitConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
}

/** The registry factory. */
export const factory: ModelFactoryObject = { create };
