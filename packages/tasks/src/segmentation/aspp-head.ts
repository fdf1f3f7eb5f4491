/**
 * DeepLabV3's ASPP head (Chen et al. 2017) on any backbone's deepest feature map: torchvision's
 * `DeepLabHead` as the child `classifier`.
 * @module
 */
import type { HeadBuildOptions, SymbolicTensor } from '@ocular/core';
import { configInt, configInts, SegmentationHead } from './head-base.js';
import { DeepLabHead } from './tv-heads.js';

/**
 * ASPP head on the last of the maps it is fed: width `config.channels` (default 256), dilation
 * rates `config.atrousRates` (default 12, 24, 36; for output stride 8 DeepLab doubles them).
 */
export class AsppHead extends SegmentationHead {
  readonly classifier: DeepLabHead;

  constructor(options: HeadBuildOptions) {
    super('AsppHead', options);
    const last = this.featureInfo[this.featureInfo.length - 1]!;
    this.classifier = this.registerModule(
      'classifier',
      new DeepLabHead(last.numChs, this.numClasses, {
        channels: configInt(options.config, 'channels', 256, 'AsppHead'),
        atrousRates: configInts(options.config, 'atrousRates', [12, 24, 36], 'AsppHead'),
      }),
    );
  }

  protected predict(features: readonly SymbolicTensor[]): SymbolicTensor {
    return this.classifier.call(features[features.length - 1]!);
  }
}

/** `HeadFactory` of {@link AsppHead} (`config.channels`, `config.atrousRates`, `config.labels`). */
export function asppHead(options: HeadBuildOptions): AsppHead {
  return new AsppHead(options);
}
