/**
 * Architecture data of the vision_transformer family (timm's `vision_transformer.py` and
 * `deit.py` model functions): plain data, no model code.
 * @module
 */

/** Token pooling before the classifier (timm's `global_pool`; `'map'` = latent attention pool). */
export type VitPool = '' | 'token' | 'avg' | 'avgmax' | 'max' | 'map';

/** The token-norm layer (timm's `norm_layer`). */
export type VitNorm = 'layernorm' | 'rmsnorm';

/** A VisionTransformer (or DeiT) configuration; defaults are timm's `VisionTransformer` defaults. */
export interface VitConfig {
  /** Training image size (default 224; `[h, w]` or square): the grid of the position embedding. */
  readonly imgSize?: number | readonly [number, number];
  /** Default 16. */
  readonly patchSize?: number;
  /** Default 768. */
  readonly embedDim?: number;
  /** Default 12. */
  readonly depth?: number;
  /** Default 12. */
  readonly numHeads?: number;
  /** Default 4. */
  readonly mlpRatio?: number;
  /** Bias on qkv (default true). */
  readonly qkvBias?: boolean;
  /** Layer scale (`ls1`, `ls2`) starting at this value; none when absent. */
  readonly initValues?: number;
  /** A class token (default true). */
  readonly classToken?: boolean;
  /** Register tokens after the class token (default 0). */
  readonly regTokens?: number;
  /** The position embedding leaves out the prefix tokens (default false). */
  readonly noEmbedClass?: boolean;
  /** LayerNorm after the embeddings (`norm_pre`, default false; the patch conv then has no bias). */
  readonly preNorm?: boolean;
  /** A final norm (default true): `norm` before pooling, or `fc_norm` after it. */
  readonly finalNorm?: boolean;
  /** Norm after pooling instead of before (default: for the avg/max pools). */
  readonly fcNorm?: boolean;
  /** Default `'token'`. */
  readonly globalPool?: VitPool;
  /** The `'map'` pool attends over the prefix tokens too (default false). */
  readonly poolIncludePrefix?: boolean;
  /** Default `'layernorm'` (eps 1e-6, as timm's ViT). */
  readonly normLayer?: VitNorm;
  /** DeiT's distillation token and second head (timm's `VisionTransformerDistilled`). */
  readonly distilled?: boolean;
}

/** The registered architectures. */
export const VIT_CONFIGS = {
  vit_tiny_patch16_224: { patchSize: 16, embedDim: 192, depth: 12, numHeads: 3 },
  vit_small_patch16_224: { patchSize: 16, embedDim: 384, depth: 12, numHeads: 6 },
  vit_small_patch32_224: { patchSize: 32, embedDim: 384, depth: 12, numHeads: 6 },
  vit_base_patch16_224: { patchSize: 16, embedDim: 768, depth: 12, numHeads: 12 },
  vit_base_patch32_224: { patchSize: 32, embedDim: 768, depth: 12, numHeads: 12 },
  vit_medium_patch16_gap_256: {
    imgSize: 256,
    patchSize: 16,
    embedDim: 512,
    depth: 12,
    numHeads: 8,
    classToken: false,
    globalPool: 'avg',
    qkvBias: false,
    initValues: 1e-6,
    fcNorm: false,
  },
  deit_tiny_patch16_224: { patchSize: 16, embedDim: 192, depth: 12, numHeads: 3 },
  deit_small_patch16_224: { patchSize: 16, embedDim: 384, depth: 12, numHeads: 6 },
  deit_base_patch16_224: { patchSize: 16, embedDim: 768, depth: 12, numHeads: 12 },
  deit_tiny_distilled_patch16_224: { patchSize: 16, embedDim: 192, depth: 12, numHeads: 3, distilled: true },
  deit_small_distilled_patch16_224: { patchSize: 16, embedDim: 384, depth: 12, numHeads: 6, distilled: true },
  test_vit: { imgSize: 160, patchSize: 16, embedDim: 64, depth: 6, numHeads: 2, mlpRatio: 3 },
  test_vit2: {
    imgSize: 160,
    patchSize: 16,
    embedDim: 64,
    depth: 8,
    numHeads: 2,
    mlpRatio: 3,
    classToken: false,
    regTokens: 1,
    globalPool: 'avg',
    initValues: 1e-5,
  },
  test_vit3: {
    imgSize: 160,
    patchSize: 16,
    embedDim: 96,
    depth: 9,
    numHeads: 3,
    mlpRatio: 2,
    classToken: false,
    regTokens: 1,
    globalPool: 'map',
    poolIncludePrefix: true,
    initValues: 1e-5,
  },
  test_vit4: {
    imgSize: 160,
    patchSize: 16,
    embedDim: 96,
    depth: 9,
    numHeads: 3,
    mlpRatio: 3,
    classToken: false,
    regTokens: 1,
    globalPool: 'avg',
    initValues: 1e-5,
    normLayer: 'rmsnorm',
  },
} as const satisfies Record<string, VitConfig>;

/** A registered architecture name. */
export type VitArch = keyof typeof VIT_CONFIGS;
