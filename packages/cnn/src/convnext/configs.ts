/**
 * ConvNeXt architecture definitions (timm's `convnext.py` entry points), as data.
 * @module
 */

/** Activations the ConvNeXt MLP accepts (timm's names). */
export type ConvNeXtAct = 'gelu' | 'gelu_tanh' | 'silu' | 'relu';

/** A ConvNeXt configuration (timm's `ConvNeXt(...)` arguments). */
export interface ConvNeXtConfig {
  /** Blocks per stage (4 stages). */
  readonly depths: readonly number[];
  /** Channels per stage. */
  readonly dims: readonly number[];
  /** Depthwise kernel size, one for all stages or one per stage (default 7). */
  readonly kernelSizes?: number | readonly number[];
  /** Layer-scale init value; `null` removes `gamma` (default 1e-6). */
  readonly lsInitValue?: number | null;
  /** Patch size of the patchify stem (default 4). */
  readonly patchSize?: number;
  /** 1×1-conv MLP with NCHW `LayerNorm2d` instead of channels-last `Linear` (default false). */
  readonly convMlp?: boolean;
  /** Bias on every conv and linear layer (default true). */
  readonly convBias?: boolean;
  /** MLP expansion ratio (default 4). */
  readonly mlpRatio?: number;
  /** Activation of the block MLP (default `'gelu'`). */
  readonly actLayer?: ConvNeXtAct;
  /** Epsilon of every layer norm (default 1e-6, timm's `LayerNorm`/`LayerNorm2d`). */
  readonly normEps?: number;
  /** Hidden size of a pre-logits layer in the head (default none). */
  readonly headHiddenSize?: number;
}

const atto = { depths: [2, 2, 6, 2], dims: [40, 80, 160, 320], convMlp: true } as const;

/** The registered ConvNeXt architectures by timm name. */
export const CONVNEXT_CONFIGS = {
  test_convnext: { depths: [1, 2, 4, 2], dims: [24, 32, 48, 64], normEps: 1e-5, actLayer: 'gelu_tanh' },
  test_convnext2: { depths: [1, 1, 1, 1], dims: [32, 64, 96, 128], normEps: 1e-5, actLayer: 'gelu_tanh' },
  test_convnext3: {
    depths: [1, 1, 1, 1],
    dims: [32, 64, 96, 128],
    normEps: 1e-5,
    kernelSizes: [7, 5, 5, 3],
    actLayer: 'silu',
  },
  convnext_atto: atto,
  convnext_femto: { ...atto, dims: [48, 96, 192, 384] },
  convnext_pico: { ...atto, dims: [64, 128, 256, 512] },
  convnext_nano: { depths: [2, 2, 8, 2], dims: [80, 160, 320, 640], convMlp: true },
  convnext_tiny: { depths: [3, 3, 9, 3], dims: [96, 192, 384, 768] },
  convnext_small: { depths: [3, 3, 27, 3], dims: [96, 192, 384, 768] },
  convnext_base: { depths: [3, 3, 27, 3], dims: [128, 256, 512, 1024] },
} as const satisfies Record<string, ConvNeXtConfig>;

/** A registered ConvNeXt architecture name. */
export type ConvNeXtArch = keyof typeof CONVNEXT_CONFIGS;
