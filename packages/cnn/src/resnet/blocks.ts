/**
 * ResNet's residual blocks and shortcut downsampling, with timm's child names
 * (`conv1`, `bn1`, `act1`, ..., `se`, `downsample`) so checkpoints load unchanged.
 * @module
 */
import {
  BatchNorm2d,
  Conv2d,
  EcaModule,
  F,
  getPadding,
  Identity,
  InvalidArgumentError,
  Module,
  ReLU,
  Sequential,
  SqueezeExcite,
  type SymbolicTensor,
} from '@ocular/core';
import { AvgPool2d } from '../common/pool.js';
import type { ResNetAttention } from './configs.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options shared by {@link BasicBlock} and {@link Bottleneck}. */
export interface ResNetBlockOptions {
  readonly stride?: number;
  /** Shortcut projection (absent: identity shortcut). */
  readonly downsample?: Layer;
  readonly cardinality?: number;
  readonly baseWidth?: number;
  /** Divides the first conv's width (timm's `reduce_first`; default 1). */
  readonly reduceFirst?: number;
  readonly dilation?: number;
  /** Dilation of the first (strided) conv; default `dilation`. */
  readonly firstDilation?: number;
  readonly attnLayer?: ResNetAttention;
}

/** timm's `create_attn`: SE or ECA on `channels`, or nothing. */
export function createAttention(kind: ResNetAttention | undefined, channels: number): Layer | undefined {
  if (kind === 'se') return new SqueezeExcite(channels);
  if (kind === 'eca') return new EcaModule(channels);
  return undefined;
}

/** Two 3×3 convs with an identity or projected shortcut (expansion 1). */
export class BasicBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  /** Output channels per base width. */
  static readonly expansion = 1;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly act1: ReLU;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly se?: Layer;
  readonly act2: ReLU;
  readonly downsample?: Layer;

  constructor(inplanes: number, planes: number, options: ResNetBlockOptions = {}) {
    super();
    if ((options.cardinality ?? 1) !== 1 || (options.baseWidth ?? 64) !== 64) {
      throw new InvalidArgumentError('BasicBlock only supports cardinality 1 and base width 64');
    }
    const dilation = options.dilation ?? 1;
    const firstDilation = options.firstDilation ?? dilation;
    const firstPlanes = Math.floor(planes / (options.reduceFirst ?? 1));
    const outplanes = planes * BasicBlock.expansion;
    this.conv1 = this.registerModule(
      'conv1',
      new Conv2d(inplanes, firstPlanes, 3, {
        stride: options.stride ?? 1,
        padding: firstDilation,
        dilation: firstDilation,
        bias: false,
      }),
    );
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(firstPlanes));
    this.act1 = this.registerModule('act1', new ReLU());
    this.conv2 = this.registerModule(
      'conv2',
      new Conv2d(firstPlanes, outplanes, 3, { padding: dilation, dilation, bias: false }),
    );
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(outplanes));
    const se = createAttention(options.attnLayer, outplanes);
    if (se) this.se = this.registerModule('se', se);
    this.act2 = this.registerModule('act2', new ReLU());
    if (options.downsample) this.downsample = this.registerModule('downsample', options.downsample);
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = this.act1.call(this.bn1.call(this.conv1.call(x)));
    y = this.bn2.call(this.conv2.call(y));
    if (this.se) y = this.se.call(y);
    const shortcut = this.downsample ? this.downsample.call(x) : x;
    return this.act2.call(F.add(y, shortcut));
  }
}

/** 1×1 reduce, 3×3 (grouped for ResNeXt, strided), 1×1 expand (expansion 4). */
export class Bottleneck extends Module<[SymbolicTensor], SymbolicTensor> {
  /** Output channels per base width. */
  static readonly expansion = 4;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly act1: ReLU;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly act2: ReLU;
  readonly conv3: Conv2d;
  readonly bn3: BatchNorm2d;
  readonly se?: Layer;
  readonly act3: ReLU;
  readonly downsample?: Layer;

