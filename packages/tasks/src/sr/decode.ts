/**
 * Super-resolution output → pixels: the raw `[N, C, H, W]` tensor (0–1 RGB) becomes an interleaved
 * {@link PixelImage}, 8-bit (rounded, clamped to 0–255) or float (clamped to 0–1).
 * @module
 */
import {
  type DecodeContext,
  DecodeError,
  type Decoder,
  InvalidArgumentError,
  type PixelImage,
  type Tensor,
} from '@ocular/core';

/** Pixel format of a decoded super-resolution image. */
export type SrPixelFormat = 'uint8' | 'float32';

/** Options of {@link srOutputToImage}. */
export interface SrDecodeOptions {
  /** `uint8` (default): 0–255, rounded and clamped; `float32`: 0–1, clamped. */
  readonly format?: SrPixelFormat;
  /** Which image of the batch (default 0). */
  readonly batchIndex?: number;
}

/**
 * Converts one image of a super-resolution network's output `[N, C, H, W]` (C = 1, 3 or 4,
 * values nominally 0–1) to an interleaved {@link PixelImage}. Throws `DecodeError` for a tensor
 * of another rank or channel count.
 */
export function srOutputToImage(output: Tensor, options: SrDecodeOptions = {}): PixelImage {
  const format = options.format ?? 'uint8';
  if (format !== 'uint8' && format !== 'float32')
    throw new InvalidArgumentError(`srOutputToImage: format must be 'uint8' or 'float32', got '${format}'`);
  if (output.rank !== 4)
    throw new DecodeError(`super-resolution output must be [N, C, H, W], got [${output.dims.join(', ')}]`);
  const [n, c, height, width] = output.dims as [number, number, number, number];
  if (c !== 1 && c !== 3 && c !== 4)
    throw new DecodeError(`super-resolution output must have 1, 3 or 4 channels, got ${c}`);
  const b = options.batchIndex ?? 0;
  if (!Number.isInteger(b) || b < 0 || b >= n)
    throw new DecodeError(`batch index ${b} is outside the output's batch of ${n}`);
  const src = output.toFloat32();
  const plane = height * width;
  const base = b * c * plane;
  const data = format === 'uint8' ? new Uint8Array(plane * c) : new Float32Array(plane * c);
  for (let ch = 0; ch < c; ch++) {
    const off = base + ch * plane;
    for (let i = 0; i < plane; i++) {
      const v = src[off + i]!;
      // NaN maps to 0 in both formats (a comparison with NaN is false).
      const clamped = v > 0 ? Math.min(v, 1) : 0;
      data[i * c + ch] = format === 'uint8' ? Math.round(clamped * 255) : clamped;
    }
  }
  return { width, height, channels: c, data };
}

/**
 * The {@link Decoder} of a super-resolution network: reads the graph output `output` and returns
 * the image of batch index 0 (the decode context's transform is not needed: the output is the
 * whole upscaled input).
 */
export function srDecoder(format: SrPixelFormat = 'uint8'): Decoder<PixelImage> {
  return {
    task: 'super-resolution',
    outputNames: ['output'],
    decode(raw: Readonly<Record<string, Tensor>>, _context: DecodeContext): PixelImage {
      const t = raw.output;
      if (!t)
        throw new DecodeError(
          `super-resolution decode needs the output 'output', got [${Object.keys(raw).join(', ')}]`,
        );
      return srOutputToImage(t, { format });
    },
  };
}
