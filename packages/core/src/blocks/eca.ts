/**
 * Efficient channel attention (timm's `EcaModule`: a 1-D conv across channels, child `conv`).
 * @module
 */

import { InvalidArgumentError } from '../errors.js';
import { mul, reduceMean, squeeze, unsqueeze } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { type ActivationLayer, createActivation } from '../nn/activation.js';
import { Conv1d } from '../nn/conv.js';
import { Module } from '../nn/module.js';

/** Options of {@link EcaModule}. */
export interface EcaOptions {
  /** Kernel size when `channels` is not given (default 3). */
  readonly kernelSize?: number;
  /** Kernel-size mapping parameters (defaults 2 and 1, the paper's). */
  readonly gamma?: number;
  readonly beta?: number;
  /** Default `'sigmoid'`. */
  readonly gateLayer?: ActivationLayer;
}

/**
 * ECA kernel size for `channels`: t = ⌊|log₂ C + β| / γ⌋, made odd (t + 1 when even), at least 3.
 */
export function ecaKernelSize(channels: number, gamma = 2, beta = 1): number {
  const t = Math.trunc(Math.abs(Math.log2(channels) + beta) / gamma);
  return Math.max(t % 2 ? t : t + 1, 3);
}

/**
 * `x · gate(conv1d(mean_hw(x)))`: the pooled `[B, C]` vector is viewed as `[B, 1, C]` and
 * convolved (no bias, zero padding (k − 1)/2), then broadcast back over H and W.
 */
export class EcaModule extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly conv: Conv1d;
  readonly gate: Module<[SymbolicTensor], SymbolicTensor>;
  readonly kernelSize: number;

  constructor(channels?: number, options: EcaOptions = {}) {
    super();
    const k =
      channels !== undefined
        ? ecaKernelSize(channels, options.gamma, options.beta)
        : (options.kernelSize ?? 3);
    if (k % 2 !== 1) throw new InvalidArgumentError(`EcaModule: kernel size must be odd, got ${k}`);
    this.kernelSize = k;
    this.conv = this.registerModule('conv', new Conv1d(1, 1, k, { padding: (k - 1) / 2, bias: false }));
    this.gate = this.registerModule('gate', createActivation(options.gateLayer ?? 'sigmoid'));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = unsqueeze(reduceMean(x, [2, 3], { keepdims: false }), 1); // [B, 1, C]
    const g = this.gate.call(this.conv.call(y)); // [B, 1, C]
    return mul(x, unsqueeze(squeeze(g, 1), [2, 3])); // [B, C, 1, 1] broadcast over H, W
  }
}
