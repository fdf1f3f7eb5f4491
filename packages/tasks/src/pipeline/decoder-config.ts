/**
 * Decoders declared by format for foreign models (serialisable), and building them.
 * @module
 */
import type { Decoder } from '@ocular/core';
import { type DecoderConfig, decoderFromConfig } from '../decoders/index.js';
import {
  type ImageDecoderOptions,
  imageDecoder,
  type SegmentationDecoderOptions,
  segmentationDecoder,
} from '../postprocess/image-output.js';

/** Decoders declared by name for foreign models: detection/classification formats plus these. */
export type PipelineDecoderConfig =
  | DecoderConfig
  | ({ readonly type: 'segmentation' } & SegmentationDecoderOptions)
  | ({ readonly type: 'image' } & ImageDecoderOptions);

/** Builds a decoder from a declared format. */
export function pipelineDecoder(config: Decoder | PipelineDecoderConfig): Decoder {
  if ('decode' in config) return config;
  if (config.type === 'segmentation') return segmentationDecoder(config);
  if (config.type === 'image') return imageDecoder(config);
  return decoderFromConfig(config);
}
