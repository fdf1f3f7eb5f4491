/**
 * InceptionNeXt architecture definitions (timm's `inception_next.py` entry points), as data.
 * @module
 */

/** A MetaNeXt configuration with the inception depthwise token mixer (timm's `MetaNeXt(...)`). */
export interface InceptionNeXtConfig {
  /** Blocks per stage (4 stages). */
  readonly depths: readonly number[];
  /** Channels per stage. */
  readonly dims: readonly number[];
  /** MLP ratio, one for all stages or one per stage (default 4, 4, 4, 3). */
  readonly mlpRatios?: number | readonly number[];
  /** Kernel of the square depthwise branch (default 3). */
  readonly squareKernelSize?: number;
  /** Length of the 1×k and k×1 band branches (default 11). */
  readonly bandKernelSize?: number;
  /** Share of channels per conv branch (default 0.125). */
  readonly branchRatio?: number;
  /** Layer-scale init value; 0 or `null` removes `gamma` (default 1e-6). */
  readonly lsInitValue?: number | null;
  /** Hidden-size ratio of the MLP head (default 3). */
  readonly headMlpRatio?: number;
}

/** The registered InceptionNeXt architectures by timm name. */
export const INCEPTION_NEXT_CONFIGS = {
  inception_next_atto: {
    depths: [2, 2, 6, 2],
    dims: [40, 80, 160, 320],
    bandKernelSize: 9,
    branchRatio: 0.25,
  },
  inception_next_tiny: { depths: [3, 3, 9, 3], dims: [96, 192, 384, 768] },
  inception_next_small: { depths: [3, 3, 27, 3], dims: [96, 192, 384, 768] },
  inception_next_base: { depths: [3, 3, 27, 3], dims: [128, 256, 512, 1024] },
} as const satisfies Record<string, InceptionNeXtConfig>;

/** A registered InceptionNeXt architecture name. */
export type InceptionNeXtArch = keyof typeof INCEPTION_NEXT_CONFIGS;
