/**
 * Decoders for networks whose output is itself the result: an image (super-resolution) or
 * per-class scores (segmentation), for foreign models declared with these formats.
 * @module
 */
import type { Decoder, PixelImage, Segmentation, Tensor } from '@ocular/core';
import { DecodeError } from '@ocular/core';
import { type ToSegmentationOptions, toSegmentation } from './segmentation.js';

/** Options of {@link imageDecoder}. */
export interface ImageDecoderOptions {
  /** Graph output holding the image (default `output`). */
  readonly output?: string;
  /** Value range of the output (default `[0, 1]`). */
  readonly range?: readonly [number, number];
}

/** `[1, C, H, W]` (C = 1, 3 or 4) → 8-bit interleaved pixels, clamped and rounded. */
export function tensorToPixels(t: Tensor, range: readonly [number, number] = [0, 1]): PixelImage {
  if (t.dims.length !== 4 || t.dims[0] !== 1 || ![1, 3, 4].includes(t.dims[1]!))
    throw new DecodeError(`image output: expected [1, 1|3|4, H, W], got [${t.dims.join(', ')}]`);
  const [, c, h, w] = t.dims as [number, 1 | 3 | 4, number, number];
  const src = t.toFloat32();
  const out = new Uint8Array(h * w * c);
  const lo = range[0];
  const k = 255 / (range[1] - range[0]);
  const plane = h * w;
  for (let ch = 0; ch < c; ch++) {
    const base = ch * plane;
    for (let i = 0; i < plane; i++) {
      const v = Math.round((src[base + i]! - lo) * k);
      out[i * c + ch] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { width: w, height: h, channels: c, data: out };
}

/** A decoder returning the network's output image. */
export function imageDecoder(options: ImageDecoderOptions = {}): Decoder<PixelImage> {
  const output = options.output ?? 'output';
  return {
    task: 'super-resolution',
    outputNames: [output],
    decode: (raw) => tensorToPixels(raw[output]!, options.range),
  };
}

/** Options of {@link segmentationDecoder}. */
export interface SegmentationDecoderOptions extends ToSegmentationOptions {
  /** Graph output holding `[1, C, H, W]` scores (default `output`). */
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
