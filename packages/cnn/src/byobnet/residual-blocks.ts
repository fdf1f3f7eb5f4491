/**
 * The residual blocks of timm's `byobnet.py` (`BasicBlock`, `BottleneckBlock`, `DarkBlock`,
 * `EdgeBlock`, here prefixed `Byob`) and their shortcut (`DownsampleAvg` or a strided 1×1
 * conv-norm). Every block adds the shortcut and ends in ReLU; its attention (squeeze-excite) sits either inside the block
 * (`attn`) or after the last conv (`attn_last`), as timm places it per block type.
 * @module
 */
import {
  ConvNormAct,
  F,
  Identity,
  InvalidArgumentError,
  Module,
  makeDivisible,
  ReLU,
  SqueezeExcite,
  type SymbolicTensor,
} from '@ocular/core';
import { AvgPool2d } from '../common/pool.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** How a block's shortcut changes shape: timm's `downsample` (`''`: no shortcut then). */
export type ByobDownsample = 'avg' | 'conv1x1' | '';

/** Options of the residual blocks. */
export interface ResidualBlockOptions {
  /** Default 3. */
  readonly kernelSize?: number;
  /** Default 1. */
  readonly stride?: number;
  /** Mid channels = `makeDivisible(out · bottleRatio)` (default 1). */
  readonly bottleRatio?: number;
  /** Channels per group of the grouped conv; 0 / absent = a dense conv (timm's `group_size`). */
  readonly groupSize?: number;
  /** Shortcut when the shape changes (default `'avg'`, timm's block default). */
  readonly downsample?: ByobDownsample;
  /** Squeeze-excite reduction ratio; absent = no attention (timm's `attn_layer='se'`). */
  readonly seRdRatio?: number;
  /** Attention after the last conv instead of inside (default: timm's per-block default). */
  readonly attnLast?: boolean;
}

/** timm's `DownsampleAvg`: `pool` (2×2 average, ceil mode, padding not counted) then `conv` (1×1 conv-norm). */
export class ByobDownsampleAvg extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly pool: Layer;
  readonly conv: ConvNormAct;

  constructor(inChannels: number, outChannels: number, stride = 1) {
    super();
    this.pool = this.registerModule(
      'pool',
      stride > 1 ? new AvgPool2d(2, { stride, ceilMode: true, countIncludePad: false }) : new Identity(),
    );
    this.conv = this.registerModule('conv', new ConvNormAct(inChannels, outChannels, { applyAct: false }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.conv.call(this.pool.call(x));
  }
}

/** timm's `create_shortcut`: identity when the shape is kept, else the downsample (or none). */
function shortcut(
  kind: ByobDownsample,
  inChannels: number,
  outChannels: number,
  stride: number,
): Layer | undefined {
  if (inChannels === outChannels && stride === 1) return new Identity();
  if (kind === '') return undefined;
  if (kind === 'avg') return new ByobDownsampleAvg(inChannels, outChannels, stride);
  return new ConvNormAct(inChannels, outChannels, { stride, applyAct: false });
}

/** timm's `num_groups`. */
function numGroups(groupSize: number | undefined, channels: number): number {
  if (!groupSize) return 1;
  if (channels % groupSize) {
    throw new InvalidArgumentError(
      `byobnet block: ${channels} channels do not split into groups of ${groupSize}`,
    );
  }
  return channels / groupSize;
}

/** The parts every residual block shares; subclasses register their convs between them. */
abstract class ResidualBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly shortcut?: Layer;
  protected readonly mid: number;
  protected readonly groups: number;
  protected readonly kernelSize: number;
  protected readonly stride: number;

  constructor(inChannels: number, outChannels: number, options: ResidualBlockOptions, midFrom = outChannels) {
    super();
    this.mid = makeDivisible(midFrom * (options.bottleRatio ?? 1));
    this.groups = numGroups(options.groupSize, this.mid);
    this.kernelSize = options.kernelSize ?? 3;
    this.stride = options.stride ?? 1;
    const sc = shortcut(options.downsample ?? 'avg', inChannels, outChannels, this.stride);
    if (sc) this.shortcut = this.registerModule('shortcut', sc);
  }

  /** The attention of one slot: squeeze-excite when configured and placed there, else identity. */
  protected attention(channels: number, options: ResidualBlockOptions, last: boolean): Layer {
    const placedLast = options.attnLast ?? this.defaultAttnLast();
    return options.seRdRatio !== undefined && placedLast === last
      ? new SqueezeExcite(channels, { rdRatio: options.seRdRatio })
      : new Identity();
  }

  /** Registers `drop_path` (identity at inference) and `act` after the block's convs. */
  protected finish(): void {
    this.registerModule('drop_path', new Identity());
    this.registerModule('act', new ReLU());
  }

  protected abstract defaultAttnLast(): boolean;

  /** The residual branch. */
  protected abstract branch(x: SymbolicTensor): SymbolicTensor;

  protected part(name: string): Layer {
    return this.getSubmodule(name) as Layer;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = this.branch(x);
    if (this.shortcut) y = F.add(y, this.shortcut.call(x));
    return this.part('act').call(y);
  }
}

