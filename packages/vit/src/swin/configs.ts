/**
 * Swin Transformer v1 architecture definitions (timm's `swin_transformer.py` entry points), as data.
 * @module
 */

/** A Swin configuration (timm's `SwinTransformer(...)` arguments). */
export interface SwinConfig {
  /** Training image size; fixes each stage's window and shift as timm does (default 224). */
  readonly imgSize?: number;
  /** Patch size of the patchify stem (default 4). */
  readonly patchSize?: number;
  /** Window size (default 7). */
  readonly windowSize?: number;
  /** Width of the first stage; doubles at every later stage (default 96). */
  readonly embedDim?: number;
  /** Blocks per stage. */
  readonly depths: readonly number[];
  /** Attention heads per stage. */
  readonly numHeads: readonly number[];
  /** MLP expansion ratio (default 4). */
  readonly mlpRatio?: number;
  /** Bias on qkv (default true). */
  readonly qkvBias?: boolean;
}

/** The registered Swin architectures by timm name. */
export const SWIN_CONFIGS = {
  swin_tiny_patch4_window7_224: { embedDim: 96, depths: [2, 2, 6, 2], numHeads: [3, 6, 12, 24] },
  swin_small_patch4_window7_224: { embedDim: 96, depths: [2, 2, 18, 2], numHeads: [3, 6, 12, 24] },
  swin_base_patch4_window7_224: { embedDim: 128, depths: [2, 2, 18, 2], numHeads: [4, 8, 16, 32] },
} as const satisfies Record<string, SwinConfig>;

/** A registered Swin architecture name. */
export type SwinArch = keyof typeof SWIN_CONFIGS;
