/**
 * timm's `VisionTransformer` (and DeiT's `VisionTransformerDistilled`): `patch_embed`, prefix
 * tokens (`cls_token`, `reg_token`, `dist_token`), `pos_embed` (resampled bicubically at trace
 * time for other input sizes), `pos_drop`, `norm_pre`, `blocks`, `norm`, `fc_norm`,
 * `head_drop`, `head` (and `head_dist`).
 * @module
 */
import {
  type ClassifierModel,
  Dropout,
  F,
  type FeatureInfo,
  FeatureListNet,
  featureTakeIndices,
  Identity,
  type Intermediates,
  type IntermediatesOptions,
  InvalidArgumentError,
  Linear,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  PatchEmbed,
  resamplePosEmbed,
  Sequential,
  ShapeError,
  type SymbolicTensor,
  Tensor,
} from '@ocular/core';
import { AttentionPoolLatent, VitBlock, vitNorm } from './blocks.js';
import { VIT_CONFIGS, type VitConfig, type VitPool } from './configs.js';
import { vitFeatureInfo } from './variants.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** What a {@link TokenHook} is told about where it runs. */
export interface TokenHookInfo {
  /** Index of the block whose output the hook receives. */
  readonly block: number;
  /** Leading non-patch tokens (class, register, distillation) at the front of the sequence. */
  readonly numPrefixTokens: number;
  /** The patch grid `[h, w]` of this input (before any token was removed). */
  readonly gridSize: readonly [number, number];
}

/**
 * A token-level transform between blocks (token merging, pruning, ...): receives the `[B, N, C]`
 * tokens a block produced and returns the tokens the next block gets (N may change). Runs at
 * trace time, so what it does becomes part of the graph.
 */
export type TokenHook = (tokens: SymbolicTensor, info: TokenHookInfo) => SymbolicTensor;

/** Options of {@link VisionTransformer} besides the architecture. */
export interface VisionTransformerOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

function zeros(dims: number[]): Tensor<'float32'> {
  return Tensor.zeros('float32', dims);
}

