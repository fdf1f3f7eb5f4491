/**
 * RepVGG and MobileOne architecture definitions (timm's `byobnet.py` `model_cfgs`), as data:
 * each stage is the list of its blocks.
 * @module
 */
import { makeDivisible } from '@ocular/core';

/** The re-parameterisable block kinds: RepVGG (`rep`) and MobileOne (`one`). */
export type ByobBlockType = 'rep' | 'one';

/** One block of a stage. */
export interface ByobBlockSpec {
  readonly type: ByobBlockType;
  /** Output channels. */
  readonly channels: number;
  /** Depthwise (timm's group size 1) instead of a dense conv (default false). */
  readonly depthwise?: boolean;
  /** Kernel of the main branches (default 3). */
  readonly kernelSize?: number;
  /** Parallel k×k conv branches of a MobileOne block (default 1). */
  readonly numConvBranches?: number;
  /** Squeeze-excite after the branches (MobileOne-S4). */
  readonly se?: boolean;
}

/** A RepVGG / MobileOne configuration. */
export interface ByobConfig {
  /** The stem is one block of this kind (stride 2). */
  readonly stemType: ByobBlockType;
  readonly stemChannels: number;
  /** Blocks per stage; every stage's first block has stride 2. */
  readonly stages: readonly (readonly ByobBlockSpec[])[];
}

const BASE = [64, 128, 256, 512] as const;

/** timm's `_rep_vgg_bcfg` (no grouped convs). */
function repVgg(depths: readonly number[], wf: readonly number[], stemChannels: number): ByobConfig {
  return {
    stemType: 'rep',
    stemChannels,
    stages: depths.map((d, s) =>
      Array.from({ length: d }, () => ({ type: 'rep' as const, channels: makeDivisible(BASE[s]! * wf[s]!) })),
    ),
  };
}

/**
 * timm's `_mobileone_bcfg`: every block is a depthwise k×k block then a pointwise block; the
 * last `seBlocks[s]` blocks of stage s have squeeze-excite.
 */
function mobileOne(
  wf: readonly number[],
  stemChannels: number,
  options: { seBlocks?: readonly number[]; numConvBranches?: number } = {},
): ByobConfig {
  const depths = [2, 8, 10, 1];
  const branches = options.numConvBranches ?? 1;
  let prev = Math.min(64, BASE[0] * wf[0]!);
  const stages = depths.map((d, s) => {
    const blocks: ByobBlockSpec[] = [];
    const se = options.seBlocks?.[s] ?? 0;
    for (let i = 0; i < d; i++) {
      const out = BASE[s]! * wf[s]!;
      const extra = i >= d - se ? { se: true } : {};
      blocks.push({
        type: 'one',
        channels: makeDivisible(prev),
        depthwise: true,
        numConvBranches: branches,
        ...extra,
      });
      blocks.push({
        type: 'one',
        channels: makeDivisible(out),
        kernelSize: 1,
        numConvBranches: branches,
        ...extra,
      });
      prev = out;
    }
    return blocks;
  });
  return { stemType: 'one', stemChannels, stages };
}

/** The registered architectures by timm name. */
export const BYOBNET_CONFIGS = {
  repvgg_a0: repVgg([2, 4, 14, 1], [0.75, 0.75, 0.75, 2.5], 48),
  repvgg_a1: repVgg([2, 4, 14, 1], [1, 1, 1, 2.5], 64),
  repvgg_a2: repVgg([2, 4, 14, 1], [1.5, 1.5, 1.5, 2.75], 64),
  repvgg_b0: repVgg([4, 6, 16, 1], [1, 1, 1, 2.5], 64),
  mobileone_s0: mobileOne([0.75, 1, 1, 2], 48, { numConvBranches: 4 }),
  mobileone_s1: mobileOne([1.5, 1.5, 2, 2.5], 64),
  mobileone_s2: mobileOne([1.5, 2, 2.5, 4], 64),
  mobileone_s3: mobileOne([2, 2.5, 3, 4], 64),
  mobileone_s4: mobileOne([3, 3.5, 3.5, 4], 64, { seBlocks: [0, 0, 5, 1] }),
} as const satisfies Record<string, ByobConfig>;

/** A registered architecture name. */
export type ByobArch = keyof typeof BYOBNET_CONFIGS;
