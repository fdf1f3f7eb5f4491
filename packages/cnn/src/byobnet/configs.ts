/**
 * RepVGG, MobileOne and timm's residual test network (timm's `byobnet.py` `model_cfgs`), as
 * data: each stage is the list of its blocks.
 * @module
 */
import { makeDivisible } from '@ocular/core';

/**
 * The block kinds: the re-parameterisable RepVGG (`rep`) and MobileOne (`one`) blocks, and the
 * residual `basic` (k×k + k×k), `bottle` (1×1 + k×k + 1×1), `dark` (1×1 + k×k) and `edge`
 * (k×k + 1×1) blocks.
 */
export type ByobBlockType = 'rep' | 'one' | 'basic' | 'bottle' | 'dark' | 'edge';

/** The residual block kinds. */
export type ByobResidualType = 'basic' | 'bottle' | 'dark' | 'edge';

/** The stem: one re-parameterisable block, or a 3×3 stride-2 conv-norm-act (`3x3`). */
export type ByobStemType = 'rep' | 'one' | '3x3';

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
  /** Residual blocks: mid channels = `makeDivisible(channels · bottleRatio)` (default 1). */
  readonly bottleRatio?: number;
  /** Residual blocks: channels per group of the grouped conv (0 / absent: dense). */
  readonly groupSize?: number;
  /** Residual blocks: squeeze-excite with this reduction ratio (absent: no attention). */
  readonly seRdRatio?: number;
}

/** A RepVGG / MobileOne configuration. */
export interface ByobConfig {
  /** The stem (stride 2). */
  readonly stemType: ByobStemType;
  readonly stemChannels: number;
  /** Blocks per stage; every stage's first block has stride 2. */
  readonly stages: readonly (readonly ByobBlockSpec[])[];
  /** Shortcut of the residual blocks when the shape changes (timm's `downsample`, default `'conv1x1'`). */
  readonly downsample?: 'avg' | 'conv1x1' | '';
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

/**
 * timm's `test_byobnet`: a 3×3 stem, then one edge, dark, basic and bottleneck block (stride 2
 * each) with squeeze-excite (ratio 1/4), average-pool shortcuts, ReLU.
 */
const TEST_BYOBNET: ByobConfig = {
  stemType: '3x3',
  stemChannels: 24,
  downsample: 'avg',
  stages: [
    [{ type: 'edge', channels: 32, bottleRatio: 0.5, seRdRatio: 0.25 }],
    [{ type: 'dark', channels: 64, bottleRatio: 0.5, seRdRatio: 0.25 }],
    [{ type: 'basic', channels: 128, bottleRatio: 0.25, groupSize: 32, seRdRatio: 0.25 }],
    [{ type: 'bottle', channels: 256, bottleRatio: 0.25, groupSize: 64, seRdRatio: 0.25 }],
  ],
};

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
  test_byobnet: TEST_BYOBNET,
} as const satisfies Record<string, ByobConfig>;

/** A registered architecture name. */
export type ByobArch = keyof typeof BYOBNET_CONFIGS;