/** A ViT / DeiT classifier with timm's module names, feature maps and forward semantics. */
export class VisionTransformer extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly config: VitConfig;
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly embedDim: number;
  /** Class + register (+ distillation) tokens in front of the patch tokens. */
  readonly numPrefixTokens: number;
  #globalPool: VitPool;
  readonly distilled: boolean;
  readonly clsToken?: Tensor<'float32'>;
  readonly regToken?: Tensor<'float32'>;
  readonly posEmbed: Tensor<'float32'>;
  readonly distToken?: Tensor<'float32'>;
  readonly patchEmbed: PatchEmbed;
  readonly posDrop: Dropout;
  readonly normPre: Layer;
  /** The transformer blocks (`blocks.i`), run in order with the {@link tokenHooks} between them. */
  readonly blocks: Sequential;
  /**
   * Token hooks by block index: the hook at i transforms block i's output before block i + 1
   * (and before the final norm after the last block). The extension point for token merging
   * and pruning: set hooks on a built (or loaded) model, no model code changes. Hooks hold no
   * state-dict entries.
   */
  readonly tokenHooks = new Map<number, TokenHook>();
  #numClasses: number;

  constructor(config: VitConfig, options: VisionTransformerOptions = {}) {
    super();
    this.config = config;
    const dim = config.embedDim ?? 768;
    const depth = config.depth ?? 12;
    const patch = config.patchSize ?? 16;
    const img = config.imgSize ?? 224;
    const classToken = config.classToken ?? true;
    const regTokens = config.regTokens ?? 0;
    this.#globalPool = config.globalPool ?? 'token';
    this.distilled = config.distilled ?? false;
    if (this.#globalPool === 'token' && !classToken)
      throw new InvalidArgumentError("VisionTransformer: global pool 'token' needs a class token");
    if (this.distilled && (this.#globalPool !== 'token' || !classToken || regTokens))
      throw new InvalidArgumentError(
        'VisionTransformer: the distilled variant pools the class token, without registers',
      );
    const useFcNorm = config.fcNorm ?? ['avg', 'avgmax', 'max'].includes(this.#globalPool);
    const finalNorm = config.finalNorm ?? true;
    const preNorm = config.preNorm ?? false;
    const norm = vitNorm(config.normLayer);
    this.embedDim = this.numFeatures = dim;
    this.numPrefixTokens = (classToken ? 1 : 0) + regTokens + (this.distilled ? 1 : 0);
    this.#numClasses = options.numClasses ?? 1000;

    // Parameters first: their state-dict order is timm's (cls, reg, pos, then DeiT's dist).
    if (classToken) this.clsToken = this.registerParameter('cls_token', zeros([1, 1, dim]));
    if (regTokens) this.regToken = this.registerParameter('reg_token', zeros([1, regTokens, dim]));
    this.patchEmbed = new PatchEmbed({
      imgSize: img,
      patchSize: patch,
      inChans: options.inChans ?? 3,
      embedDim: dim,
      bias: !preNorm,
      strictImgSize: false,
    });
    const embedLen = this.patchEmbed.numPatches! + (config.noEmbedClass ? 0 : this.numPrefixTokens);
    this.posEmbed = this.registerParameter('pos_embed', zeros([1, embedLen, dim]));
    if (this.distilled) this.distToken = this.registerParameter('dist_token', zeros([1, 1, dim]));
    this.registerModule('patch_embed', this.patchEmbed);
    this.posDrop = this.registerModule('pos_drop', new Dropout(0));
    this.registerModule('patch_drop', new Identity());
    this.normPre = this.registerModule('norm_pre', preNorm ? norm(dim) : new Identity());
    const blocks = Array.from(
      { length: depth },
      () =>
        new VitBlock(dim, {
          numHeads: config.numHeads ?? 12,
          mlpRatio: config.mlpRatio,
          qkvBias: config.qkvBias,
          initValues: config.initValues,
          norm,
        }),
    );
    this.blocks = this.registerModule('blocks', new Sequential(blocks));
    this.featureInfo = vitFeatureInfo(config);
    this.registerModule('norm', finalNorm && !useFcNorm ? norm(dim) : new Identity());
    if (this.#globalPool === 'map') {
      this.registerModule(
        'attn_pool',
        new AttentionPoolLatent(dim, { numHeads: config.numHeads ?? 12, mlpRatio: config.mlpRatio, norm }),
      );
    }
    this.registerModule('fc_norm', finalNorm && useFcNorm ? norm(dim) : new Identity());
    this.registerModule('head_drop', new Dropout(0));
    this.registerModule('head', this.#classifier(this.#numClasses));
    if (this.distilled) this.registerModule('head_dist', this.#classifier(this.#numClasses));
  }

  #classifier(n: number): Layer {
    return n > 0 ? new Linear(this.embedDim, n) : new Identity();
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
    this.registerModule('head', this.#classifier(numClasses));
    if (this.distilled) this.registerModule('head_dist', this.#classifier(numClasses));
  }

  /** The patch grid of an input image. */
  gridSize(x: SymbolicTensor): [number, number] {
    const [, , h, w] = x.shape;
    const [ph, pw] = this.patchEmbed.patchSize;
    if (typeof h !== 'number' || typeof w !== 'number')
      throw new ShapeError(
        `VisionTransformer: image height and width must be static, got [${x.shape.join(', ')}]`,
      );
    return [Math.floor(h / ph), Math.floor(w / pw)];
  }

  /** Patch tokens with the prefix tokens and the position embedding (timm's `_pos_embed`). */
  embed(x: SymbolicTensor): SymbolicTensor {
    const grid = this.gridSize(x);
    const tokens = this.patchEmbed.call(x);
    const trained = this.patchEmbed.gridSize!;
    const same = grid[0] === trained[0] && grid[1] === trained[1];
    const pos = same
      ? this.posEmbed
      : resamplePosEmbed(this.posEmbed, {
          newSize: grid,
          oldSize: this.patchEmbed.gridSize,
          numPrefixTokens: this.config.noEmbedClass ? 0 : this.numPrefixTokens,
        });
    const prefix = [this.clsToken, this.regToken, this.distToken]
      .filter((t): t is Tensor<'float32'> => t !== undefined)
      .map((t) => F.expandBatch(t, tokens));
    let y: SymbolicTensor;
    if (this.config.noEmbedClass) {
      y = F.add(tokens, pos);
      if (prefix.length) y = F.concat([...prefix, y], 1);
    } else {
      y = F.add(prefix.length ? F.concat([...prefix, tokens], 1) : tokens, pos);
    }
    y = this.posDrop.call(y);
    return this.normPre.call(this.#layer('patch_drop').call(y));
  }

  /** Blocks 0..`last` with the token hooks; `onBlock` sees each block's output before its hook. */
  #runBlocks(
    y: SymbolicTensor,
    grid: readonly [number, number],
    last: number,
    onBlock?: (i: number, tokens: SymbolicTensor) => void,
  ): SymbolicTensor {
    for (let i = 0; i <= last; i++) {
      y = (this.blocks.get(i) as Layer).call(y);
      onBlock?.(i, y);
      const hook = this.tokenHooks.get(i);
      if (hook) y = hook(y, { block: i, numPrefixTokens: this.numPrefixTokens, gridSize: grid });
    }
    return y;
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    const y = this.#runBlocks(this.embed(x), this.gridSize(x), this.blocks.length - 1);
    return this.#layer('norm').call(y);
  }

  /** Token pooling before the classifier (`''` = none). */
  get globalPool(): VitPool {
    return this.#globalPool;
  }

  /** Token pooling (timm's `global_pool_nlc`, or the latent attention pool). */
  pool(x: SymbolicTensor): SymbolicTensor {
    if (this.#globalPool === '') return x;
    if (this.#globalPool === 'token') return F.gather(x, 0, 1);
    const n = x.shape[1];
    if (typeof n !== 'number') throw new ShapeError('VisionTransformer: pooling needs a static token count');
    const patches = F.slice(x, [this.numPrefixTokens], [n], [1]);
    if (this.#globalPool === 'map') {
      return this.#layer('attn_pool').call(this.config.poolIncludePrefix ? x : patches);
    }
    const mean = () => F.reduceMean(patches, [1], { keepdims: false });
    const max = () => F.reduceMax(patches, [1], { keepdims: false });
    if (this.#globalPool === 'avg') return mean();
    if (this.#globalPool === 'max') return max();
    return F.mul(F.add(max(), mean()), 0.5);
  }

  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    if (this.distilled) {
      // DeiT at inference: the mean of the class-token and distillation-token heads.
      const cls = this.#layer('head_drop').call(F.gather(x, 0, 1));
      const dist = this.#layer('head_drop').call(F.gather(x, 1, 1));
      if (preLogits) return F.div(F.add(cls, dist), 2);
      return F.div(F.add(this.#layer('head').call(cls), this.#layer('head_dist').call(dist)), 2);
    }
    const y = this.#layer('head_drop').call(this.#layer('fc_norm').call(this.pool(x)));
    return preLogits ? y : this.#layer('head').call(y);
  }

  /**
   * Block outputs at `indices` as NCHW maps (prefix tokens dropped, timm's
   * `output_fmt='NCHW'`), and unless `intermediatesOnly` the normed final tokens.
   */
  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.blocks.length, indices);
    const grid = this.gridSize(x);
    const intermediates: SymbolicTensor[] = [];
    const last = options.intermediatesOnly ? maxIndex : this.blocks.length - 1;
    const y = this.#runBlocks(this.embed(x), grid, last, (i, tokens) => {
      if (take.includes(i)) intermediates.push(this.#toMap(tokens, grid, i));
    });
    if (options.intermediatesOnly) return { intermediates };
    return { final: this.#layer('norm').call(y), intermediates };
  }

  #toMap(tokens: SymbolicTensor, grid: readonly [number, number], block: number): SymbolicTensor {
    const n = tokens.shape[1];
    const [h, w] = grid;
    if (n !== this.numPrefixTokens + h * w) {
      throw new ShapeError(
        `VisionTransformer: block ${block} has ${n} tokens, not ${this.numPrefixTokens} prefix + ${h}×${w} patches; ` +
          'a token hook that changes the count makes later feature maps non-spatial',
      );
    }
    const patches = F.slice(tokens, [this.numPrefixTokens], [n], [1]);
    return F.permute(F.reshape(patches, [0, h, w, this.embedDim]), [0, 3, 1, 2]);
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.blocks.length, indices);
    for (let i = maxIndex + 1; i < this.blocks.length; i++)
      this.blocks.registerModule(String(i), new Identity());
    // timm's features model drops the final norm and the whole head.
    this.registerModule('norm', new Identity());
    this.registerModule('fc_norm', new Identity());
    if (this.#globalPool === 'map') this.registerModule('attn_pool', new Identity());
    this.#globalPool = '';
    this.resetClassifier(0);
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof VitConfig>> = {
  img_size: 'imgSize',
  patch_size: 'patchSize',
  embed_dim: 'embedDim',
  depth: 'depth',
  num_heads: 'numHeads',
  mlp_ratio: 'mlpRatio',
  qkv_bias: 'qkvBias',
  init_values: 'initValues',
  class_token: 'classToken',
  reg_tokens: 'regTokens',
  no_embed_class: 'noEmbedClass',
  pre_norm: 'preNorm',
  final_norm: 'finalNorm',
  fc_norm: 'fcNorm',
  global_pool: 'globalPool',
  pool_include_prefix: 'poolIncludePrefix',
  norm_layer: 'normLayer',
};
const CONFIG_KEYS = new Set<string>([...Object.values(KWARG_NAMES), 'distilled']);

/**
 * The configuration of a registered architecture with builder kwargs applied (camelCase or
 * timm's snake_case names: `{ img_size: 32, patch_size: 8, embed_dim: 64, depth: 2 }`).
 */
export function vitConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): VitConfig {
  const base = (VIT_CONFIGS as Record<string, VitConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown vision_transformer architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k] ?? (CONFIG_KEYS.has(k) ? k : undefined);
    if (!name) {
      throw new InvalidArgumentError(
        `vision_transformer '${arch}': unknown argument '${k}' (known: ${[...CONFIG_KEYS].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as VitConfig;
}

/** Builds a registered ViT (or its features-only wrapper: timm's default is the last 3 blocks). */
export function create(options: ModelBuildOptions): VisionTransformer | FeatureListNet {
  const model = new VisionTransformer(vitConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  if (!options.featuresOnly) return model;
  const depth = model.blocks.length;
  return new FeatureListNet(model, options.outIndices ?? [depth - 3, depth - 2, depth - 1]);
}

/** The keys a features-only model does not hold: the final norms and the classifiers. */
function isHeadKey(k: string): boolean {
  return /^(norm|fc_norm|attn_pool|head|head_dist)\./.test(k);
}

/** The registry factory (a features-only model loads a full checkpoint minus its head keys). */
export const factory: ModelFactoryObject = {
  create,
  checkpointFilter: (state, _module, options) => {
    if (!options.featuresOnly) return state;
    const keep = (k: string) => !isHeadKey(k);
    return {
      keys: () => [...state.keys()].filter(keep),
      get: (k) => (keep(k) ? state.get(k) : undefined),
      info: state.info ? (k) => (keep(k) ? state.info!(k) : undefined) : undefined,
    };
  },
  featureInfo: (module) => (module as VisionTransformer | FeatureListNet).featureInfo,
};
