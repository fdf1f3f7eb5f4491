/**
 * Norm + activation layers of the family beyond batch norm (timm's `GroupNormAct` and
 * `LayerNormAct2d`): the plain norm's parameters, then `drop` (identity at inference) and `act`.
 * @module
 */
import {
  type ActivationLayer,
  BatchNormAct2d,
  createActivation,
  F,
  GroupNorm,
  Identity,
  LayerNorm,
  type Module,
  type SymbolicTensor,
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
  }
}
