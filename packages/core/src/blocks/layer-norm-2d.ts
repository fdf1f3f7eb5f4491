/**
 * Channels-first layer norm (timm's `LayerNorm2d`).
 * @module
 */
import { layerNorm, permute } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { LayerNorm, type LayerNormOptions } from '../nn/norm.js';

/**
 * Layer norm over C of an NCHW tensor: permute to NHWC, `LayerNormalization` over the last dim,
 * permute back (as timm). Default eps 1e-6, timm's.
 */
export class LayerNorm2d extends LayerNorm {
  constructor(numChannels: number, options: LayerNormOptions = {}) {
    super(numChannels, { ...options, eps: options.eps ?? 1e-6 });
  }

  override forward(x: SymbolicTensor): SymbolicTensor {
    const y = layerNorm(permute(x, [0, 2, 3, 1]), this.normalizedShape, this.weight, this.bias, this.eps);
    return permute(y, [0, 3, 1, 2]);
  }
}
