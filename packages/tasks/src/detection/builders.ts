/**
 * Builders of torchvision's detectors by their torchvision names, with what a pipeline needs
 * to feed them (input size, normalisation) and the labels of their classes.
 * @module
 */
import { COCO_91_LABELS } from './coco-labels.js';
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