/** timm's `BasicBlock`: k×k (strided) conv-norm-act, `attn`, k×k conv-norm, `attn_last` (default). */
export class ByobBasicBlock extends ResidualBlock {
  constructor(inChannels: number, outChannels: number, options: ResidualBlockOptions = {}) {
    super(inChannels, outChannels, options);
    const { mid, kernelSize, stride } = this;
    this.registerModule('conv1_kxk', new ConvNormAct(inChannels, mid, { kernelSize, stride }));
    this.registerModule('attn', this.attention(mid, options, false));
    this.registerModule(
      'conv2_kxk',
      new ConvNormAct(mid, outChannels, { kernelSize, groups: this.groups, applyAct: false }),
    );
    this.registerModule('attn_last', this.attention(outChannels, options, true));
    this.finish();
  }

  protected defaultAttnLast(): boolean {
    return true;
  }

  protected branch(x: SymbolicTensor): SymbolicTensor {
    const y = this.part('attn').call(this.part('conv1_kxk').call(x));
    return this.part('attn_last').call(this.part('conv2_kxk').call(y));
  }
}

/**
 * timm's `BottleneckBlock`: 1×1 conv-norm-act, k×k (strided, grouped) conv-norm-act,
 * `conv2b_kxk` (identity: no extra conv), `attn` (default), 1×1 conv-norm, `attn_last`.
 */
export class ByobBottleneckBlock extends ResidualBlock {
  constructor(inChannels: number, outChannels: number, options: ResidualBlockOptions = {}) {
    super(inChannels, outChannels, options);
    const { mid, kernelSize, stride, groups } = this;
    this.registerModule('conv1_1x1', new ConvNormAct(inChannels, mid));
    this.registerModule('conv2_kxk', new ConvNormAct(mid, mid, { kernelSize, stride, groups }));
    this.registerModule('conv2b_kxk', new Identity());
    this.registerModule('attn', this.attention(mid, options, false));
    this.registerModule('conv3_1x1', new ConvNormAct(mid, outChannels, { applyAct: false }));
    this.registerModule('attn_last', this.attention(outChannels, options, true));
    this.finish();
  }

  protected defaultAttnLast(): boolean {
    return false;
  }

  protected branch(x: SymbolicTensor): SymbolicTensor {
    let y = this.part('conv2_kxk').call(this.part('conv1_1x1').call(x));
    y = this.part('attn').call(this.part('conv2b_kxk').call(y));
    return this.part('attn_last').call(this.part('conv3_1x1').call(y));
  }
}

/** timm's `DarkBlock`: 1×1 conv-norm-act, `attn`, k×k (strided, grouped) conv-norm, `attn_last` (default). */
export class ByobDarkBlock extends ResidualBlock {
  constructor(inChannels: number, outChannels: number, options: ResidualBlockOptions = {}) {
    super(inChannels, outChannels, options);
    const { mid, kernelSize, stride, groups } = this;
    this.registerModule('conv1_1x1', new ConvNormAct(inChannels, mid));
    this.registerModule('attn', this.attention(mid, options, false));
    this.registerModule(
      'conv2_kxk',
      new ConvNormAct(mid, outChannels, { kernelSize, stride, groups, applyAct: false }),
    );
    this.registerModule('attn_last', this.attention(outChannels, options, true));
    this.finish();
  }

  protected defaultAttnLast(): boolean {
    return true;
  }

  protected branch(x: SymbolicTensor): SymbolicTensor {
    const y = this.part('attn').call(this.part('conv1_1x1').call(x));
    return this.part('attn_last').call(this.part('conv2_kxk').call(y));
  }
}

/** timm's `EdgeBlock`: k×k (strided, grouped) conv-norm-act, `attn` (default), 1×1 conv-norm, `attn_last`. */
export class ByobEdgeBlock extends ResidualBlock {
  constructor(inChannels: number, outChannels: number, options: ResidualBlockOptions = {}) {
    super(inChannels, outChannels, options);
    const { mid, kernelSize, stride, groups } = this;
    this.registerModule('conv1_kxk', new ConvNormAct(inChannels, mid, { kernelSize, stride, groups }));
    this.registerModule('attn', this.attention(mid, options, false));
    this.registerModule('conv2_1x1', new ConvNormAct(mid, outChannels, { applyAct: false }));
    this.registerModule('attn_last', this.attention(outChannels, options, true));
    this.finish();
  }

  protected defaultAttnLast(): boolean {
    return false;
  }

  protected branch(x: SymbolicTensor): SymbolicTensor {
    const y = this.part('attn').call(this.part('conv1_kxk').call(x));
    return this.part('attn_last').call(this.part('conv2_1x1').call(y));
  }
}
