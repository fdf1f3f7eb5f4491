/**
 * UPerNet's decode head (Xiao et al. 2018) with mmsegmentation's `UPerHead` names: a pyramid
 * pooling module on the deepest map (`psp_modules`, `bottleneck`), an FPN over the others
 * (`lateral_convs`, `fpn_convs`), fused (`fpn_bottleneck`) and classified (`conv_seg`).
 * @module
 */
import {
  Conv2d,
  ConvNormAct,
  F,
  type HeadBuildOptions,
  ModuleList,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';
import { configInt, configInts, SegmentationHead } from './head-base.js';
import { AdaptiveAvgPool2d, resizeBilinear, spatialSize } from './ops.js';

/** mmseg's `ConvModule` with BN and ReLU: children `conv` (no bias) and `bn`. */
function convModule(inChannels: number, outChannels: number, kernelSize: number): ConvNormAct {
  return new ConvNormAct(inChannels, outChannels, { kernelSize });
}

/**
 * UPerNet head: width `config.channels` (default 512), pool scales `config.poolScales`
 * (default 1, 2, 3, 6); every resize is bilinear with `align_corners=False`.
 */
export class UPerNetHead extends SegmentationHead {
  readonly psp_modules: ModuleList<Sequential>;
  readonly bottleneck: ConvNormAct;
  readonly lateral_convs: ModuleList<ConvNormAct>;
  readonly fpn_convs: ModuleList<ConvNormAct>;
  readonly fpn_bottleneck: ConvNormAct;
  readonly conv_seg: Conv2d;

  constructor(options: HeadBuildOptions) {
    super('UPerNetHead', options);
    const c = configInt(options.config, 'channels', 512, 'UPerNetHead');
    const scales = configInts(options.config, 'poolScales', [1, 2, 3, 6], 'UPerNetHead');
    const chans = this.featureInfo.map((f) => f.numChs);
    const deepest = chans[chans.length - 1]!;
    this.psp_modules = this.registerModule(
      'psp_modules',
      new ModuleList(
        scales.map((s) => new Sequential([new AdaptiveAvgPool2d(s), convModule(deepest, c, 1)])),
      ),
    );
    this.bottleneck = this.registerModule('bottleneck', convModule(deepest + scales.length * c, c, 3));
    this.lateral_convs = this.registerModule(
      'lateral_convs',
      new ModuleList(chans.slice(0, -1).map((ch) => convModule(ch, c, 1))),
    );
    this.fpn_convs = this.registerModule(
      'fpn_convs',
      new ModuleList(chans.slice(0, -1).map(() => convModule(c, c, 3))),
    );
    this.fpn_bottleneck = this.registerModule('fpn_bottleneck', convModule(chans.length * c, c, 3));
    this.conv_seg = this.registerModule('conv_seg', new Conv2d(c, this.numClasses, 1));
  }

  protected predict(features: readonly SymbolicTensor[]): SymbolicTensor {
    const x = features[features.length - 1]!;
    const xSize = spatialSize(x, 'UPerNetHead');
    const psp = [x, ...[...this.psp_modules].map((m) => resizeBilinear(m.call(x), xSize))];
    const laterals = [...this.lateral_convs].map((conv, i) => conv.call(features[i]!));
    laterals.push(this.bottleneck.call(F.concat(psp, 1)));
    const n = laterals.length;
    // Top-down: each level adds the (upsampled) sum of the levels above it.
    for (let i = n - 1; i > 0; i--) {
      laterals[i - 1] = F.add(
        laterals[i - 1]!,
        resizeBilinear(laterals[i]!, spatialSize(laterals[i - 1]!, 'UPerNetHead')),
      );
    }
    const fpnConvs = [...this.fpn_convs];
    const outs = laterals.map((l, i) => (i < n - 1 ? fpnConvs[i]!.call(l) : l));
    const size = spatialSize(outs[0]!, 'UPerNetHead');
    const fused = this.fpn_bottleneck.call(
      F.concat(
        outs.map((o) => resizeBilinear(o, size)),
        1,
      ),
    );
    return this.conv_seg.call(fused);
  }
}

/** `HeadFactory` of {@link UPerNetHead} (`config.channels`, `config.poolScales`, `config.labels`). */
export function upernetHead(options: HeadBuildOptions): UPerNetHead {
  return new UPerNetHead(options);
}
