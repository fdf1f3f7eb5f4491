/**
 * RegNet's residual block and stage with timm's child names (`conv1`, `conv2`, `se`, `conv3`,
 * `downsample`; blocks `b1`, `b2`, ...).
 * @module
 */
import { ConvNormAct, F, Identity, Module, ReLU, SqueezeExcite, type SymbolicTensor } from '@ocular/core';
import { roundHalfEven } from './configs.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link RegNetBottleneck}. */
export interface RegNetBottleneckOptions {
  readonly stride?: number;
  /** Bottleneck ratio (default 1). */
  readonly bottleRatio?: number;
  /** Channels per group of the 3×3 conv (default 1). */
  readonly groupSize?: number;
  /** Squeeze-excite ratio of the input width (0: none). */
  readonly seRatio?: number;
}

/**
 * timm's RegNet `Bottleneck`: 1×1 conv-BN-ReLU, grouped 3×3 conv-BN-ReLU (strided), SE on the
 * bottleneck width (reduced to `round(in · seRatio)` channels), 1×1 conv-BN, plus the shortcut
 * (1×1 conv-BN when the shape changes), then ReLU.
 */
export class RegNetBottleneck extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly conv1: ConvNormAct;
  readonly conv2: ConvNormAct;
  readonly se: Layer;
  readonly conv3: ConvNormAct;
  readonly act3: ReLU;
  readonly downsample: Layer;

  constructor(inChannels: number, outChannels: number, options: RegNetBottleneckOptions = {}) {
    super();
    const stride = options.stride ?? 1;
    const mid = roundHalfEven(outChannels * (options.bottleRatio ?? 1));
    const groups = Math.floor(mid / (options.groupSize ?? 1));
    this.conv1 = this.registerModule('conv1', new ConvNormAct(inChannels, mid, { kernelSize: 1 }));
    this.conv2 = this.registerModule('conv2', new ConvNormAct(mid, mid, { kernelSize: 3, stride, groups }));
    const se = options.seRatio ?? 0;
    this.se = this.registerModule(
      'se',
      se ? new SqueezeExcite(mid, { rdChannels: roundHalfEven(inChannels * se) }) : new Identity(),
    );
    this.conv3 = this.registerModule(
      'conv3',
      new ConvNormAct(mid, outChannels, { kernelSize: 1, applyAct: false }),
    );
    this.act3 = this.registerModule('act3', new ReLU());
    this.downsample = this.registerModule(
      'downsample',
      inChannels !== outChannels || stride !== 1
        ? new ConvNormAct(inChannels, outChannels, { kernelSize: 1, stride, applyAct: false })
        : new Identity(),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = this.conv2.call(this.conv1.call(x));
    y = this.conv3.call(this.se.call(y));
    return this.act3.call(F.add(y, this.downsample.call(x)));
  }
}

/** timm's `RegStage`: blocks `b1..bN`, the first strided and changing the width. */
export class RegStage extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly blocks: RegNetBottleneck[] = [];

  constructor(
    depth: number,
    inChannels: number,
    outChannels: number,
    options: RegNetBottleneckOptions & { readonly stride: number },
  ) {
    super();
    for (let i = 0; i < depth; i++) {
      const block = new RegNetBottleneck(i === 0 ? inChannels : outChannels, outChannels, {
        ...options,
        stride: i === 0 ? options.stride : 1,
      });
      this.blocks.push(this.registerModule(`b${i + 1}`, block));
    }
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = x;
    for (const b of this.blocks) y = b.call(y);
    return y;
  }
}
