/**
 * The TNT classifier (timm's `TNT`, non-legacy) with timm's state-dict keys, its features-only
 * form, and the registry factory.
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
  type SymbolicTensor,
  Tensor,
} from '@ocular/core';
import { PixelEmbed, TntBlock } from './blocks.js';
import { TNT_CONFIGS, type TntConfig } from './configs.js';
import { tntFeatureInfo } from './variants.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link Tnt}. */
export interface TntOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/**
 * Transformer in Transformer: pixel tokens inside each patch run through an inner transformer
 * whose output is projected into the patch tokens of an outer transformer, block by block.
 * Class-token pooling. At another input size `patch_pos` is resampled bicubically (class token
 * kept), as timm's checkpoint filter does.
 *
 * Token hooks: `blocks` is a `ModuleList` of `(pixel, patch) → (pixel, patch)` blocks; replacing
 * an entry with a wrapper changes the forward pass without editing this class.
 */
export class Tnt extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly numPrefixTokens = 1;
  readonly clsToken: Tensor<'float32'>;
  readonly patchPos: Tensor<'float32'>;
  readonly pixelPos: Tensor<'float32'>;
  readonly pixelEmbed: PixelEmbed;
  readonly norm1Proj: LayerNorm;
  readonly proj: Linear;
  readonly norm2Proj: LayerNorm;
  readonly blocks: ModuleList<TntBlock>;
  norm: Layer;
  head: Layer;
  #numClasses: number;
  #depth: number;

  constructor(
    readonly config: TntConfig,
    options: TntOptions = {},
  ) {
    super();
    const { embedDim, innerDim, patchSize } = config;
    this.numFeatures = embedDim;
    this.#numClasses = options.numClasses ?? 1000;
    const grid = Math.floor(config.imgSize / patchSize);
    const inner = Math.ceil(patchSize / config.firstStride);
    const numPixel = inner * inner;
    this.clsToken = this.registerParameter('cls_token', Tensor.zeros('float32', [1, 1, embedDim]));
    this.patchPos = this.registerParameter(
      'patch_pos',
      Tensor.zeros('float32', [1, grid * grid + 1, embedDim]),
    );
    this.pixelPos = this.registerParameter('pixel_pos', Tensor.zeros('float32', [1, innerDim, inner, inner]));
    this.pixelEmbed = this.registerModule(
      'pixel_embed',
      new PixelEmbed(options.inChans ?? 3, innerDim, patchSize, config.firstStride),
    );
    this.norm1Proj = this.registerModule('norm1_proj', new LayerNorm(numPixel * innerDim));
    this.proj = this.registerModule('proj', new Linear(numPixel * innerDim, embedDim));
    this.norm2Proj = this.registerModule('norm2_proj', new LayerNorm(embedDim));
    const blocks: TntBlock[] = [];
    for (let i = 0; i < config.depth; i++) {
      blocks.push(
        new TntBlock(
          innerDim,
          embedDim,
          numPixel,
          config.numHeadsInner,
          config.numHeadsOuter,
          config.mlpRatio,
          config.qkvBias,
        ),
      );
    }
    this.blocks = this.registerModule('blocks', new ModuleList(blocks));
    this.#depth = config.depth;
    this.norm = this.registerModule('norm', new LayerNorm(embedDim));
    this.head = this.registerModule('head', this.#classifier());
    this.featureInfo = tntFeatureInfo(config);
  }

  #classifier(): Layer {
    return this.#numClasses > 0 ? new Linear(this.numFeatures, this.#numClasses) : new Identity();
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#numClasses;
  }

  /** Replaces `head`. */
  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0) {
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    }
    this.#numClasses = numClasses;
    this.head = this.registerModule('head', this.#classifier());
  }

  /** Grid of patches for an input (whole patches only). */
  #grid(x: SymbolicTensor): [number, number] {
    const [, , h, w] = x.shape as number[];
    return [Math.floor(h! / this.config.patchSize), Math.floor(w! / this.config.patchSize)];
  }

  /** Pixel and patch tokens after the embeddings (before the blocks). */
  #embed(x: SymbolicTensor): [SymbolicTensor, SymbolicTensor] {
    const [gh, gw] = this.#grid(x);
    const pixel = this.pixelEmbed.call(x, this.pixelPos);
    const flat = F.reshape(pixel, [-1, gh * gw, this.norm1Proj.normalizedShape[0]!]);
    let patch = this.norm2Proj.call(this.proj.call(this.norm1Proj.call(flat)));
    patch = F.concat([F.expandBatch(this.clsToken, patch), patch], 1);
    const pos = resamplePosEmbed(this.patchPos, { newSize: [gh, gw], numPrefixTokens: 1 });
    return [pixel, F.add(patch, pos)];
  }

  /** Patch tokens `[B, 1 + N, C]` after the blocks and the final norm. */
  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    let [pixel, patch] = this.#embed(x);
    for (let i = 0; i < this.#depth; i++) [pixel, patch] = this.blocks.get(i).call(pixel, patch);
    return this.norm.call(patch);
  }

  /** Class-token pooling, then `head`. */
  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    const cls = F.gather(x, 0, 1);
    return preLogits ? cls : this.head.call(cls);
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }

  /** Block outputs without the class token, as `[B, C, H/16, W/16]` (no norm, as timm's default). */
  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.#depth, indices);
    const [gh, gw] = this.#grid(x);
    const wanted = new Set(take);
    const stop = options.intermediatesOnly ? maxIndex : this.#depth - 1;
    const intermediates: SymbolicTensor[] = [];
    let [pixel, patch] = this.#embed(x);
    for (let i = 0; i <= stop; i++) {
      [pixel, patch] = this.blocks.get(i).call(pixel, patch);
      if (wanted.has(i)) {
        const tokens = F.slice(patch, [1], [Number.MAX_SAFE_INTEGER], [1]);
        intermediates.push(F.permute(F.reshape(tokens, [0, gh, gw, this.numFeatures]), [0, 3, 1, 2]));
      }
    }
    if (options.intermediatesOnly) return { intermediates };
    return { final: this.norm.call(patch), intermediates };
  }

  /** Drops the blocks after the last selected map, the final norm and the head. */
  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.#depth, indices);
    for (let i = maxIndex + 1; i < this.#depth; i++) {
      this.blocks.registerModule(String(i), new Identity() as unknown as TntBlock);
    }
    this.#depth = maxIndex + 1;
    this.norm = this.registerModule('norm', new Identity());
    this.resetClassifier(0);
    return take;
  }
}

/** Builds a registered TNT (or its features-only form) from registry options. */
export function create(options: ModelBuildOptions): Tnt | FeatureListNet {
  const config = (TNT_CONFIGS as Record<string, TntConfig>)[options.arch];
  if (!config) throw new InvalidArgumentError(`unknown TNT architecture '${options.arch}'`);
  const model = new Tnt(config, { numClasses: options.numClasses, inChans: options.inChans });
  // timm's default for features-only TNT: the last three blocks.
  const outIndices = options.outIndices ?? [config.depth - 3, config.depth - 2, config.depth - 1];
  return options.featuresOnly ? new FeatureListNet(model, outIndices) : model;
}

/** The registry factory of the TNT family. */
export const factory: ModelFactoryObject = {
  create,
  featureInfo: (module) => (module as Tnt | FeatureListNet).featureInfo,
};
