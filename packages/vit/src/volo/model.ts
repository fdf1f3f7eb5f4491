/**
 * The VOLO classifier (timm's `VOLO`) with timm's state-dict keys, its features-only form, and
 * the registry factory.
 * @module
 */
import {
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
  Linear,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  ModuleList,
  resamplePosEmbed,
  Sequential,
  type SymbolicTensor,
  Tensor,
} from '@ocular/core';
import { ClassBlock, Outlooker, VoloDownsample, VoloPatchEmbed, VoloTransformer } from './blocks.js';
import { VOLO_CONFIGS, type VoloConfig } from './configs.js';
import { voloFeatureInfo } from './variants.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link Volo}. */
export interface VoloOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/**
 * VOLO: a conv stem, outlooker blocks at 1/8 resolution, a downsample, transformer blocks at
 * 1/16 with an absolute position embedding added before them, two class-attention blocks on a
 * prepended class token, and the token-labeling head. Inference logits are timm's
 * `head(cls) + 0.5 · max over tokens of aux_head(tokens)`.
 *
 * Token hooks: `network` is a `ModuleList` of `[B, H, W, C]` stages and `post_network` one of
 * `[B, 1 + N, C]` blocks; replacing an entry (e.g. with a wrapper that merges or prunes tokens
 * before delegating) changes the forward pass without editing this class.
 */
