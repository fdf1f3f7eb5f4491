/**
 * Builders of torchvision's detectors by their torchvision names, with what a pipeline needs
 * to feed them (input size, normalisation) and the labels of their classes.
 * @module
 */
import { ResNet, type ResNetConfig, resnetConfig } from '@ocular/cnn';
import { FeatureListNet } from '@ocular/core';
import { COCO_91_LABELS } from './coco-labels.js';
import { type DenseDetectorOptions, FCOS, type FCOSOptions, RetinaNet } from './dense-detector.js';
import type { FeatureBody } from './fpn.js';
import { SSDLite, type SSDLiteOptions } from './ssdlite.js';

/** How a detector's input is made: size (height, width) and per-channel normalisation. */
export interface DetectorPreprocessing {
  /** `[channels, height, width]` the model was trained at. */
  readonly defaultInputSize: readonly [number, number, number];
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  /** Class labels by id (COCO-91 for torchvision's detectors). */
  readonly labels: readonly string[];
}

/** SSDLite320: 320×320, mean/std 0.5 (torchvision's transform maps [0, 1] to [−1, 1]). */
export const SSDLITE320_PREPROCESSING: DetectorPreprocessing = {
  defaultInputSize: [3, 320, 320],
  mean: [0.5, 0.5, 0.5],
  std: [0.5, 0.5, 0.5],
  labels: COCO_91_LABELS,
};

/**
 * torchvision's `ssdlite320_mobilenet_v3_large` (reduced-tail MobileNetV3 Large, 91 COCO
 * classes): its state dict loads strictly. Options override classes, thresholds and widths.
 */
export function ssdlite320MobileNetV3Large(options: SSDLiteOptions = {}): SSDLite {
  return new SSDLite(options);
}

/** RetinaNet and FCOS (ResNet-50 FPN): 800×800 by default, ImageNet mean/std. */
export const RESNET50_FPN_PREPROCESSING: DetectorPreprocessing = {
  defaultInputSize: [3, 800, 800],
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  labels: COCO_91_LABELS,
};

/** Options of the ResNet-FPN builders: the detector's, with the body made for you. */
export type ResNetFpnOptions<O extends DenseDetectorOptions = DenseDetectorOptions> = Omit<O, 'body'> & {
  /** A body to use instead of ResNet-50 layer2..4 (tiny test configurations). */
  readonly body?: FeatureBody;
  /** ResNet configuration of the body (default ResNet-50, timm's = torchvision's keys). */
  readonly resnet?: ResNetConfig;
};

/** ResNet layer2, layer3 and layer4 (feature indices 2..4), as torchvision's `returned_layers=[2, 3, 4]`. */
export function resnetFpnBody(config: ResNetConfig = resnetConfig('resnet50')): FeatureBody {
  return new FeatureListNet(new ResNet(config, { numClasses: 0 }), [2, 3, 4]);
}

/**
 * torchvision's `retinanet_resnet50_fpn` (v1): ResNet-50 body (`backbone.body`), FPN with P6/P7
 * from P5 (`backbone.fpn`), RetinaNet head; 91 COCO classes. State dicts load strictly.
 */
export function retinanetResnet50Fpn(options: ResNetFpnOptions = {}): RetinaNet {
  const { body, resnet, ...rest } = options;
  return new RetinaNet({ ...rest, body: body ?? resnetFpnBody(resnet) });
}

/**
 * torchvision's `fcos_resnet50_fpn`: ResNet-50 body, FPN with P6/P7, FCOS head with GroupNorm
 * towers and centerness; 91 COCO classes. State dicts load strictly.
 */
export function fcosResnet50Fpn(options: ResNetFpnOptions<FCOSOptions> = {}): FCOS {
  const { body, resnet, ...rest } = options;
  return new FCOS({ ...rest, body: body ?? resnetFpnBody(resnet) });
}
