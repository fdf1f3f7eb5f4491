/**
 * torchvision's `IntermediateLayerGetter` over the backbones of its segmentation builders:
 * a dilated ResNet (`conv1`, `bn1`, `layer1`..`layer4` as own children) and the dilated
 * MobileNetV3-Large `features` (`0`..`16`).
 * @module
 */

import { RESNET_CONFIGS, ResNet, type ResNetConfig } from '@ocular/cnn';
import { type FeatureInfo, InvalidArgumentError, Module, type SymbolicTensor } from '@ocular/core';
import { TvMobileNetV3Backbone, tvMobileNetV3Settings } from '../backbones/index.js';

/** Options of {@link TvResNetBackbone}. */
export interface TvResNetBackboneOptions {
  /** Architecture (default ResNet-50's). */
  readonly config?: ResNetConfig;
  /** 8 (FCN, DeepLabV3: `replace_stride_with_dilation=[False, True, True]`), 16 or 32. */
  readonly outputStride?: 8 | 16 | 32;
  /** Stages to return, 1..4 ascending (`[4]`, or `[3, 4]` with the auxiliary classifier). */
  readonly returnStages: readonly number[];
}

/**
 * A ResNet without pooling and classifier whose stem and stages are its own children (keys
 * `conv1.weight`, `layer4.2.bn3.running_var`: torchvision's and timm's names agree), returning
 * the outputs of `returnStages`.
 */
export class TvResNetBackbone extends Module<[SymbolicTensor], SymbolicTensor[]> {
  /** The returned maps. */
  readonly featureInfo: readonly FeatureInfo[];
  readonly #net: ResNet;
  readonly #stages: readonly number[];

  constructor(options: TvResNetBackboneOptions) {
    super();
    const stages = [...options.returnStages];
    if (
      !stages.length ||
      stages.some((s, i) => !Number.isInteger(s) || s < 1 || s > 4 || (i > 0 && s <= stages[i - 1]!))
    ) {
      throw new InvalidArgumentError(
        `TvResNetBackbone: returnStages must be ascending stages 1..4, got [${stages.join(', ')}]`,
      );
    }
    this.#net = new ResNet(options.config ?? RESNET_CONFIGS.resnet50, {
      numClasses: 0,
      outputStride: options.outputStride ?? 8,
    });
    const last = stages[stages.length - 1]!;
    // IntermediateLayerGetter keeps the children up to the last returned one.
    for (const [name, child] of this.#net.namedChildren()) {
      if (name === 'global_pool' || name === 'fc') continue;
      const stage = /^layer(\d)$/.exec(name);
      if (stage && Number(stage[1]) > last) continue;
      this.registerModule(name, child);
    }
    this.#stages = stages;
    this.featureInfo = stages.map((s) => this.#net.featureInfo[s]!);
  }

  forward(x: SymbolicTensor): SymbolicTensor[] {
    return this.#net.forwardIntermediates(x, this.#stages, { intermediatesOnly: true }).intermediates;
  }
}

/**
 * torchvision's `stage_indices` of a MobileNetV3's `features`: the stem, every block with a
 * stride-2 setting (`_is_cn`, dilated ones included) and the last conv.
 */
export function tvMobileNetV3StageIndices(options: { widthMult?: number } = {}): number[] {
  const { blocks } = tvMobileNetV3Settings({ ...options, dilated: true });
  const cn = blocks.flatMap((b, i) => (b.stride > 1 ? [i + 1] : []));
  return [0, ...cn, blocks.length + 1];
}

/** Options of {@link tvMobileNetV3SegBackbone}. */
export interface TvMobileNetV3SegOptions {
  /** Channel multiplier (default 1; tiny test networks use less). */
  readonly widthMult?: number;
  /** Return the low-level map (`stage_indices[-4]`) before the last (`stage_indices[-1]`). */
  readonly withLow: boolean;
}

/** The dilated MobileNetV3-Large features torchvision's DeepLabV3 and LR-ASPP builders use. */
export function tvMobileNetV3SegBackbone(options: TvMobileNetV3SegOptions): TvMobileNetV3Backbone {
  const stages = tvMobileNetV3StageIndices(options);
  const high = stages[stages.length - 1]!;
  const low = stages[stages.length - 4]!;
  return new TvMobileNetV3Backbone({
    arch: 'mobilenet_v3_large',
    widthMult: options.widthMult,
    dilated: true,
    returnIndices: options.withLow ? [low, high] : [high],
  });
}
