/**
 * GhostNet's layers with timm's child names: the ghost module (a primary conv whose output is
 * widened by a cheap depthwise conv) and the ghost bottleneck. The squeeze-excite and the final
 * `ConvBnAct` are the EfficientNet family's (timm shares them from `_efficientnet_blocks`).
 * @module
 */
import {
  type ActivationLayer,
  BatchNorm2d,
  Conv2d,
  createActivation,
  F,
  Identity,
  Module,
  makeDivisible,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { SqueezeExcite } from '../efficientnet/blocks.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/**
 * timm's `GhostModule`: `primary_conv` (conv, BN, act) makes ⌈out/2⌉ channels, `cheap_operation`
 * (3×3 depthwise conv, BN, act) as many again; both are concatenated and cut to `out` channels.
 */
export class GhostModule extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly primaryConv: Sequential;
  readonly cheapOperation: Sequential;
  readonly outChannels: number;

  constructor(inChannels: number, outChannels: number, actLayer: ActivationLayer = 'relu') {
    super();
    this.outChannels = outChannels;
    const init = Math.ceil(outChannels / 2);
    this.primaryConv = this.registerModule(
      'primary_conv',
      new Sequential([
        new Conv2d(inChannels, init, 1, { bias: false }),
        new BatchNorm2d(init),
        createActivation(actLayer),
      ]),
    );
    this.cheapOperation = this.registerModule(
      'cheap_operation',
      new Sequential([
        new Conv2d(init, init, 3, { padding: 1, groups: init, bias: false }),
        new BatchNorm2d(init),
        createActivation(actLayer),
      ]),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const x1 = this.primaryConv.call(x);
    const out = F.concat([x1, this.cheapOperation.call(x1)], 1);
    // Odd widths make one channel too many; timm keeps the first `out` channels.
    const made = 2 * Math.ceil(this.outChannels / 2);
    return made === this.outChannels ? out : F.slice(out, [0], [this.outChannels], [1]);
  }
}

/** Options of {@link GhostBottleneck}. */
export interface GhostBottleneckOptions {
  /** Depthwise kernel of the strided conv and the shortcut (default 3). */
  readonly dwKernelSize?: number;
  readonly stride?: number;
  /** Squeeze-excite ratio (0: none). */
  readonly seRatio?: number;
}

/**
 * timm's `GhostBottleneck` (v1): ghost module (ReLU), a strided depthwise conv + BN when
 * `stride > 1`, optional SE, a linear ghost module, plus the shortcut (identity, or depthwise
 * conv, BN, 1×1 conv, BN when the shape changes). No activation after the sum.
 */
export class GhostBottleneck extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly ghost1: GhostModule;
  readonly convDw?: Conv2d;
  readonly bnDw?: BatchNorm2d;
  readonly se?: SqueezeExcite;
  readonly ghost2: GhostModule;
  readonly shortcut: Layer;

  constructor(
    inChannels: number,
    midChannels: number,
    outChannels: number,
    options: GhostBottleneckOptions = {},
  ) {
    super();
    const k = options.dwKernelSize ?? 3;
    const stride = options.stride ?? 1;
    const pad = Math.floor((k - 1) / 2);
    this.ghost1 = this.registerModule('ghost1', new GhostModule(inChannels, midChannels, 'relu'));
    if (stride > 1) {
      this.convDw = this.registerModule(
        'conv_dw',
        new Conv2d(midChannels, midChannels, k, { stride, padding: pad, groups: midChannels, bias: false }),
      );
      this.bnDw = this.registerModule('bn_dw', new BatchNorm2d(midChannels));
    }
    const se = options.seRatio ?? 0;
    // timm's `_SE_LAYER`: reduced width rounded to a multiple of 4, hard-sigmoid gate.
    if (se > 0) {
      this.se = this.registerModule(
        'se',
        new SqueezeExcite(midChannels, {
          rdChannels: makeDivisible(midChannels * se, 4),
          gate: 'hard_sigmoid',
        }),
      );
    }
    this.ghost2 = this.registerModule('ghost2', new GhostModule(midChannels, outChannels, null));
    this.shortcut = this.registerModule(
      'shortcut',
      inChannels === outChannels && stride === 1
        ? new Identity()
        : new Sequential([
            new Conv2d(inChannels, inChannels, k, { stride, padding: pad, groups: inChannels, bias: false }),
            new BatchNorm2d(inChannels),
            new Conv2d(inChannels, outChannels, 1, { bias: false }),
            new BatchNorm2d(outChannels),
          ]),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = this.ghost1.call(x);
    if (this.convDw && this.bnDw) y = this.bnDw.call(this.convDw.call(y));
    if (this.se) y = this.se.call(y);
    y = this.ghost2.call(y);
    return F.add(y, this.shortcut.call(x));
  }
}
