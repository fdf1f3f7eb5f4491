/**
 * ResNet architecture definitions (timm's `resnet.py` entry points), as data.
 * @module
 */

/** The residual block kinds. */
export type ResNetBlockType = 'basic' | 'bottleneck';

/** Channel attention inside each block (timm's `attn_layer`). */
export type ResNetAttention = 'se' | 'eca';

/** Stem kinds: a 7×7 conv, or three 3×3 convs (`deep`, ResNet-C/D). */
export type ResNetStemType = '' | 'deep' | 'deep_tiered';

/** A ResNet configuration (timm's `ResNet(...)` arguments). */
export interface ResNetConfig {
  /** One block kind for all stages, or one per stage. */
  readonly block: ResNetBlockType | readonly ResNetBlockType[];
  /** Blocks per stage. */
  readonly layers: readonly number[];
  /** Base widths per stage (default 64, 128, 256, 512); bottlenecks output 4× this. */
  readonly channels?: readonly number[];
  /** Grouped-conv groups of the bottleneck 3×3 (ResNeXt; default 1). */
  readonly cardinality?: number;
  /** Width per group (ResNeXt; default 64). */
  readonly baseWidth?: number;
  /** Stem width of the deep stem (default 64; the stem outputs 2× this). */
  readonly stemWidth?: number;
  readonly stemType?: ResNetStemType;
  /** Average-pool shortcut downsampling (ResNet-D; default false). */
  readonly avgDown?: boolean;
  /** Kernel of the shortcut conv when it downsamples (default 1). */
  readonly downKernelSize?: number;
  /** Channel attention in each block. */
  readonly attnLayer?: ResNetAttention;
}

const basic = (layers: number[]): ResNetConfig => ({ block: 'basic', layers });
const bottleneck = (layers: number[]): ResNetConfig => ({ block: 'bottleneck', layers });
const resnetD = { stemWidth: 32, stemType: 'deep', avgDown: true } as const;

/** The registered ResNet architectures by timm name. */
export const RESNET_CONFIGS = {
  test_resnet: {
    block: ['basic', 'basic', 'bottleneck', 'basic'],
    layers: [1, 1, 1, 1],
    channels: [32, 48, 48, 96],
    stemWidth: 16,
    stemType: 'deep',
    avgDown: true,
  },
  resnet18: basic([2, 2, 2, 2]),
  resnet34: basic([3, 4, 6, 3]),
  resnet50: bottleneck([3, 4, 6, 3]),
  resnet101: bottleneck([3, 4, 23, 3]),
  resnet152: bottleneck([3, 8, 36, 3]),
  resnet18d: { ...basic([2, 2, 2, 2]), ...resnetD },
  resnet34d: { ...basic([3, 4, 6, 3]), ...resnetD },
  resnet50d: { ...bottleneck([3, 4, 6, 3]), ...resnetD },
  resnet101d: { ...bottleneck([3, 4, 23, 3]), ...resnetD },
  resnet152d: { ...bottleneck([3, 8, 36, 3]), ...resnetD },
  resnext50_32x4d: { ...bottleneck([3, 4, 6, 3]), cardinality: 32, baseWidth: 4 },
  seresnet50: { ...bottleneck([3, 4, 6, 3]), attnLayer: 'se' },
  seresnext50_32x4d: { ...bottleneck([3, 4, 6, 3]), cardinality: 32, baseWidth: 4, attnLayer: 'se' },
  ecaresnet50d: { ...bottleneck([3, 4, 6, 3]), ...resnetD, attnLayer: 'eca' },
} as const satisfies Record<string, ResNetConfig>;

/** A registered ResNet architecture name. */
export type ResNetArch = keyof typeof RESNET_CONFIGS;
