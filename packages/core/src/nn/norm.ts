/**
 * Normalisation layers with PyTorch's names: BatchNorm (`weight`, `bias`, `running_mean`,
 * `running_var`, int64 `num_batches_tracked`), LayerNorm and GroupNorm (`weight`, `bias`).
 * @module
 */
import { batchNorm, groupNorm, layerNorm } from '../functional.js';
import type { SymbolicTensor } from '../ir/trace.js';
import { Tensor } from '../tensor.js';
import { fullTensor } from './init.js';
import { Module } from './module.js';

/** Options of the batch-norm layers. */
export interface BatchNormOptions {
  /** Default 1e-5 (PyTorch). */
  readonly eps?: number;
  /** Learnable weight and bias (default true). */
  readonly affine?: boolean;
}

/** Inference batch norm over dim 1 of any rank ≥ 2; {@link BatchNorm1d} / {@link BatchNorm2d} name it. */
export class BatchNorm extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly weight?: Tensor<'float32'>;
  readonly bias?: Tensor<'float32'>;
  readonly runningMean: Tensor<'float32'>;
  readonly runningVar: Tensor<'float32'>;
  readonly numBatchesTracked: Tensor<'int64'>;
  readonly numFeatures: number;
  readonly eps: number;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    this.numFeatures = numFeatures;
    this.eps = options.eps ?? 1e-5;
    if (options.affine ?? true) {
      this.weight = this.registerParameter('weight', fullTensor([numFeatures], 1));
      this.bias = this.registerParameter('bias', fullTensor([numFeatures], 0));
    }
    this.runningMean = this.registerBuffer('running_mean', fullTensor([numFeatures], 0));
    this.runningVar = this.registerBuffer('running_var', fullTensor([numFeatures], 1));
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', Tensor.scalar('int64', 0));
    // PyTorch accepts checkpoints without num_batches_tracked (saved before it existed).
    this.markOptionalOnLoad('num_batches_tracked');
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, this.eps);
  }
}

/** `nn.BatchNorm1d` over `[N, C]` or `[N, C, L]`. */
export class BatchNorm1d extends BatchNorm {}

/** `nn.BatchNorm2d` over `[N, C, H, W]`. */
export class BatchNorm2d extends BatchNorm {}

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Default 1e-5 (PyTorch; timm's ViTs pass 1e-6). */
  readonly eps?: number;
  /** Learnable weight (and bias) (default true). */
  readonly elementwiseAffine?: boolean;
  /** Learnable bias when affine (default true). */
  readonly bias?: boolean;
}

/** Layer norm over the trailing dims (`nn.LayerNorm`). */
export class LayerNorm extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly weight?: Tensor<'float32'>;
  readonly bias?: Tensor<'float32'>;
  readonly normalizedShape: readonly number[];
  readonly eps: number;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? 1e-5;
    if (options.elementwiseAffine ?? true) {
      this.weight = this.registerParameter('weight', fullTensor(this.normalizedShape, 1));
      if (options.bias ?? true)
        this.bias = this.registerParameter('bias', fullTensor(this.normalizedShape, 0));
    }
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}

/** Group norm over `[N, C, ...]` with per-channel affine (`nn.GroupNorm`). */
export class GroupNorm extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly weight?: Tensor<'float32'>;
  readonly bias?: Tensor<'float32'>;
  readonly numGroups: number;
  readonly eps: number;

  constructor(numGroups: number, numChannels: number, options: { eps?: number; affine?: boolean } = {}) {
    super();
    this.numGroups = numGroups;
    this.eps = options.eps ?? 1e-5;
    if (options.affine ?? true) {
      this.weight = this.registerParameter('weight', fullTensor([numChannels], 1));
      this.bias = this.registerParameter('bias', fullTensor([numChannels], 0));
    }
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }
}
