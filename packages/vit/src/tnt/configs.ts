/**
 * TNT architectures as data (timm's `tnt_*` entrypoints, non-legacy form).
 * @module
 */

/** One TNT architecture. */
export interface TntConfig {
  /** Outer (patch) size in pixels. */
  readonly patchSize: number;
  /** Outer token width. */
  readonly embedDim: number;
  /** Inner (pixel) token width. */
  readonly innerDim: number;
  readonly depth: number;
  readonly numHeadsInner: number;
  readonly numHeadsOuter: number;
  readonly mlpRatio: number;
  readonly qkvBias: boolean;
  /** Stride of the pixel-embedding conv inside a patch. */
  readonly firstStride: number;
  /** Training resolution (size of `patch_pos`). */
  readonly imgSize: number;
}

/** The registered TNT architectures. */
export const TNT_CONFIGS = {
  tnt_s_patch16_224: {
    patchSize: 16,
    embedDim: 384,
    innerDim: 24,
    depth: 12,
    numHeadsInner: 4,
    numHeadsOuter: 6,
    mlpRatio: 4,
    qkvBias: false,
    firstStride: 4,
    imgSize: 224,
  },
} as const satisfies Record<string, TntConfig>;

/** Name of a registered TNT architecture. */
export type TntArch = keyof typeof TNT_CONFIGS;
