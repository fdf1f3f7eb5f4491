/**
 * GhostNet architecture definitions (timm's `ghostnet.py`), as data.
 * @module
 */
import { type FeatureInfo, makeDivisible } from '@ocular/core';

/** One bottleneck: kernel, expansion (mid) width, output width, SE ratio, stride. */
export type GhostBlockArgs = readonly [k: number, exp: number, c: number, se: number, s: number];

/** The GhostNet-1.0× stages (timm's `cfgs`): each inner list is one `blocks.<i>` stage. */
export const GHOSTNET_STAGES: readonly (readonly GhostBlockArgs[])[] = [
  [[3, 16, 16, 0, 1]],
  [[3, 48, 24, 0, 2]],
  [[3, 72, 24, 0, 1]],
  [[5, 72, 40, 0.25, 2]],
  [[5, 120, 40, 0.25, 1]],
  [[3, 240, 80, 0, 2]],
  [
    [3, 200, 80, 0, 1],
    [3, 184, 80, 0, 1],
    [3, 184, 80, 0, 1],
    [3, 480, 112, 0.25, 1],
    [3, 672, 112, 0.25, 1],
  ],
  [[5, 672, 160, 0.25, 2]],
  [
    [5, 960, 160, 0, 1],
    [5, 960, 160, 0.25, 1],
    [5, 960, 160, 0, 1],
    [5, 960, 160, 0.25, 1],
  ],
];

/** A GhostNet configuration. */
export interface GhostNetConfig {
  /** Width multiplier of every layer (channels rounded to multiples of 4). */
  readonly width: number;
  /** Stages (default {@link GHOSTNET_STAGES}). */
  readonly stages?: readonly (readonly GhostBlockArgs[])[];
}

/** The registered GhostNet (v1) architectures by timm name. */
export const GHOSTNET_CONFIGS = {
  ghostnet_050: { width: 0.5 },
  ghostnet_100: { width: 1.0 },
  ghostnet_130: { width: 1.3 },
} as const satisfies Record<string, GhostNetConfig>;

/** A registered GhostNet architecture name. */
export type GhostNetArch = keyof typeof GHOSTNET_CONFIGS;

/**
 * timm's `feature_info` of a configuration: the stem conv's output (before its norm), then the
 * last stage of each stride.
 */
export function ghostnetFeatureInfo(config: GhostNetConfig): FeatureInfo[] {
  const stages = config.stages ?? GHOSTNET_STAGES;
  const info: FeatureInfo[] = [
    { numChs: makeDivisible(16 * config.width, 4), reduction: 2, module: 'conv_stem' },
  ];
  let reduction = 2;
  stages.forEach((stage, i) => {
    const last = stage[stage.length - 1]!;
    if (last[4] > 1) {
      reduction *= 2;
      info.push({ numChs: makeDivisible(last[2] * config.width, 4), reduction, module: `blocks.${i}` });
    }
  });
  return info;
}
