/**
 * Architecture definitions of the EfficientNet / MobileNet family (timm's `efficientnet.py` and
 * `mobilenetv3.py` generators) as typed data: stages of typed block definitions plus the model's
 * width/depth multipliers, stem, head, activation and squeeze-excite settings.
 * @module
 */
import { roundChannels } from './builder.js';

/** Activations the family uses (timm's block-string `n` codes: `re`, `r6`, `sw`, `hs`). */
export type EfficientNetAct = 'relu' | 'relu6' | 'swish' | 'silu' | 'hard_swish';

/** Fields every block definition has. */
interface BlockDefBase {
  /** Blocks of this definition in the stage, before depth scaling (timm's `r`). */
  readonly repeat: number;
  /** Stride of the first block (timm's `s`; later repeats use 1). */
  readonly stride: 1 | 2;
  /** Output channels before width scaling (timm's `c`). */
  readonly out: number;
  /** Block activation overriding the model's (timm's `n`). */
  readonly act?: EfficientNetAct;
}

/** Depthwise-separable block (`ds`; `dsa` = activation after the pointwise conv and no skip). */
export interface DsBlockDef extends BlockDefBase {
  readonly type: 'ds';
  readonly kernel: number;
  /** Squeeze-excite ratio (timm's `se`; 0 or absent = none). */
  readonly seRatio?: number;
  /** Activation after the pointwise conv (`dsa`). */
  readonly pwAct?: boolean;
  /** Force no residual (`noskip`; implied by `dsa`). */
  readonly noskip?: boolean;
}

/** Inverted residual / MBConv (`ir`). */
export interface IrBlockDef extends BlockDefBase {
  readonly type: 'ir';
  /** Depthwise kernel. */
  readonly kernel: number;
  /** Expansion ratio (timm's `e`). */
  readonly exp: number;
  readonly seRatio?: number;
  readonly noskip?: boolean;
}

/** Edge residual / FusedMBConv (`er`): a full expansion conv, then a pointwise projection. */
export interface ErBlockDef extends BlockDefBase {
  readonly type: 'er';
  /** Expansion conv kernel. */
  readonly kernel: number;
  readonly exp: number;
  readonly seRatio?: number;
  readonly noskip?: boolean;
  /** Expand from these channels instead of the input's (timm's `fc`; TF EdgeTPU quirk). */
  readonly forceInChs?: number;
}

/** Conv + norm + act (`cn`). */
export interface CnBlockDef extends BlockDefBase {
  readonly type: 'cn';
  readonly kernel: number;
  /** Residual when shapes allow (timm's `skip`). */
  readonly skip?: boolean;
}

/** One typed block definition (timm's decoded block-args). */
export type BlockDef = DsBlockDef | IrBlockDef | ErBlockDef | CnBlockDef;

/** Stages of block definitions; a string is timm's block notation, e.g. `ir_r2_k3_s2_e6_c24_se0.25`. */
export type ArchDef = readonly (readonly (BlockDef | string)[])[];

/** Normalisation layers of the family. */
export type EfficientNetNorm = 'batchnorm' | 'groupnorm8' | 'layernorm' | 'evonorms0g8';

/** A model configuration (the arguments timm's generators pass to `EfficientNet` / `MobileNetV3`). */
export interface EfficientNetConfig {
  /** `efficientnet`: conv_head + bn2 before pooling; `mobilenetv3`: pooling, then conv_head with bias. */
  readonly kind: 'efficientnet' | 'mobilenetv3';
  readonly arch: ArchDef;
  /** Width multiplier applied by the channel rounding (default 1). */
  readonly channelMultiplier?: number;
  /** Channel rounding divisor (default 8). */
  readonly channelDivisor?: number;
  /** Rounding bump threshold of `make_divisible` for block widths (default 0.9). */
  readonly roundLimit?: number;
  /** Depth multiplier of the stage repeats (default 1). */
  readonly depthMultiplier?: number;
  /** How scaled repeats are truncated (default `ceil`, EfficientNet's). */
  readonly depthTrunc?: 'ceil' | 'round';
  /** Keep the first and last stages' depth unscaled (Lite, MobileNet `fix_stem_head`). */
  readonly fixFirstLast?: boolean;
  /** Stem channels (scaled unless `fixStem`). */
  readonly stemSize: number;
  readonly fixStem?: boolean;
  /** Head channels (already scaled; 0 = no head conv, EfficientNet kind only). */
  readonly numFeatures: number;
  /** Model activation (blocks without their own). */
  readonly act: EfficientNetAct;
  /** Norm layer (default batch norm). */
  readonly norm?: EfficientNetNorm;
  /** Norm epsilon (default 1e-5; TF ports 1e-3). */
  readonly bnEps?: number;
  /** Conv padding: `''` symmetric (PyTorch), `'same'` TensorFlow SAME (`tf_` ports). */
  readonly padType?: '' | 'same';
  /** SE channels from the expanded width (MobileNetV3) rather than the block input. */
  readonly seFromExp?: boolean;
  /** SE gate (default sigmoid; MobileNetV3 hard sigmoid). */
  readonly seGate?: 'sigmoid' | 'hard_sigmoid';
  /** SE activation regardless of the block's (MobileNetV3: relu). */
  readonly seForceAct?: EfficientNetAct;
  /** SE reduced-channel rounding: Python `round` (default) or `make_divisible(·, 8)`. */
  readonly seRound?: 'round' | 'divisible';
  /** MobileNetV3 head conv bias (default true). */
  readonly headBias?: boolean;
}

