/**
 * Norm + activation layers in timm's shape: a norm layer that owns `drop` and `act` children,
 * so state-dict keys stay those of the plain norm (`bn.weight`, `bn.running_mean`, ...).
 * @module
 */
import { batchNorm } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { type ActivationLayer, createActivation } from '../nn/activation.js';
import { Identity } from '../nn/containers.js';
import type { Module } from '../nn/module.js';
import { BatchNorm, type BatchNormOptions } from '../nn/norm.js';

/** Options of {@link BatchNormAct2d}. */
export interface NormActOptions extends BatchNormOptions {
  /** Apply the activation (default true). */
  readonly applyAct?: boolean;
  /** Default `'relu'`. */
  readonly actLayer?: ActivationLayer;
}

/** Builds a norm+act layer for `numChannels` (the `bn` child of {@link ConvNormAct}). */
export type NormActFactory = (
  numChannels: number,
  options: { readonly applyAct: boolean; readonly actLayer: ActivationLayer },
) => Module<[SymbolicTensor], SymbolicTensor>;

/** timm's `BatchNormAct2d`: batch norm, then `drop` (identity at inference), then `act`. */
export class BatchNormAct2d extends BatchNorm {
  readonly drop: Module<[SymbolicTensor], SymbolicTensor>;
  readonly act: Module<[SymbolicTensor], SymbolicTensor>;

  constructor(numFeatures: number, options: NormActOptions = {}) {
    super(numFeatures, options);
    this.drop = this.registerModule('drop', new Identity());
    const apply = options.applyAct ?? true;
    this.act = this.registerModule(
      'act',
      apply ? createActivation(options.actLayer ?? 'relu') : new Identity(),
    );
  }

  override forward(x: SymbolicTensor): SymbolicTensor {
    const y = batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, this.eps);
    return this.act.call(this.drop.call(y));
  }
}

/** A {@link NormActFactory} making {@link BatchNormAct2d} with the given epsilon. */
export function batchNormAct2d(eps = 1e-5): NormActFactory {
  return (c, { applyAct, actLayer }) => new BatchNormAct2d(c, { eps, applyAct, actLayer });
}
