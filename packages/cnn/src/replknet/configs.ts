/**
 * RepLKNet architecture definitions (Ding et al., "Scaling Up Your Kernels to 31x31", CVPR 2022;
 * the authors' `create_RepLKNet31B` / `31L`), as data.
 * @module
 */

/** A RepLKNet configuration. */
export interface RepLKNetConfig {
  /** Depthwise large-kernel size per stage (odd). */
  readonly largeKernelSizes: readonly number[];
  /** RepLK block + ConvFFN pairs per stage. */
  readonly layers: readonly number[];
  /** Channels per stage; the stem outputs `channels[0]`. */
  readonly channels: readonly number[];
  /** The parallel small kernel folded into the large one (odd, default 5). */
  readonly smallKernel: number;
  /** Depthwise width over stage width (default 1). */
  readonly dwRatio?: number;
  /** ConvFFN hidden width over stage width (default 4). */
  readonly ffnRatio?: number;
}

/** The registered architectures. */
export const REPLKNET_CONFIGS = {
  replknet_31b: {
    largeKernelSizes: [31, 29, 27, 13],
    layers: [2, 2, 18, 2],
    channels: [128, 256, 512, 1024],
    smallKernel: 5,
  },
  replknet_31l: {
    largeKernelSizes: [31, 29, 27, 13],
    layers: [2, 2, 18, 2],
    channels: [192, 384, 768, 1536],
    smallKernel: 5,
  },
} as const satisfies Record<string, RepLKNetConfig>;

/** A registered architecture name. */
export type RepLKNetArch = keyof typeof REPLKNET_CONFIGS;
