/**
 * Norm + activation layers of the family beyond batch norm (timm's `GroupNormAct` and
 * `LayerNormAct2d`: the plain norm's parameters, then `drop` (identity at inference) and `act`;
 * `EvoNorm2dS0`: a norm that carries its own non-linearity).
 * @module
 */
import {
  type ActivationLayer,
  BatchNormAct2d,
  createActivation,
  F,
  fullTensor,
  GroupNorm,
  Identity,
  InvalidArgumentError,
  LayerNorm,
  Module,
  type SymbolicTensor,
  type Tensor,
} from '@ocular/core';
import type { EfficientNetNorm } from './configs.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Builds the norm (+ activation) after a conv: `applyAct` false leaves the activation out. */
export type NormActLayer = (channels: number, options: { applyAct: boolean; act: ActivationLayer }) => Layer;

/** timm's `GroupNormAct`: group norm, `drop`, `act`. */
export class GroupNormAct extends GroupNorm {
  readonly drop: Layer;
  readonly act: Layer;

  constructor(numGroups: number, numChannels: number, options: { eps?: number; act?: ActivationLayer } = {}) {
    super(numGroups, numChannels, { eps: options.eps });
    this.drop = this.registerModule('drop', new Identity());
    this.act = this.registerModule('act', createActivation(options.act));
  }

  override forward(x: SymbolicTensor): SymbolicTensor {
    return this.act.call(this.drop.call(super.forward(x)));
  }
}

/** timm's `LayerNormAct2d`: layer norm over the channels of NCHW (eps 1e-5), `drop`, `act`. */
export class LayerNormAct2d extends LayerNorm {
  readonly drop: Layer;
  readonly act: Layer;

  constructor(numChannels: number, options: { eps?: number; act?: ActivationLayer } = {}) {
    super(numChannels, { eps: options.eps });
    this.drop = this.registerModule('drop', new Identity());
    this.act = this.registerModule('act', createActivation(options.act));
  }

  override forward(x: SymbolicTensor): SymbolicTensor {
    const y = F.layerNorm(F.permute(x, [0, 2, 3, 1]), this.normalizedShape, this.weight, this.bias, this.eps);
    return this.act.call(this.drop.call(F.permute(y, [0, 3, 1, 2])));
  }
}

/** Options of {@link EvoNorm2dS0}. */
export interface EvoNorm2dS0Options {
  /** Channels per group; overrides `groups` (timm's `group_size`). */
  readonly groupSize?: number;
  /** Number of groups when `groupSize` is not given (default 32). */
  readonly groups?: number;
  /** Apply the sigmoid non-linearity and the group-std division (default true; false: affine only). */
  readonly applyAct?: boolean;
  /** Added to the group variance (default 1e-5). */
  readonly eps?: number;
}

/**
 * timm's `EvoNorm2dS0` (parameters `weight`, `bias`, then `v` when `applyAct`):
 * `x · σ(v·x) / group_std(x) · weight + bias`, where `group_std` is the biased standard deviation
 * over each group's channels and positions (`√(var + eps)`); without `applyAct` only the affine
 * `x · weight + bias` remains.
 */
export class EvoNorm2dS0 extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly weight: Tensor<'float32'>;
  readonly bias: Tensor<'float32'>;
  readonly v?: Tensor<'float32'>;
  readonly groups: number;
  readonly eps: number;
  readonly numFeatures: number;

  constructor(numFeatures: number, options: EvoNorm2dS0Options = {}) {
    super();
    const { groupSize } = options;
    if (groupSize && numFeatures % groupSize) {
      throw new InvalidArgumentError(
        `EvoNorm2dS0: ${numFeatures} channels do not split into groups of ${groupSize}`,
      );
    }
    this.groups = groupSize ? numFeatures / groupSize : (options.groups ?? 32);
    if (numFeatures % this.groups) {
      throw new InvalidArgumentError(
        `EvoNorm2dS0: ${numFeatures} channels do not split into ${this.groups} groups`,
      );
    }
    this.numFeatures = numFeatures;
    this.eps = options.eps ?? 1e-5;
    this.weight = this.registerParameter('weight', fullTensor([numFeatures], 1));
    this.bias = this.registerParameter('bias', fullTensor([numFeatures], 0));
    if (options.applyAct ?? true) this.v = this.registerParameter('v', fullTensor([numFeatures], 1));
  }

  /**
   * Averages a `[N, C, 1, 1]` per-channel statistic over each group and broadcasts it back to the
   * group's channels. Groups are equal-sized and every channel covers the same positions, so the
   * mean of the channel means is the group mean; working on `[N, C, 1, 1]` keeps the spatial
   * size out of every reshape (any input resolution, symbolic batch).
   */
  #groupMean(perChannel: SymbolicTensor): SymbolicTensor {
    const g = this.groups;
    const size = this.numFeatures / g;
    const grouped = F.reduceMean(F.reshape(perChannel, [0, g, size]), [2], { keepdims: true });
    return F.reshape(F.expand(grouped, [1, g, size]), [0, this.numFeatures, 1, 1]);
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    let y = x;
    if (this.v) {
      // Two-pass variance (mean first, then mean squared deviation), as torch's `var`.
      const mean = this.#groupMean(F.reduceMean(x, [2, 3], { keepdims: true }));
      const d = F.sub(x, mean);
      const variance = this.#groupMean(F.reduceMean(F.mul(d, d), [2, 3], { keepdims: true }));
      const std = F.sqrt(F.add(variance, this.eps));
      const gate = F.sigmoid(F.mul(x, F.reshape(this.v, [1, -1, 1, 1])));
      y = F.div(F.mul(x, gate), std);
    }
    return F.add(F.mul(y, F.reshape(this.weight, [1, -1, 1, 1])), F.reshape(this.bias, [1, -1, 1, 1]));
  }
}

/** The norm factory of a configuration's norm kind and epsilon. */
export function normActLayer(kind: EfficientNetNorm = 'batchnorm', eps?: number): NormActLayer {
  switch (kind) {
    case 'batchnorm':
      return (c, { applyAct, act }) => new BatchNormAct2d(c, { eps, applyAct, actLayer: act });
    case 'groupnorm8':
      // timm's `partial(GroupNormAct, group_size=8)`: channels / 8 groups.
      return (c, { applyAct, act }) =>
        new GroupNormAct(Math.floor(c / 8), c, { eps, act: applyAct ? act : null });
    case 'layernorm':
      return (c, { applyAct, act }) => new LayerNormAct2d(c, { eps, act: applyAct ? act : null });
    case 'evonorms0g8':
      // timm's `partial(EvoNorm2dS0, group_size=8)`: the norm is its own non-linearity, so the
      // configured activation is not used (timm drops `act_layer` for it too).
      return (c, { applyAct }) => new EvoNorm2dS0(c, { groupSize: 8, applyAct, eps });
  }
}
