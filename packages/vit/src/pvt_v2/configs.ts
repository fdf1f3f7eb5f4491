/**
 * PVTv2 architecture definitions (timm's `pvt_v2.py` entry points), as data.
 * @module
 */

/** A PVTv2 configuration (timm's `PyramidVisionTransformerV2(...)` arguments). */
export interface PvtV2Config {
  /** Blocks per stage. */
  readonly depths: readonly number[];
  /** Channels per stage. */
  readonly embedDims: readonly number[];
  /** Attention heads per stage. */
  readonly numHeads: readonly number[];
  /** Spatial-reduction ratio of keys/values per stage (default 8, 4, 2, 1). */
  readonly srRatios?: readonly number[];
  /** MLP expansion ratio per stage (default 8, 8, 4, 4). */
  readonly mlpRatios?: readonly number[];
  /** Bias on q and kv (default true). */
  readonly qkvBias?: boolean;
}

/** The registered PVTv2 architectures by timm name (block norms use eps 1e-6 in all of them). */
export const PVT_V2_CONFIGS = {
  pvt_v2_b0: { depths: [2, 2, 2, 2], embedDims: [32, 64, 160, 256], numHeads: [1, 2, 5, 8] },
  pvt_v2_b1: { depths: [2, 2, 2, 2], embedDims: [64, 128, 320, 512], numHeads: [1, 2, 5, 8] },
  pvt_v2_b2: { depths: [3, 4, 6, 3], embedDims: [64, 128, 320, 512], numHeads: [1, 2, 5, 8] },
} as const satisfies Record<string, PvtV2Config>;

/** A registered PVTv2 architecture name. */
export type PvtV2Arch = keyof typeof PVT_V2_CONFIGS;
