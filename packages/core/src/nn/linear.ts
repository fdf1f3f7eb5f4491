/**
 * The fully connected layer (`nn.Linear`; timm's `Linear` is the same layer).
 * @module
 */
import { linear } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import type { Tensor } from '../tensor.js';
import { defaultBound, uniformTensor } from './init.js';
import { Module } from './module.js';

/** `y = x·Wᵀ + b` over the last dim; `weight` is `[out, in]`, `bias` `[out]`. */
export class Linear extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly weight: Tensor<'float32'>;
  readonly bias?: Tensor<'float32'>;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: { bias?: boolean } = {}) {
    super();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bound = defaultBound(inFeatures);
    this.weight = this.registerParameter('weight', uniformTensor([outFeatures, inFeatures], -bound, bound));
    if (options.bias ?? true)
      this.bias = this.registerParameter('bias', uniformTensor([outFeatures], -bound, bound));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return linear(x, this.weight, this.bias);
  }
}