const EFFICIENTNET_ARCH: ArchDef = [
  ['ds_r1_k3_s1_e1_c16_se0.25'],
  ['ir_r2_k3_s2_e6_c24_se0.25'],
  ['ir_r2_k5_s2_e6_c40_se0.25'],
  ['ir_r3_k3_s2_e6_c80_se0.25'],
  ['ir_r3_k5_s1_e6_c112_se0.25'],
  ['ir_r4_k5_s2_e6_c192_se0.25'],
  ['ir_r1_k3_s1_e6_c320_se0.25'],
];

const LITE_ARCH: ArchDef = [
  ['ds_r1_k3_s1_e1_c16'],
  ['ir_r2_k3_s2_e6_c24'],
  ['ir_r2_k5_s2_e6_c40'],
  ['ir_r3_k3_s2_e6_c80'],
  ['ir_r3_k5_s1_e6_c112'],
  ['ir_r4_k5_s2_e6_c192'],
  ['ir_r1_k3_s1_e6_c320'],
];

/** MobileNetV2 as typed block definitions (the same as timm's strings, spelled out). */
const MOBILENETV2_ARCH: ArchDef = [
  [{ type: 'ds', repeat: 1, kernel: 3, stride: 1, out: 16 }],
  [{ type: 'ir', repeat: 2, kernel: 3, stride: 2, exp: 6, out: 24 }],
  [{ type: 'ir', repeat: 3, kernel: 3, stride: 2, exp: 6, out: 32 }],
  [{ type: 'ir', repeat: 4, kernel: 3, stride: 2, exp: 6, out: 64 }],
  [{ type: 'ir', repeat: 3, kernel: 3, stride: 1, exp: 6, out: 96 }],
  [{ type: 'ir', repeat: 3, kernel: 3, stride: 2, exp: 6, out: 160 }],
  [{ type: 'ir', repeat: 1, kernel: 3, stride: 1, exp: 6, out: 320 }],
];

const MOBILENETV1_ARCH: ArchDef = [
  ['dsa_r1_k3_s1_c64'],
  ['dsa_r2_k3_s2_c128'],
  ['dsa_r2_k3_s2_c256'],
  ['dsa_r6_k3_s2_c512'],
  ['dsa_r2_k3_s2_c1024'],
];

const MOBILENETV3_LARGE_ARCH: ArchDef = [
  ['ds_r1_k3_s1_e1_c16_nre'],
  ['ir_r1_k3_s2_e4_c24_nre', 'ir_r1_k3_s1_e3_c24_nre'],
  ['ir_r3_k5_s2_e3_c40_se0.25_nre'],
  ['ir_r1_k3_s2_e6_c80', 'ir_r1_k3_s1_e2.5_c80', 'ir_r2_k3_s1_e2.3_c80'],
  ['ir_r2_k3_s1_e6_c112_se0.25'],
  ['ir_r3_k5_s2_e6_c160_se0.25'],
  ['cn_r1_k1_s1_c960'],
];

const MOBILENETV3_SMALL_ARCH: ArchDef = [
  ['ds_r1_k3_s2_e1_c16_se0.25_nre'],
  ['ir_r1_k3_s2_e4.5_c24_nre', 'ir_r1_k3_s1_e3.67_c24_nre'],
  ['ir_r1_k5_s2_e4_c40_se0.25', 'ir_r2_k5_s1_e6_c40_se0.25'],
  ['ir_r2_k5_s1_e3_c48_se0.25'],
  ['ir_r3_k5_s2_e6_c96_se0.25'],
  ['cn_r1_k1_s1_c576'],
];

