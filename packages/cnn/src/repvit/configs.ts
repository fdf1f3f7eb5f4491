/**
 * RepViT architecture definitions (timm's `repvit.py` entry points), as data.
 * @module
 */
import type { FeatureInfo } from '@ocular/core';

/** A RepViT configuration (timm's `RepVit(...)` arguments). */
export interface RepVitConfig {
  /** Channels per stage. */
  readonly embedDim: readonly number[];
  /** Blocks per stage. */
  readonly depth: readonly number[];
  /** Hidden width of the channel mixers per input width (default 2). */
  readonly mlpRatio?: number;
  /** Depthwise kernel (default 3). */
  readonly kernelSize?: number;
  /**
   * The original release's token mixer (`conv1` a conv + BN, no BN after the sum), as
   * `repvit_m1`/`m2`/`m3` (default false).
   */
  readonly legacy?: boolean;
  /** Two classifier heads averaged at inference, as the distilled weights (default true). */
  readonly distillation?: boolean;
}

/** The registered RepViT architectures by timm name. */
export const REPVIT_CONFIGS = {
  repvit_m1: { embedDim: [48, 96, 192, 384], depth: [2, 2, 14, 2], legacy: true },
  repvit_m2: { embedDim: [64, 128, 256, 512], depth: [2, 2, 12, 2], legacy: true },
  repvit_m3: { embedDim: [64, 128, 256, 512], depth: [4, 4, 18, 2], legacy: true },
  repvit_m0_9: { embedDim: [48, 96, 192, 384], depth: [2, 2, 14, 2] },
  repvit_m1_0: { embedDim: [56, 112, 224, 448], depth: [2, 2, 14, 2] },
  repvit_m1_1: { embedDim: [64, 128, 256, 512], depth: [2, 2, 12, 2] },
  repvit_m1_5: { embedDim: [64, 128, 256, 512], depth: [4, 4, 24, 4] },
  repvit_m2_3: { embedDim: [80, 160, 320, 640], depth: [6, 6, 34, 2] },
} as const satisfies Record<string, RepVitConfig>;

/** A registered RepViT architecture name. */
export type RepVitArch = keyof typeof REPVIT_CONFIGS;

/** timm's `feature_info`: one map per stage; the stem reduces by 4, every later stage by 2. */
export function repvitFeatureInfo(config: RepVitConfig): FeatureInfo[] {
  return config.embedDim.map((c, i) => ({ numChs: c, reduction: 4 * 2 ** i, module: `stages.${i}` }));
}
