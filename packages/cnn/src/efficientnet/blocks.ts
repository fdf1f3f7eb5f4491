/**
 * The blocks of the EfficientNet / MobileNet family with timm's child names (`conv_pw`, `bn1`,
 * `conv_dw`, `se.conv_reduce`, `conv_pwl`, ...), so checkpoints load unchanged: squeeze-excite,
 * conv-bn-act, depthwise-separable, inverted residual (MBConv) and edge residual (FusedMBConv).
 * @module
 */
import {
  type ActivationLayer,
  Conv2d,
  createActivation,
  F,
  Identity,
  Module,
  makeDivisible,
  resolvePadding,
  type SymbolicTensor,
} from '@ocular/core';
import type { NormActLayer } from './norm.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** timm's `create_conv2d` for one kernel size: `''` symmetric or `'same'` TensorFlow padding. */
export function createConv2d(
  inChannels: number,
  outChannels: number,
  kernelSize: number,
  options: {
    stride?: number;
    dilation?: number;
    groups?: number;
    padType?: '' | 'same';
    bias?: boolean;
  } = {},
): Conv2d {
  const stride = options.stride ?? 1;
  const dilation = options.dilation ?? 1;
  return new Conv2d(inChannels, outChannels, kernelSize, {
    stride,
    dilation,
    groups: options.groups ?? 1,
    padding: resolvePadding(options.padType ?? '', kernelSize, stride, dilation),
    bias: options.bias ?? false,
  });
}

/** Options of the family's {@link SqueezeExcite}. */
export interface SqueezeExciteOptions {
  /** Reduced channels. */
  readonly rdChannels: number;
  /** Activation between the 1×1 convs (default relu). */
  readonly act?: ActivationLayer;
  /** Default sigmoid. */
  readonly gate?: ActivationLayer;
}

/**
 * timm's EfficientNet-family squeeze-excite: `x · gate(conv_expand(act1(conv_reduce(mean_hw(x)))))`
 * (children `conv_reduce`, `act1`, `conv_expand`, `gate`; 1×1 convs with bias).
 */
export class SqueezeExcite extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly conv_reduce: Conv2d;
  readonly act1: Layer;
  readonly conv_expand: Conv2d;
  readonly gate: Layer;

  constructor(channels: number, options: SqueezeExciteOptions) {
    super();
    this.conv_reduce = this.registerModule('conv_reduce', new Conv2d(channels, options.rdChannels, 1));
    this.act1 = this.registerModule('act1', createActivation(options.act ?? 'relu'));
    this.conv_expand = this.registerModule('conv_expand', new Conv2d(options.rdChannels, channels, 1));
    this.gate = this.registerModule('gate', createActivation(options.gate ?? 'sigmoid'));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const s = F.reduceMean(x, [2, 3], { keepdims: true });
    return F.mul(x, this.gate.call(this.conv_expand.call(this.act1.call(this.conv_reduce.call(s)))));
  }
}

/** Builds the SE layer of a block for its SE input channels and the block's activation. */
export type SeLayer = (channels: number, blockAct: ActivationLayer) => Layer;

/** What every block of the family takes. */
export interface BlockOptions {
  readonly stride?: number;
  readonly dilation?: number;
  readonly padType?: '' | 'same';
  /** The block's activation. */
  readonly act: ActivationLayer;
  readonly norm: NormActLayer;
  /** Squeeze-excite (absent: none). */
  readonly se?: SeLayer;
  /** Drop the residual even when shapes allow it. */
  readonly noskip?: boolean;
}

/** A block's output channels, the feature-info contract of the builder. */
export interface EfficientNetBlock extends Layer {
  readonly outChannels: number;
}

function residual(y: SymbolicTensor, x: SymbolicTensor, hasSkip: boolean): SymbolicTensor {
  return hasSkip ? F.add(y, x) : y;
}

