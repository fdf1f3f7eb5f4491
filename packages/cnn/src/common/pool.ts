/**
 * Pooling layers as modules (PyTorch's `nn.MaxPool2d` / `nn.AvgPool2d`). They hold no state, but
 * as children of a `Sequential` they occupy an index, which keeps the following keys timm's
 * (`downsample.1.weight` after an average pool at `downsample.0`).
 * @module
 */
import { F, Module, type SymbolicTensor } from '@ocular/core';

/** `nn.MaxPool2d(kernel, stride, padding, ...)`. */
export class MaxPool2d extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(
    readonly kernelSize: number,
    readonly options: F.MaxPoolOptions = {},
  ) {
    super();
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return F.maxPool2d(x, this.kernelSize, this.options);
  }
}

/** `nn.AvgPool2d(kernel, stride, padding, ceil_mode, count_include_pad)`. */
export class AvgPool2d extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(
    readonly kernelSize: number,
    readonly options: F.AvgPoolOptions = {},
  ) {
    super();
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return F.avgPool2d(x, this.kernelSize, this.options);
  }
}
