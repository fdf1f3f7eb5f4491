/**
 * Building a decoder from serialisable configuration (a pipeline or model card's JSON).
 * @module
 */
import { type Classification, type Decoder, type Detection, InvalidArgumentError } from '@ocular/core';
import { CenterNetDecoder, type CenterNetDecoderOptions } from './centernet.js';
import { ClassificationDecoder, type ClassificationDecoderOptions } from './classification.js';
import { DetrDecoder, type DetrDecoderOptions } from './detr.js';
import { NanoDetDecoder, type NanoDetDecoderOptions } from './nanodet.js';
import { SsdDecoder, type SsdDecoderOptions } from './ssd.js';
import { type YoloDecoderOptions, YoloV5Decoder, YoloV8Decoder } from './yolo.js';

/** A decoder described as plain data: its `type` and that decoder's options. */
export type DecoderConfig =
  | ({ readonly type: 'yolov8' } & YoloDecoderOptions)
  | ({ readonly type: 'yolov5' } & YoloDecoderOptions)
  | ({ readonly type: 'ssd' } & SsdDecoderOptions)
  | ({ readonly type: 'detr' } & Omit<DetrDecoderOptions, 'variant'>)
  | ({ readonly type: 'rtdetr' } & Omit<DetrDecoderOptions, 'variant'>)
  | ({ readonly type: 'classification' } & ClassificationDecoderOptions)
  | ({ readonly type: 'nanodet' } & NanoDetDecoderOptions)
  | ({ readonly type: 'centernet' } & CenterNetDecoderOptions);

/** The decoder types {@link decoderFromConfig} knows. */
export const DECODER_TYPES = [
  'yolov8',
  'yolov5',
  'ssd',
  'detr',
  'rtdetr',
  'classification',
  'nanodet',
  'centernet',
] as const;

/** Builds the decoder a {@link DecoderConfig} describes. Throws `InvalidArgumentError` for an unknown type. */
export function decoderFromConfig(
  config: DecoderConfig & { readonly type: 'classification' },
): Decoder<Classification[]>;
export function decoderFromConfig(
  config: DecoderConfig & { readonly type: Exclude<DecoderConfig['type'], 'classification'> },
): Decoder<Detection[]>;
export function decoderFromConfig(config: DecoderConfig): Decoder<Detection[]> | Decoder<Classification[]>;
export function decoderFromConfig(config: DecoderConfig): Decoder<Detection[]> | Decoder<Classification[]> {
  const { type, ...options } = config;
  switch (type) {
    case 'yolov8':
      return new YoloV8Decoder(options);
    case 'yolov5':
      return new YoloV5Decoder(options);
    case 'ssd':
      return new SsdDecoder(options);
    case 'detr':
      return new DetrDecoder({ ...options, variant: 'detr' });
    case 'rtdetr':
      return new DetrDecoder({ ...options, variant: 'rtdetr' });
    case 'classification':
      return new ClassificationDecoder(options);
    case 'nanodet':
      return new NanoDetDecoder(options);
    case 'centernet':
      return new CenterNetDecoder(options);
    default:
      throw new InvalidArgumentError(
        `unknown decoder type '${String(type)}' (known: ${DECODER_TYPES.join(', ')})`,
      );
  }
}
