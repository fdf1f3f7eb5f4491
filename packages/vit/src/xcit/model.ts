/**
 * timm's `Xcit`: convolutional patch embedding (`patch_embed.proj`), Fourier position encoding
 * (`pos_embed.token_projection`), XCA blocks (`blocks.i`), class-attention blocks
 * (`cls_attn_blocks.i`) after the class token (`cls_token`) joins, `norm` and `head`.
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
  type SymbolicTensor,
  type Tensor,
} from '@ocular/core';
import { ClassAttentionBlock, ConvPatchEmbed, PositionalEncodingFourier, XCABlock } from './blocks.js';
import { XCIT_CONFIGS, type XcitConfig } from './configs.js';
import { xcitFeatureInfo } from './variants.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link Xcit} besides the architecture. */
export interface XcitOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/**
 * An XCiT classifier with timm's module names. Any input size works: the position encoding is
 * computed for the token grid at trace time.
 */
export class Xcit extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: XcitConfig;
  readonly clsToken: Tensor<'float32'>;
  readonly patchEmbed: ConvPatchEmbed;
  readonly posEmbed: PositionalEncodingFourier;
  readonly blocks: ModuleList<XCABlock>;
  clsAttnBlocks: ModuleList<ClassAttentionBlock>;

  constructor(config: XcitConfig, options: XcitOptions = {}) {
    super();
    this.config = config;
    const dim = config.embedDim;
    // timm initialises it with trunc_normal(std=0.02); zeros keep construction deterministic.
    this.clsToken = this.registerParameter('cls_token', fullTensor([1, 1, dim], 0));
    this.patchEmbed = this.registerModule(
      'patch_embed',
      new ConvPatchEmbed({ patchSize: config.patchSize, inChans: options.inChans ?? 3, embedDim: dim }),
    );
    this.posEmbed = this.registerModule('pos_embed', new PositionalEncodingFourier(dim));
    this.registerModule('pos_drop', new Dropout(0));
    const block = {
      numHeads: config.numHeads,
      mlpRatio: config.mlpRatio ?? 4,
      qkvBias: config.qkvBias ?? true,
      eta: config.eta,
    };
    this.blocks = this.registerModule(
      'blocks',
      new ModuleList(Array.from({ length: config.depth }, () => new XCABlock(dim, block))),
    );
    this.clsAttnBlocks = this.registerModule(
      'cls_attn_blocks',
      new ModuleList(
        Array.from(
          { length: config.clsAttnLayers ?? 2 },
          () => new ClassAttentionBlock(dim, { ...block, tokensNorm: config.tokensNorm }),
        ),
      ),
    );
    this.registerModule('norm', new LayerNorm(dim, { eps: 1e-6 }));
    this.registerModule('head_drop', new Dropout(0));
    const n = options.numClasses ?? 1000;
    this.registerModule('head', n > 0 ? new Linear(dim, n) : new Identity());
    this.numFeatures = dim;
    this.featureInfo = xcitFeatureInfo(config);
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

  /** Patch tokens plus the position encoding, and the token grid. */
  #embed(x: SymbolicTensor): { tokens: SymbolicTensor; h: number; w: number } {
    const map = this.patchEmbed.call(x);
    const [, c, h, w] = map.shape;
    if (typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number')
      throw new InvalidArgumentError(`Xcit: the token grid must be static, got [${map.shape.join(', ')}]`);
    const tokens = F.transpose(F.flatten(map, 2), 1, 2);
    const pos = F.permute(F.reshape(this.posEmbed.call(map), [1, c, h * w]), [0, 2, 1]);
    return { tokens: (this.child('pos_drop') as Layer).call(F.add(tokens, pos)), h, w };
  }

  /** Class token joined, class-attention blocks, final norm. */
  #finish(x: SymbolicTensor): SymbolicTensor {
    let y = F.concat([F.expandBatch(this.clsToken, x), x], 1);
    for (const blk of this.clsAttnBlocks) y = blk.call(y);
    return (this.child('norm') as Layer).call(y);
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    let { tokens, h, w } = this.#embed(x);
    for (const blk of this.blocks) tokens = blk.call(tokens, h, w);
    return this.#finish(tokens);
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
    let { tokens, h, w } = this.#embed(x);
    const intermediates: SymbolicTensor[] = [];
    const last = options.intermediatesOnly ? maxIndex : this.config.depth - 1;
    for (let i = 0; i <= last; i++) {
      tokens = this.blocks.get(i).call(tokens, h, w);
      if (take.includes(i))
        intermediates.push(F.permute(F.reshape(tokens, [0, h, w, this.numFeatures]), [0, 3, 1, 2]));
    }
    return options.intermediatesOnly ? { intermediates } : { final: this.#finish(tokens), intermediates };
  }

  /**
   * Blocks after the last selected one, the class-attention blocks, the final norm and the head
   * go, as in timm's features model.
   */
  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.config.depth, indices);
    for (let i = maxIndex + 1; i < this.config.depth; i++)
      this.blocks.registerModule(String(i), new Identity());
    this.clsAttnBlocks = this.registerModule('cls_attn_blocks', new ModuleList());
    this.registerModule('norm', new Identity());
    this.registerModule('head', new Identity());
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof XcitConfig>> = {
  imgSize: 'imgSize',
  img_size: 'imgSize',
  patchSize: 'patchSize',
  patch_size: 'patchSize',
  embedDim: 'embedDim',
  embed_dim: 'embedDim',
  depth: 'depth',
  numHeads: 'numHeads',
  num_heads: 'numHeads',
  eta: 'eta',
  tokensNorm: 'tokensNorm',
  tokens_norm: 'tokensNorm',
  mlpRatio: 'mlpRatio',
  mlp_ratio: 'mlpRatio',
  clsAttnLayers: 'clsAttnLayers',
  cls_attn_layers: 'clsAttnLayers',
  qkvBias: 'qkvBias',
  qkv_bias: 'qkvBias',
};

/** A registered architecture with builder kwargs applied (camelCase or timm's snake_case). */
export function xcitConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): XcitConfig {
  const base = (XCIT_CONFIGS as Record<string, XcitConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown XCiT architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name)
      throw new InvalidArgumentError(
        `XCiT '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    config[name] = v;
  }
  return config as unknown as XcitConfig;
}

/** Builds a registered XCiT (or its features-only model: by default the last three blocks, as timm's). */
export function create(options: ModelBuildOptions): Xcit | FeatureListNet {
  const config = xcitConfig(options.arch, options.kwargs);
  const model = new Xcit(config, { numClasses: options.numClasses, inChans: options.inChans });
  if (!options.featuresOnly) return model;
  const d = config.depth;
  return new FeatureListNet(model, options.outIndices ?? [d - 3, d - 2, d - 1]);
}

/** The registry factory. */
export const factory: ModelFactoryObject = {
  create,
  featureInfo: (module) => (module as Xcit | FeatureListNet).featureInfo,
};