export class Volo extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  /** `network` indices whose outputs are the feature maps. */
  readonly stageEnds: readonly number[];
  readonly posEmbed: Tensor<'float32'>;
  readonly clsToken: Tensor<'float32'>;
  readonly patchEmbed: VoloPatchEmbed;
  readonly network: ModuleList<Layer>;
  postNetwork: ModuleList<Layer>;
  auxHead: Layer;
  norm: Layer;
  head: Layer;
  #numClasses: number;
  #pruned = false;

  constructor(
    readonly config: VoloConfig,
    options: VoloOptions = {},
  ) {
    super();
    const dims = config.embedDims;
    const last = dims[dims.length - 1]!;
    this.numFeatures = last;
    this.#numClasses = options.numClasses ?? 1000;
    const grid = Math.floor(config.imgSize / config.patchSize / 2);
    // Own parameters come first in PyTorch's state dict, whatever the construction order.
    this.posEmbed = this.registerParameter('pos_embed', Tensor.zeros('float32', [1, grid, grid, last]));
    this.clsToken = this.registerParameter('cls_token', Tensor.zeros('float32', [1, 1, last]));
    this.patchEmbed = this.registerModule(
      'patch_embed',
      new VoloPatchEmbed(options.inChans ?? 3, config.stemHiddenDim, dims[0]!, config.patchSize),
    );
    const network: Layer[] = [];
    const ends: number[] = [];
    config.layers.forEach((depth, i) => {
      const blocks: Layer[] = [];
      for (let b = 0; b < depth; b++) {
        blocks.push(
          config.outlookAttention[i]
            ? new Outlooker(dims[i]!, 3, 1, 2, config.numHeads[i]!, config.mlpRatio)
            : new VoloTransformer(dims[i]!, config.numHeads[i]!, config.mlpRatio),
        );
      }
      ends.push(network.length);
      network.push(new Sequential(blocks));
      if (config.downsamples[i]) network.push(new VoloDownsample(dims[i]!, dims[i + 1]!, 2));
    });
    this.stageEnds = ends;
    this.network = this.registerModule('network', new ModuleList(network));
    const post: Layer[] = [];
    for (let i = 0; i < config.postLayers; i++) {
      post.push(new ClassBlock(last, config.numHeads[config.numHeads.length - 1]!, config.mlpRatio));
    }
    this.postNetwork = this.registerModule('post_network', new ModuleList(post));
    this.auxHead = this.registerModule('aux_head', this.#classifier());
    this.norm = this.registerModule('norm', new LayerNorm(last));
    this.head = this.registerModule('head', this.#classifier());
    this.featureInfo = voloFeatureInfo(config);
  }

  #classifier(): Layer {
    return this.#numClasses > 0 ? new Linear(this.numFeatures, this.#numClasses) : new Identity();
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#numClasses;
  }

  /** Replaces `head` and `aux_head` (timm resets both). */
  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0) {
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    }
    if (this.#pruned) throw new InvalidArgumentError('resetClassifier: the head was pruned');
    this.#numClasses = numClasses;
    this.auxHead = this.registerModule('aux_head', this.#classifier());
    this.head = this.registerModule('head', this.#classifier());
  }

  /**
   * The position embedding for an `h × w` grid: resampled (bicubic with antialiasing, timm's
   * `resample_abs_pos_embed` arithmetic, on the host) when the grid differs from training.
   */
  #posEmbed(h: number, w: number): SymbolicTensor | Tensor {
    const [, gh, gw, c] = this.posEmbed.dims as [number, number, number, number];
    if (gh === h && gw === w) return this.posEmbed;
    const tokens = resamplePosEmbed(this.posEmbed.reshape([1, gh * gw, c]), {
      newSize: [h, w],
      oldSize: [gh, gw],
      numPrefixTokens: 0,
    });
    return F.reshape(tokens, [1, h, w, c]);
  }

  #stem(x: SymbolicTensor): SymbolicTensor {
    return F.permute(this.patchEmbed.call(x), [0, 2, 3, 1]); // [B, H, W, C]
  }

  #runNetwork(x: SymbolicTensor, idx: number): SymbolicTensor {
    let y = x;
    if (idx === 2) {
      const [, h, w] = y.shape as number[];
      y = F.add(y, this.#posEmbed(h!, w!));
    }
    return (this.network.get(idx) as Layer).call(y);
  }

  #forwardCls(x: SymbolicTensor): SymbolicTensor {
    let y = F.concat([F.expandBatch(this.clsToken, x), x], 1);
    for (const block of this.postNetwork) y = (block as Layer).call(y);
    return y;
  }

  /** Tokens `[B, 1 + N, C]` after the class blocks and the final norm. */
  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    let y = this.#stem(x);
    for (let i = 0; i < this.network.length; i++) y = this.#runNetwork(y, i);
    return this.norm.call(this.#forwardCls(F.reshape(y, [0, -1, this.numFeatures])));
  }

  /** Class token through `head`, plus half the per-class maximum of `aux_head` over the other tokens. */
  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    const cls = F.gather(x, 0, 1);
    if (preLogits) return cls;
    const aux = this.auxHead.call(F.slice(x, [1], [Number.MAX_SAFE_INTEGER], [1]));
    return F.add(this.head.call(cls), F.mul(F.reduceMax(aux, [1], { keepdims: false }), 0.5));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }

  /** Stage outputs as `[B, C, H, W]` (timm's `forward_intermediates`, no norm). */
  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.stageEnds.length, indices);
    const takeBlocks = new Set(take.map((i) => this.stageEnds[i]!));
    const stop = options.intermediatesOnly ? this.stageEnds[maxIndex]! : this.network.length - 1;
    const intermediates: SymbolicTensor[] = [];
    let y = this.#stem(x);
    for (let i = 0; i <= stop; i++) {
      y = this.#runNetwork(y, i);
      if (takeBlocks.has(i)) intermediates.push(F.permute(y, [0, 3, 1, 2]));
    }
    if (options.intermediatesOnly) return { intermediates };
    const final = this.norm.call(this.#forwardCls(F.reshape(y, [0, -1, this.numFeatures])));
    return { final, intermediates };
  }

  /** Drops the stages after the last selected map, the class blocks, norm and both heads. */
  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.stageEnds.length, indices);
    for (let i = this.stageEnds[maxIndex]! + 1; i < this.network.length; i++) {
      this.network.registerModule(String(i), new Identity());
    }
    this.postNetwork = this.registerModule('post_network', new ModuleList<Layer>());
    this.norm = this.registerModule('norm', new Identity());
    this.#numClasses = 0;
    this.auxHead = this.registerModule('aux_head', new Identity());
    this.head = this.registerModule('head', new Identity());
    this.#pruned = true;
    return take;
  }
}

/** Builds a registered VOLO (or its features-only form) from registry options. */
export function create(options: ModelBuildOptions): Volo | FeatureListNet {
  const config = (VOLO_CONFIGS as Record<string, VoloConfig>)[options.arch];
  if (!config) throw new InvalidArgumentError(`unknown VOLO architecture '${options.arch}'`);
  const model = new Volo(config, { numClasses: options.numClasses, inChans: options.inChans });
  // timm's default for features-only VOLO: the last three stage maps.
  const outIndices = options.outIndices ?? [1, 2, 3];
  return options.featuresOnly ? new FeatureListNet(model, outIndices) : model;
}

/** The registry factory of the VOLO family. */
export const factory: ModelFactoryObject = {
  create,
  featureInfo: (module) => (module as Volo | FeatureListNet).featureInfo,
};