  constructor(inplanes: number, planes: number, options: ResNetBlockOptions = {}) {
    super();
    const cardinality = options.cardinality ?? 1;
    const dilation = options.dilation ?? 1;
    const firstDilation = options.firstDilation ?? dilation;
    const width = Math.floor(planes * ((options.baseWidth ?? 64) / 64)) * cardinality;
    const firstPlanes = Math.floor(width / (options.reduceFirst ?? 1));
    const outplanes = planes * Bottleneck.expansion;
    this.conv1 = this.registerModule('conv1', new Conv2d(inplanes, firstPlanes, 1, { bias: false }));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(firstPlanes));
    this.act1 = this.registerModule('act1', new ReLU());
    this.conv2 = this.registerModule(
      'conv2',
      new Conv2d(firstPlanes, width, 3, {
        stride: options.stride ?? 1,
        padding: firstDilation,
        dilation: firstDilation,
        groups: cardinality,
        bias: false,
      }),
    );
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(width));
    this.act2 = this.registerModule('act2', new ReLU());
    this.conv3 = this.registerModule('conv3', new Conv2d(width, outplanes, 1, { bias: false }));
    this.bn3 = this.registerModule('bn3', new BatchNorm2d(outplanes));
    const se = createAttention(options.attnLayer, outplanes);
    if (se) this.se = this.registerModule('se', se);
    this.act3 = this.registerModule('act3', new ReLU());
    if (options.downsample) this.downsample = this.registerModule('downsample', options.downsample);
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = this.act1.call(this.bn1.call(this.conv1.call(x)));
    y = this.act2.call(this.bn2.call(this.conv2.call(y)));
    y = this.bn3.call(this.conv3.call(y));
    if (this.se) y = this.se.call(y);
    const shortcut = this.downsample ? this.downsample.call(x) : x;
    return this.act3.call(F.add(y, shortcut));
  }
}

/** Options of the shortcut projections. */
export interface DownsampleOptions {
  readonly kernelSize?: number;
  readonly stride?: number;
  readonly dilation?: number;
  readonly firstDilation?: number;
}

/** timm's `downsample_conv`: a (strided) conv and batch norm (children `0`, `1`). */
export function downsampleConv(
  inChannels: number,
  outChannels: number,
  options: DownsampleOptions = {},
): Sequential {
  const stride = options.stride ?? 1;
  const dilation = options.dilation ?? 1;
  const kernelSize = stride === 1 && dilation === 1 ? 1 : (options.kernelSize ?? 1);
  const firstDilation = kernelSize > 1 ? (options.firstDilation ?? dilation) : 1;
  return new Sequential([
    new Conv2d(inChannels, outChannels, kernelSize, {
      stride,
      padding: getPadding(kernelSize, stride, firstDilation),
      dilation: firstDilation,
      bias: false,
    }),
    new BatchNorm2d(outChannels),
  ]);
}

/**
 * timm's `AvgPool2dSame(2, stride=1)`: zero-pads one column and row on the right and bottom
 * (TF "SAME"), then averages 2×2 windows counting the padded zeros, keeping the resolution.
 */
class AvgPool2dSame extends Module<[SymbolicTensor], SymbolicTensor> {
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.avgPool2d(F.pad(x, [0, 1, 0, 1]), 2, { stride: 1 });
  }
}

/**
 * timm's `downsample_avg` (ResNet-D): a 2×2 average pool (ceil mode, padding not counted) when
 * striding, then a 1×1 conv and batch norm (children `0`, `1`, `2`). In a dilated stage the pool
 * keeps the resolution (timm's SAME-padded stride-1 pool).
 */
export function downsampleAvg(
  inChannels: number,
  outChannels: number,
  options: DownsampleOptions = {},
): Sequential {
  const stride = options.stride ?? 1;
  const dilation = options.dilation ?? 1;
  const avgStride = dilation === 1 ? stride : 1;
  let pool: Layer;
  if (stride === 1 && dilation === 1) pool = new Identity();
  else if (avgStride === 1) pool = new AvgPool2dSame();
  else pool = new AvgPool2d(2, { stride: avgStride, ceilMode: true, countIncludePad: false });
  return new Sequential([
    pool,
    new Conv2d(inChannels, outChannels, 1, { bias: false }),
    new BatchNorm2d(outChannels),
  ]);
}
