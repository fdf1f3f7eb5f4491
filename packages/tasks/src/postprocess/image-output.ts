/**
 * Decoders for networks whose output is itself the result: an image (super-resolution) or
 * per-class scores (segmentation), for foreign models declared with these formats.
 * @module
 */
import type { Decoder, PixelImage, Segmentation } from '@ocular/core';
import { InvalidArgumentError, Tensor } from '@ocular/core';
import { type SrPixelFormat, srOutputToImage } from '../sr/decode.js';
import { type ToSegmentationOptions, toSegmentation } from './segmentation.js';

/** Options of {@link imageDecoder}. */
export interface ImageDecoderOptions {
  /** Graph output holding the image `[1, C, H, W]` (default `output`). */
  readonly output?: string;
  /** Value range of the output (default `[0, 1]`; `[0, 255]` for models that output 8-bit levels). */
  readonly range?: readonly [number, number];
  /** Pixel format of the result (default `uint8`). */
  readonly format?: SrPixelFormat;
}

/** A decoder returning the network's output image (super-resolution, restoration). */
export function imageDecoder(options: ImageDecoderOptions = {}): Decoder<PixelImage> {
  const output = options.output ?? 'output';
  const [lo, hi] = options.range ?? [0, 1];
  if (!(hi > lo)) throw new InvalidArgumentError(`image decoder: range [${lo}, ${hi}] is empty`);
  return {
    task: 'super-resolution',
    outputNames: [output],
    decode: (raw) => {
      let t = raw[output]!;
      if (lo !== 0 || hi !== 1) {
        // Rescale to 0–1 once, so the pixel conversion has one convention.
        const src = t.toFloat32();
        const scaled = new Float32Array(src.length);
        for (let i = 0; i < src.length; i++) scaled[i] = (src[i]! - lo) / (hi - lo);
        t = Tensor.from('float32', scaled, t.dims);
      }
      return srOutputToImage(t, { format: options.format });
    },
  };
}

/** Options of {@link segmentationDecoder}. */
export interface SegmentationDecoderOptions extends ToSegmentationOptions {
  /** Graph output holding `[1, C, H, W]` (or, with `layout: 'nhwc'`, `[1, H, W, C]`) scores (default `output`). */
  readonly output?: string;
}

/** A decoder of per-class scores into a {@link Segmentation} of the source image. */
export function segmentationDecoder(options: SegmentationDecoderOptions = {}): Decoder<Segmentation> {
  const output = options.output ?? 'output';
  return {
    task: 'segmentation',
    outputNames: [output],
    decode: (raw, context) => toSegmentation(raw[output]!, context, options),
  };
}
