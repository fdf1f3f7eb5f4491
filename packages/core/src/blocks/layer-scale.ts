/**
 * Layer scale: a learnable per-channel multiplier `gamma` (timm's `LayerScale` for channels-last
 * tensors and `LayerScale2d` for NCHW).
 * @module
 */
import { mul, unsqueeze } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { fullTensor } from '../nn/init.js';
import { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';

/** `x · gamma` over the last dim; gamma starts at `initValues` (default 1e-5, timm's). */
export class LayerScale extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly gamma: Tensor<'float32'>;

  constructor(dim: number, initValues = 1e-5) {
    super();
    this.gamma = this.registerParameter('gamma', fullTensor([dim], initValues));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return mul(x, this.gamma);
  }
}

/** `x · gamma` over dim 1 of NCHW (gamma viewed as `[C, 1, 1]`). */
export class LayerScale2d extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly gamma: Tensor<'float32'>;

  constructor(dim: number, initValues = 1e-5) {
    super();
    this.gamma = this.registerParameter('gamma', fullTensor([dim], initValues));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return mul(x, unsqueeze(this.gamma, [1, 2]));
  }
}
