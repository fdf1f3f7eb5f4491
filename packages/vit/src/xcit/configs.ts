/**
 * XCiT architectures (timm's `xcit_*` builders), as data.
 * @module
 */

/** One XCiT architecture. */
export interface XcitConfig {
  /** Training image size (square). */
  readonly imgSize: number;
  /** 16 or 8 (the conv patch embedding's stride). */
  readonly patchSize: 8 | 16;
  readonly embedDim: number;
  /** XCA blocks. */
  readonly depth: number;
  readonly numHeads: number;
  /** Layer-scale initial value (timm's `eta`). */
  readonly eta: number;
  /** Class-attention blocks normalise every token (true) or only the class token. */
  readonly tokensNorm: boolean;
  /** MLP expansion (timm: 4). */
  readonly mlpRatio?: number;
  /** Class-attention blocks (timm: 2). */
  readonly clsAttnLayers?: number;
  /** Bias on the q/k/v projections (timm: true). */
  readonly qkvBias?: boolean;
}

/** The registered XCiT architectures, by timm name. */
export const XCIT_CONFIGS = {
  xcit_nano_12_p16_224: {
    imgSize: 224,
    patchSize: 16,
    embedDim: 128,
    depth: 12,
    numHeads: 4,
    eta: 1.0,
    tokensNorm: false,
  },
  xcit_tiny_12_p16_224: {
    imgSize: 224,
    patchSize: 16,
    embedDim: 192,
    depth: 12,
    numHeads: 4,
    eta: 1.0,
    tokensNorm: true,
  },
} as const satisfies Record<string, XcitConfig>;

/** A registered XCiT architecture name. */
export type XcitArch = keyof typeof XCIT_CONFIGS;
