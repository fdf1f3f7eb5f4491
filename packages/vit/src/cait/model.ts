/**
 * timm's `Cait`: patch embedding with a position embedding over the patch tokens only
 * (`pos_embed`), talking-heads blocks (`blocks.i`), then class-attention blocks
 * (`blocks_token_only.i`) that join the class token (`cls_token`) late, `norm` and `head`.
 * @module
 */
import {
  type ClassifierModel,
  Dropout,
  F,
  type FeatureInfo,
  FeatureListNet,
  featureTakeIndices,
  fullTensor,
  Identity,
  type Intermediates,
  type IntermediatesOptions,
  InvalidArgumentError,
  LayerNorm,
  Linear,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  ModuleList,
  PatchEmbed,
  resamplePosEmbed,
  Sequential,
  type SymbolicTensor,
  type Tensor,
} from '@ocular/core';
import { LayerScaleBlock, LayerScaleBlockClassAttn } from './blocks.js';
import { CAIT_CONFIGS, type CaitConfig } from './configs.js';
import { caitFeatureInfo } from './variants.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link Cait} besides the architecture. */
export interface CaitOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** A CaiT classifier with timm's module names. */
export class Cait extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: CaitConfig;
  readonly clsToken: Tensor<'float32'>;
  readonly posEmbed: Tensor<'float32'>;
  readonly patchEmbed: PatchEmbed;
  readonly blocks: Sequential;
  blocksTokenOnly: ModuleList<LayerScaleBlockClassAttn>;

  constructor(config: CaitConfig, options: CaitOptions = {}) {
    super();
    this.config = config;
    const dim = config.embedDim;
    this.patchEmbed = new PatchEmbed({
      imgSize: config.imgSize,
      patchSize: config.patchSize,
      inChans: options.inChans ?? 3,
      embedDim: dim,
      // Other resolutions resample the position embedding.
      strictImgSize: false,
    });
    // timm initialises both with trunc_normal(std=0.02); zeros keep construction deterministic
    // and checkpoints overwrite them.
    this.clsToken = this.registerParameter('cls_token', fullTensor([1, 1, dim], 0));
    this.posEmbed = this.registerParameter('pos_embed', fullTensor([1, this.patchEmbed.numPatches!, dim], 0));
    this.registerModule('patch_embed', this.patchEmbed);
    this.registerModule('pos_drop', new Dropout(0));
    const block = {
      numHeads: config.numHeads,
      qkvBias: config.qkvBias ?? true,
      initValues: config.initValues,
    };
    this.blocks = this.registerModule(
      'blocks',
      new Sequential(
        Array.from(
          { length: config.depth },
          () => new LayerScaleBlock(dim, { ...block, mlpRatio: config.mlpRatio ?? 4 }),
        ),
      ),
    );
    this.blocksTokenOnly = this.registerModule(
      'blocks_token_only',
      new ModuleList(
        Array.from({ length: config.depthTokenOnly ?? 2 }, () => new LayerScaleBlockClassAttn(dim, block)),
      ),
    );
    this.registerModule('norm', new LayerNorm(dim, { eps: 1e-6 }));
    this.registerModule('head_drop', new Dropout(0));
    this.registerModule(
      'head',
      (options.numClasses ?? 1000) > 0 ? new Linear(dim, options.numClasses ?? 1000) : new Identity(),
    );
    this.numFeatures = dim;
    this.featureInfo = caitFeatureInfo(config);
  }

  /** Current classifier size. */
  get numClasses(): number {
    const head = this.child('head');
    return head instanceof Linear ? head.outFeatures : 0;
  }

  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0)
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    this.registerModule('head', numClasses > 0 ? new Linear(this.numFeatures, numClasses) : new Identity());
  }

  /** Patch tokens plus the (resampled) position embedding. */
  #embed(x: SymbolicTensor): { tokens: SymbolicTensor; grid: [number, number] } {
    const [, , h, w] = x.shape;
    const p = this.config.patchSize;
    if (typeof h !== 'number' || typeof w !== 'number')
      throw new InvalidArgumentError(
        `Cait: image height and width must be static, got [${x.shape.join(', ')}]`,
      );
    const grid: [number, number] = [Math.floor(h / p), Math.floor(w / p)];
    // No prefix tokens: CaiT's class token joins after the self-attention blocks.
    const pos = resamplePosEmbed(this.posEmbed, {
      newSize: grid,
      oldSize: this.patchEmbed.gridSize!,
      numPrefixTokens: 0,
    });
    const tokens = (this.child('pos_drop') as Layer).call(F.add(this.patchEmbed.call(x), pos));
    return { tokens, grid };
  }

  /** Class-attention blocks, then `[cls, patches]` normalised. */
  #finish(x: SymbolicTensor): SymbolicTensor {
    let cls = F.expandBatch(this.clsToken, x);
    for (const blk of this.blocksTokenOnly) cls = blk.call(x, cls);
    return (this.child('norm') as Layer).call(F.concat([cls, x], 1));
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    return this.#finish(this.blocks.call(this.#embed(x).tokens));
  }

  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    const pooled = (this.child('head_drop') as Layer).call(F.gather(x, 0, 1)); // class token
    return preLogits ? pooled : (this.child('head') as Layer).call(pooled);
  }

  /** Outputs of `blocks.i` as NCHW maps `[B, C, H/p, W/p]` (timm's `output_fmt='NCHW'`). */
  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.config.depth, indices);
    const { tokens, grid } = this.#embed(x);
    const intermediates: SymbolicTensor[] = [];
    let y = tokens;
    const last = options.intermediatesOnly ? maxIndex : this.config.depth - 1;
    for (let i = 0; i <= last; i++) {
      y = (this.blocks.child(String(i)) as Layer).call(y);
      if (take.includes(i))
        intermediates.push(F.permute(F.reshape(y, [0, grid[0], grid[1], this.numFeatures]), [0, 3, 1, 2]));
    }
    return options.intermediatesOnly ? { intermediates } : { final: this.#finish(y), intermediates };
  }

  /** Later blocks, the class-attention blocks, the final norm and the head go, as in timm's features model. */
  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.config.depth, indices);
    for (let i = maxIndex + 1; i < this.config.depth; i++)
      this.blocks.registerModule(String(i), new Identity());
    this.blocksTokenOnly = this.registerModule('blocks_token_only', new ModuleList());
    this.registerModule('norm', new Identity());
    this.registerModule('head', new Identity());
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof CaitConfig>> = {
  imgSize: 'imgSize',
  img_size: 'imgSize',
  patchSize: 'patchSize',
  patch_size: 'patchSize',
  embedDim: 'embedDim',
  embed_dim: 'embedDim',
  depth: 'depth',
  numHeads: 'numHeads',
  num_heads: 'numHeads',
  initValues: 'initValues',
  init_values: 'initValues',
  mlpRatio: 'mlpRatio',
  mlp_ratio: 'mlpRatio',
  depthTokenOnly: 'depthTokenOnly',
  depth_token_only: 'depthTokenOnly',
  qkvBias: 'qkvBias',
  qkv_bias: 'qkvBias',
};

/** A registered architecture with builder kwargs applied (camelCase or timm's snake_case). */
export function caitConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): CaitConfig {
  const base = (CAIT_CONFIGS as Record<string, CaitConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown CaiT architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name)
      throw new InvalidArgumentError(
        `CaiT '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    config[name] = v;
  }
  return config as unknown as CaitConfig;
}

/**
 * Builds a registered CaiT (or its features-only model: by default the last three blocks, as
 * timm's).
 */
export function create(options: ModelBuildOptions): Cait | FeatureListNet {
  const config = caitConfig(options.arch, options.kwargs);
  const model = new Cait(config, { numClasses: options.numClasses, inChans: options.inChans });
  if (!options.featuresOnly) return model;
  const d = config.depth;
  return new FeatureListNet(model, options.outIndices ?? [d - 3, d - 2, d - 1]);
}

/** The registry factory. */
export const factory: ModelFactoryObject = {
  create,
  featureInfo: (module) => (module as Cait | FeatureListNet).featureInfo,
};
