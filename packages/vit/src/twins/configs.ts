/**
 * Twins-SVT architecture definitions (timm's `twins.py` entry points), as data.
 * @module
 */

/** A Twins-SVT configuration (timm's `Twins(...)` arguments). */
export interface TwinsConfig {
  /** Patch size of the first patch embedding (later ones use 2; default 4). */
  readonly patchSize?: number;
  /** Channels per stage. */
  readonly embedDims: readonly number[];
  /** Attention heads per stage. */
  readonly numHeads: readonly number[];
  /** MLP expansion ratio per stage (default 4 everywhere). */
  readonly mlpRatios?: readonly number[];
  /** Blocks per stage. */
  readonly depths: readonly number[];
  /** Key/value sub-sampling ratio of the global attention per stage (default 8, 4, 2, 1). */
  readonly srRatios?: readonly number[];
  /** Window of the locally-grouped attention (even-indexed blocks) per stage. */
  readonly wss: readonly number[];
}

/** The registered Twins-SVT architectures by timm name. */
export const TWINS_CONFIGS = {
  twins_svt_small: {
    embedDims: [64, 128, 256, 512],
    numHeads: [2, 4, 8, 16],
    depths: [2, 2, 10, 4],
    wss: [7, 7, 7, 7],
  },
  twins_svt_base: {
    embedDims: [96, 192, 384, 768],
    numHeads: [3, 6, 12, 24],
    depths: [2, 2, 18, 2],
    wss: [7, 7, 7, 7],
  },
  twins_svt_large: {
    embedDims: [128, 256, 512, 1024],
    numHeads: [4, 8, 16, 32],
    depths: [2, 2, 18, 2],
    wss: [7, 7, 7, 7],
  },
} as const satisfies Record<string, TwinsConfig>;

/** A registered Twins architecture name. */
export type TwinsArch = keyof typeof TWINS_CONFIGS;
