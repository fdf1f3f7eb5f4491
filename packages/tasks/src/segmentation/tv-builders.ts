/**
 * Builders of torchvision's segmentation networks with its state-dict layouts:
 * `fcn_resnet50`, `deeplabv3_mobilenet_v3_large` and `lraspp_mobilenet_v3_large`.
 * @module
 */

import type { ResNetConfig } from '@ocular/cnn';
import { InvalidArgumentError } from '@ocular/core';
import { TvResNetBackbone, tvMobileNetV3SegBackbone } from './tv-backbones.js';
import { DeepLabHead, FCNHead, LRASPPHead } from './tv-heads.js';
import { TvSegmentationModel } from './tv-model.js';
import { VOC_LABELS } from './voc-labels.js';

/** Options every torchvision segmentation builder takes. */
export interface TvSegmentationOptions {
  /** Classes (default 21, Pascal VOC, as the official weights). */
  readonly numClasses?: number;
  /**
   * Build the auxiliary classifier (`aux_classifier.*`), as the official checkpoints have it, so
   * they load strictly (default false).
   */
  readonly auxLoss?: boolean;
  /** Also output the auxiliary classifier's scores as `aux` (needs `auxLoss`; default false). */
  readonly auxOutput?: boolean;
  /** Labels by class id (default: Pascal VOC's when there are 21 classes). */
  readonly labels?: readonly string[];
}

function common(options: TvSegmentationOptions) {
  const numClasses = options.numClasses ?? 21;
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new InvalidArgumentError(`numClasses must be a positive integer, got ${numClasses}`);
  if (options.auxOutput && !options.auxLoss)
    throw new InvalidArgumentError('auxOutput needs auxLoss: true (the auxiliary classifier)');
  if (options.labels && options.labels.length !== numClasses)
    throw new InvalidArgumentError(`labels: expected ${numClasses}, got ${options.labels.length}`);
  const labels = options.labels ?? (numClasses === 21 ? VOC_LABELS : undefined);
  return { numClasses, labels, aux: options.auxLoss ?? false, auxOutput: options.auxOutput ?? false };
}

/** Options of {@link fcnResnet50}. */
export interface FcnResNetOptions extends TvSegmentationOptions {
  /** ResNet architecture (default ResNet-50; smaller ones for tests). */
  readonly resnet?: ResNetConfig;
}

/**
 * torchvision's `fcn_resnet50`: a ResNet-50 dilated to output stride 8, an `FCNHead` on
 * `layer4` and, with `auxLoss`, one on `layer3`.
 */
export function fcnResnet50(options: FcnResNetOptions = {}): TvSegmentationModel {
  const { numClasses, labels, aux, auxOutput } = common(options);
  const backbone = new TvResNetBackbone({
    config: options.resnet,
    outputStride: 8,
    returnStages: aux ? [3, 4] : [4],
  });
  const info = backbone.featureInfo;
  return new TvSegmentationModel({
    backbone,
    classifier: new FCNHead(info[info.length - 1]!.numChs, numClasses),
    classifierInputs: [info.length - 1],
    auxClassifier: aux ? new FCNHead(info[0]!.numChs, numClasses) : undefined,
    auxInput: auxOutput ? 0 : undefined,
    numClasses,
    labels,
  });
}

/** Options of the MobileNetV3-Large builders. */
export interface TvMobileNetV3SegmentationOptions extends TvSegmentationOptions {
  /** Backbone channel multiplier (default 1; tiny test networks use less). */
  readonly widthMult?: number;
}

/** Options of {@link deeplabv3MobileNetV3Large}. */
export interface DeepLabV3Options extends TvMobileNetV3SegmentationOptions {
  /** ASPP and head width (default 256). */
  readonly channels?: number;
  /** ASPP dilation rates (default 12, 24, 36). */
  readonly atrousRates?: readonly number[];
}

/**
 * torchvision's `deeplabv3_mobilenet_v3_large`: dilated MobileNetV3-Large (output stride 16),
 * `DeepLabHead` on the last map and, with `auxLoss`, an `FCNHead` on `features.4`.
 */
export function deeplabv3MobileNetV3Large(options: DeepLabV3Options = {}): TvSegmentationModel {
  const { numClasses, labels, aux, auxOutput } = common(options);
  const backbone = tvMobileNetV3SegBackbone({ widthMult: options.widthMult, withLow: aux });
  const info = backbone.featureInfo;
  return new TvSegmentationModel({
    backbone,
    classifier: new DeepLabHead(info[info.length - 1]!.numChs, numClasses, {
      channels: options.channels,
      atrousRates: options.atrousRates,
    }),
    classifierInputs: [info.length - 1],
    auxClassifier: aux ? new FCNHead(info[0]!.numChs, numClasses) : undefined,
    auxInput: auxOutput ? 0 : undefined,
    numClasses,
    labels,
  });
}

/** Options of {@link lrasppMobileNetV3Large}. */
export interface LRASPPOptions extends Omit<TvMobileNetV3SegmentationOptions, 'auxLoss' | 'auxOutput'> {
  /** Width of the high-level branch (default 128). */
  readonly interChannels?: number;
  /** Rejected: LR-ASPP has no auxiliary classifier (as torchvision). */
  readonly auxLoss?: false;
}

/**
 * torchvision's `lraspp_mobilenet_v3_large`: dilated MobileNetV3-Large with an `LRASPPHead` on
 * `features.4` (low) and the last map (high).
 */
export function lrasppMobileNetV3Large(options: LRASPPOptions = {}): TvSegmentationModel {
  if ((options as TvSegmentationOptions).auxLoss)
    throw new InvalidArgumentError('lrasppMobileNetV3Large: LR-ASPP has no auxiliary classifier (auxLoss)');
  const { numClasses, labels } = common(options);
  const backbone = tvMobileNetV3SegBackbone({ widthMult: options.widthMult, withLow: true });
  const [low, high] = backbone.featureInfo.map((f) => f.numChs) as [number, number];
  return new TvSegmentationModel({
    backbone,
    classifier: new LRASPPHead(low, high, numClasses, options.interChannels),
    classifierInputs: [0, 1],
    numClasses,
    labels,
  });
}
