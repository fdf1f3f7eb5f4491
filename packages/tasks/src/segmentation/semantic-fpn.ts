/**
 * The semantic branch of Panoptic FPN (Kirillov et al. 2019), as detectron2's `SemSegFPNHead`:
 * per level, conv3×3-GN-ReLU blocks each followed by a 2× bilinear upsample until the common
 * stride (1/4), the levels summed, a 1×1 `predictor`.
 * @module
 */
import {
  Conv2d,
  F,
  GroupNorm,
  type HeadBuildOptions,
  InvalidArgumentError,
  Module,
  ModuleList,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { configInt, SegmentationHead } from './head-base.js';
import { resizeBilinear, spatialSize } from './ops.js';

/** 3×3 conv (no bias), group norm, ReLU: children `conv` and `norm`. */
export class ConvGnRelu extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly conv: Conv2d;
  readonly norm: GroupNorm;

  constructor(inChannels: number, outChannels: number, groups: number) {
    super();
    if (outChannels % groups)
      throw new InvalidArgumentError(
        `ConvGnRelu: ${outChannels} channels are not divisible into ${groups} groups`,
      );
    this.conv = this.registerModule(
      'conv',
      new Conv2d(inChannels, outChannels, 3, { padding: 1, bias: false }),
    );
    this.norm = this.registerModule('norm', new GroupNorm(groups, outChannels));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return F.relu(this.norm.call(this.conv.call(x)));
  }
}

/** `nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)`. */
export class Upsample2x extends Module<[SymbolicTensor], SymbolicTensor> {
  forward(x: SymbolicTensor): SymbolicTensor {
    return F.interpolate(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: false });
  }
}

/**
 * Semantic FPN head: width `config.channels` (default 128), `config.groups` (default 32) group
 * norm groups, common stride `config.commonStride` (default: the finest map's). Children
 * `scale_heads.<level>.<j>` (blocks and upsamplers alternate) and `predictor`.
 */
export class SemanticFpnHead extends SegmentationHead {
  readonly scale_heads: ModuleList<Sequential>;
  readonly predictor: Conv2d;

  constructor(options: HeadBuildOptions) {
    super('SemanticFpnHead', options);
    const c = configInt(options.config, 'channels', 128, 'SemanticFpnHead');
    const groups = configInt(options.config, 'groups', 32, 'SemanticFpnHead');
    const common = configInt(
      options.config,
      'commonStride',
      Math.min(...this.featureInfo.map((f) => f.reduction)),
      'SemanticFpnHead',
    );
    const heads = this.featureInfo.map((f) => {
      const steps = Math.log2(f.reduction / common);
      if (!Number.isInteger(steps) || steps < 0) {
        throw new InvalidArgumentError(
          `SemanticFpnHead: feature stride ${f.reduction} is not a power-of-two multiple of the common stride ${common}`,
        );
      }
      const ops: Module[] = [];
      for (let k = 0; k < Math.max(1, steps); k++) {
        ops.push(new ConvGnRelu(k === 0 ? f.numChs : c, c, groups));
        if (steps > 0) ops.push(new Upsample2x());
      }
      return new Sequential(ops);
    });
    this.scale_heads = this.registerModule('scale_heads', new ModuleList(heads));
    this.predictor = this.registerModule('predictor', new Conv2d(c, this.numClasses, 1));
  }

  protected predict(features: readonly SymbolicTensor[]): SymbolicTensor {
    const heads = [...this.scale_heads];
    const size = spatialSize(features[0]!, 'SemanticFpnHead');
    // With an input not divisible by the deepest stride the repeated 2× upsampling overshoots or
    // falls short of the finest map (detectron2 pads inputs instead); a final resize aligns it.
    const summed = features
      .map((x, i) => resizeBilinear(heads[i]!.call(x), size))
      .reduce((a, b) => F.add(a, b));
    return this.predictor.call(summed);
  }
}

/** `HeadFactory` of {@link SemanticFpnHead} (`config.channels`, `groups`, `commonStride`, `labels`). */
export function semanticFpnHead(options: HeadBuildOptions): SemanticFpnHead {
  return new SemanticFpnHead(options);
}
