/**
 * VOLO architectures as data (timm's `volo_*` entrypoints).
 * @module
 */

/** One VOLO architecture. */
export interface VoloConfig {
  /** Blocks per stage: an outlooker stage, then transformer stages. */
  readonly layers: readonly number[];
  /** Channels per stage. */
  readonly embedDims: readonly number[];
  /** Attention heads per stage. */
  readonly numHeads: readonly number[];
  /** Total stride of the patch embedding (stem conv stride 2 × projection). */
  readonly patchSize: number;
  /** Channels of the three-conv stem. */
  readonly stemHiddenDim: number;
  /** MLP expansion of every block. */
  readonly mlpRatio: number;
  /** Stages followed by a 2× downsample. */
  readonly downsamples: readonly boolean[];
  /** Stages built of outlooker blocks (the rest are transformer blocks). */
  readonly outlookAttention: readonly boolean[];
  /** Number of class-attention blocks after the network. */
  readonly postLayers: number;
  /** Training resolution (the position embedding grid is `imgSize / patchSize / 2`). */
  readonly imgSize: number;
}

const BASE = {
  patchSize: 8,
  stemHiddenDim: 64,
  mlpRatio: 3,
  downsamples: [true, false, false, false],
  outlookAttention: [true, false, false, false],
  postLayers: 2,
  imgSize: 224,
} as const;

/** The registered VOLO architectures. */
export const VOLO_CONFIGS = {
  volo_d1_224: { ...BASE, layers: [4, 4, 8, 2], embedDims: [192, 384, 384, 384], numHeads: [6, 12, 12, 12] },
} as const satisfies Record<string, VoloConfig>;

/** Name of a registered VOLO architecture. */
export type VoloArch = keyof typeof VOLO_CONFIGS;