const TEST_ARCH: ArchDef = [
  ['cn_r1_k3_s1_e1_c16_skip'],
  ['er_r1_k3_s2_e4_c24'],
  ['er_r1_k3_s2_e4_c32'],
  ['ir_r1_k3_s2_e4_c48_se0.25'],
  ['ir_r1_k3_s2_e4_c64_se0.25'],
];

/** timm's `_gen_mobilenet_v2` (no `fix_stem_head`). */
function mobilenetV2(multiplier: number): EfficientNetConfig {
  return {
    kind: 'efficientnet',
    arch: MOBILENETV2_ARCH,
    channelMultiplier: multiplier,
    stemSize: 32,
    numFeatures: Math.max(1280, roundChannels(1280, multiplier)),
    act: 'relu6',
  };
}

/** timm's `_gen_efficientnet`. */
function efficientnet(channelMultiplier: number, depthMultiplier: number): EfficientNetConfig {
  return {
    kind: 'efficientnet',
    arch: EFFICIENTNET_ARCH,
    channelMultiplier,
    depthMultiplier,
    stemSize: 32,
    numFeatures: roundChannels(1280, channelMultiplier),
    act: 'swish',
  };
}

/** timm's `_gen_efficientnet_lite` (fixed stem, head and first/last stage depth). */
function efficientnetLite(channelMultiplier: number, depthMultiplier: number): EfficientNetConfig {
  return {
    kind: 'efficientnet',
    arch: LITE_ARCH,
    channelMultiplier,
    depthMultiplier,
    fixFirstLast: true,
    stemSize: 32,
    fixStem: true,
    numFeatures: 1280,
    act: 'relu6',
  };
}

/** timm's `_gen_mobilenet_v3` (the non-minimal large and small models). */
function mobilenetV3(size: 'large' | 'small', channelMultiplier: number): EfficientNetConfig {
  return {
    kind: 'mobilenetv3',
    arch: size === 'large' ? MOBILENETV3_LARGE_ARCH : MOBILENETV3_SMALL_ARCH,
    channelMultiplier,
    stemSize: 16,
    fixStem: channelMultiplier < 0.75,
    numFeatures: size === 'large' ? 1280 : 1024,
    act: 'hard_swish',
    seFromExp: true,
    seGate: 'hard_sigmoid',
    seForceAct: 'relu',
    seRound: 'divisible',
  };
}

/** timm's `_gen_test_efficientnet` (rounding without the 0.9 bump). */
function testEfficientnet(norm: EfficientNetNorm): EfficientNetConfig {
  return {
    kind: 'efficientnet',
    arch: TEST_ARCH,
    roundLimit: 0,
    stemSize: 24,
    numFeatures: 256,
    act: 'silu',
    norm,
  };
}

/** The registered architectures by timm name. */
export const EFFICIENTNET_CONFIGS = {
  mobilenetv1_100: {
    kind: 'efficientnet',
    arch: MOBILENETV1_ARCH,
    channelMultiplier: 1,
    stemSize: 32,
    numFeatures: 0,
    act: 'relu6',
  },
  mobilenetv2_050: mobilenetV2(0.5),
  mobilenetv2_100: mobilenetV2(1.0),
  mobilenetv2_140: mobilenetV2(1.4),
  mobilenetv3_large_100: mobilenetV3('large', 1.0),
  mobilenetv3_small_050: mobilenetV3('small', 0.5),
  mobilenetv3_small_100: mobilenetV3('small', 1.0),
  efficientnet_b0: efficientnet(1.0, 1.0),
  efficientnet_b1: efficientnet(1.0, 1.1),
  efficientnet_b2: efficientnet(1.1, 1.2),
  efficientnet_b3: efficientnet(1.2, 1.4),
  efficientnet_lite0: efficientnetLite(1.0, 1.0),
  tf_efficientnet_lite0: { ...efficientnetLite(1.0, 1.0), bnEps: 1e-3, padType: 'same' },
  test_efficientnet: testEfficientnet('batchnorm'),
  test_efficientnet_gn: testEfficientnet('groupnorm8'),
  test_efficientnet_ln: testEfficientnet('layernorm'),
  test_efficientnet_evos: testEfficientnet('evonorms0g8'),
} as const satisfies Record<string, EfficientNetConfig>;

/** A registered architecture name. */
export type EfficientNetArch = keyof typeof EFFICIENTNET_CONFIGS;
