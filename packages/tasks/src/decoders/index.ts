/**
 * Decoders of foreign model outputs: YOLOv8/v5, SSD (deltas + anchors or decoded boxes),
 * DETR/RT-DETR, NanoDet, CenterNet and classification, plus {@link decoderFromConfig}.
 * @module
 */
export { Candidates, finishDetections, pickClasses, topIndices } from './candidates.js';
export { CenterNetDecoder, type CenterNetDecoderOptions } from './centernet.js';
export { ClassificationDecoder, type ClassificationDecoderOptions } from './classification.js';
export {
  BOX_FORMATS,
  type BoxFormat,
  type DetectionDecodeOptions,
  type ResolvedDetectionOptions,
  resolveDetectionOptions,
  type ScoreActivation,
} from './common.js';
export { DetrDecoder, type DetrDecoderOptions } from './detr.js';
export { DECODER_TYPES, type DecoderConfig, decoderFromConfig } from './from-config.js';
export type { AttributeLayout } from './layout.js';
export {
  NANODET_DEFAULT_LEVELS,
  NanoDetDecoder,
  type NanoDetDecoderOptions,
  type NanoDetLevel,
} from './nanodet.js';
export { SsdDecoder, type SsdDecoderOptions } from './ssd.js';
export { generateSsdAnchors, type SsdAnchorSpec, ssdAnchorsPerLocation } from './ssd-anchors.js';
export { type YoloDecoderOptions, YoloV5Decoder, YoloV8Decoder } from './yolo.js';
