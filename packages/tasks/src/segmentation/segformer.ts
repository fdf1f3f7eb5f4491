/**
 * SegFormer's all-MLP decode head (Xie et al. 2021), with Hugging Face transformers'
 * `SegformerDecodeHead` names: `linear_c.<i>.proj`, `linear_fuse`, `batch_norm`, `classifier`.
 * @module
 */
import {
  BatchNorm2d,
  Conv2d,
  F,
  type HeadBuildOptions,
  Linear,
  Module,
  ModuleList,
  type SymbolicTensor,
} from '@ocular/core';
import { configInt, SegmentationHead } from './head-base.js';
import { resizeBilinear, spatialSize } from './ops.js';

/** A per-level linear projection of the channels (`proj`). */
class SegformerMlp extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly proj: Linear;

  constructor(inChannels: number, dim: number) {
    super();
    this.proj = this.registerModule('proj', new Linear(inChannels, dim));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return F.permute(this.proj.call(F.permute(x, [0, 2, 3, 1])), [0, 3, 1, 2]);
  }
}

/**
 * Projects every level to `config.channels` (default 256) with a linear layer, upsamples all to
 * the first (finest) map, concatenates them deepest first, fuses with a 1×1 conv-BN-ReLU and
 * classifies with a 1×1 conv.
 */
export class SegformerHead extends SegmentationHead {
  readonly linear_c: ModuleList<SegformerMlp>;
  readonly linear_fuse: Conv2d;
  readonly batch_norm: BatchNorm2d;
  readonly classifier: Conv2d;

  constructor(options: HeadBuildOptions) {
    super('SegformerHead', options);
    const dim = configInt(options.config, 'channels', 256, 'SegformerHead');
    this.linear_c = this.registerModule(
      'linear_c',
      new ModuleList(this.featureInfo.map((f) => new SegformerMlp(f.numChs, dim))),
    );
    this.linear_fuse = this.registerModule(
      'linear_fuse',
      new Conv2d(dim * this.featureInfo.length, dim, 1, { bias: false }),
    );
    this.batch_norm = this.registerModule('batch_norm', new BatchNorm2d(dim));
    this.classifier = this.registerModule('classifier', new Conv2d(dim, this.numClasses, 1));
  }

  protected predict(features: readonly SymbolicTensor[]): SymbolicTensor {
    const size = spatialSize(features[0]!, 'SegformerHead');
    const mlps = [...this.linear_c];
    const projected = features.map((x, i) => resizeBilinear(mlps[i]!.call(x), size));
    const fused = F.relu(this.batch_norm.call(this.linear_fuse.call(F.concat(projected.reverse(), 1))));
    return this.classifier.call(fused);
  }
}

/** `HeadFactory` of {@link SegformerHead} (`config.channels`, `config.labels`). */
export function segformerHead(options: HeadBuildOptions): SegformerHead {
  return new SegformerHead(options);
}