/** timm's `ConvBnAct` (`cn`): conv, norm+act (`bn1`), optional residual. */
export class ConvBnAct extends Module<[SymbolicTensor], SymbolicTensor> implements EfficientNetBlock {
  readonly conv: Conv2d;
  readonly bn1: Layer;
  readonly hasSkip: boolean;
  readonly outChannels: number;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    options: BlockOptions & { skip?: boolean },
  ) {
    super();
    const stride = options.stride ?? 1;
    this.outChannels = outChannels;
    this.hasSkip = (options.skip ?? false) && stride === 1 && inChannels === outChannels;
    this.conv = this.registerModule(
      'conv',
      createConv2d(inChannels, outChannels, kernelSize, {
        stride,
        dilation: options.dilation,
        padType: options.padType,
      }),
    );
    this.bn1 = this.registerModule('bn1', options.norm(outChannels, { applyAct: true, act: options.act }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return residual(this.bn1.call(this.conv.call(x)), x, this.hasSkip);
  }
}

/**
 * timm's `DepthwiseSeparableConv` (`ds`/`dsa`): depthwise conv, norm+act, SE, pointwise conv,
 * norm (+ act for `dsa`), residual when shapes allow.
 */
export class DepthwiseSeparableConv
  extends Module<[SymbolicTensor], SymbolicTensor>
  implements EfficientNetBlock
{
  readonly conv_dw: Conv2d;
  readonly bn1: Layer;
  readonly se: Layer;
  readonly conv_pw: Conv2d;
  readonly bn2: Layer;
  readonly hasSkip: boolean;
  readonly outChannels: number;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    options: BlockOptions & { pwAct?: boolean },
  ) {
    super();
    const stride = options.stride ?? 1;
    this.outChannels = outChannels;
    this.hasSkip = stride === 1 && inChannels === outChannels && !options.noskip;
    this.conv_dw = this.registerModule(
      'conv_dw',
      createConv2d(inChannels, inChannels, kernelSize, {
        stride,
        dilation: options.dilation,
        groups: inChannels,
        padType: options.padType,
      }),
    );
    this.bn1 = this.registerModule('bn1', options.norm(inChannels, { applyAct: true, act: options.act }));
    this.se = this.registerModule('se', options.se ? options.se(inChannels, options.act) : new Identity());
    this.conv_pw = this.registerModule(
      'conv_pw',
      createConv2d(inChannels, outChannels, 1, { padType: options.padType }),
    );
    this.bn2 = this.registerModule(
      'bn2',
      options.norm(outChannels, { applyAct: options.pwAct ?? false, act: options.act }),
    );
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = this.se.call(this.bn1.call(this.conv_dw.call(x)));
    return residual(this.bn2.call(this.conv_pw.call(y)), x, this.hasSkip);
  }
}

/**
 * timm's `InvertedResidual` / MBConv (`ir`): pointwise expansion to
 * `make_divisible(in · exp)`, norm+act, depthwise conv, norm+act, SE, pointwise projection,
 * norm, residual when shapes allow.
 */
export class InvertedResidual extends Module<[SymbolicTensor], SymbolicTensor> implements EfficientNetBlock {
  readonly conv_pw: Conv2d;
  readonly bn1: Layer;
  readonly conv_dw: Conv2d;
  readonly bn2: Layer;
  readonly se: Layer;
  readonly conv_pwl: Conv2d;
  readonly bn3: Layer;
  readonly hasSkip: boolean;
  readonly outChannels: number;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    expRatio: number,
    options: BlockOptions,
  ) {
    super();
    const stride = options.stride ?? 1;
    const mid = makeDivisible(inChannels * expRatio);
    this.outChannels = outChannels;
    this.hasSkip = stride === 1 && inChannels === outChannels && !options.noskip;
    const { act, norm, padType } = options;
    this.conv_pw = this.registerModule('conv_pw', createConv2d(inChannels, mid, 1, { padType }));
    this.bn1 = this.registerModule('bn1', norm(mid, { applyAct: true, act }));
    this.conv_dw = this.registerModule(
      'conv_dw',
      createConv2d(mid, mid, kernelSize, { stride, dilation: options.dilation, groups: mid, padType }),
    );
    this.bn2 = this.registerModule('bn2', norm(mid, { applyAct: true, act }));
    this.se = this.registerModule('se', options.se ? options.se(mid, act) : new Identity());
    this.conv_pwl = this.registerModule('conv_pwl', createConv2d(mid, outChannels, 1, { padType }));
    this.bn3 = this.registerModule('bn3', norm(outChannels, { applyAct: false, act }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = this.bn1.call(this.conv_pw.call(x));
    y = this.se.call(this.bn2.call(this.conv_dw.call(y)));
    return residual(this.bn3.call(this.conv_pwl.call(y)), x, this.hasSkip);
  }
}

/**
 * timm's `EdgeResidual` / FusedMBConv (`er`): a full (strided) expansion conv, norm+act, SE,
 * pointwise projection, norm, residual when shapes allow.
 */
export class EdgeResidual extends Module<[SymbolicTensor], SymbolicTensor> implements EfficientNetBlock {
  readonly conv_exp: Conv2d;
  readonly bn1: Layer;
  readonly se: Layer;
  readonly conv_pwl: Conv2d;
  readonly bn2: Layer;
  readonly hasSkip: boolean;
  readonly outChannels: number;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    expRatio: number,
    options: BlockOptions & { forceInChs?: number },
  ) {
    super();
    const stride = options.stride ?? 1;
    const mid = makeDivisible((options.forceInChs || inChannels) * expRatio);
    this.outChannels = outChannels;
    this.hasSkip = stride === 1 && inChannels === outChannels && !options.noskip;
    const { act, norm, padType } = options;
    this.conv_exp = this.registerModule(
      'conv_exp',
      createConv2d(inChannels, mid, kernelSize, { stride, dilation: options.dilation, padType }),
    );
    this.bn1 = this.registerModule('bn1', norm(mid, { applyAct: true, act }));
    this.se = this.registerModule('se', options.se ? options.se(mid, act) : new Identity());
    this.conv_pwl = this.registerModule('conv_pwl', createConv2d(mid, outChannels, 1, { padType }));
    this.bn2 = this.registerModule('bn2', norm(outChannels, { applyAct: false, act }));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = this.se.call(this.bn1.call(this.conv_exp.call(x)));
    return residual(this.bn2.call(this.conv_pwl.call(y)), x, this.hasSkip);
  }
}
