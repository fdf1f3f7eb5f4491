/**
 * Small helpers shared by every module: validating a {@link PixelImage}, allocating a new one of
 * the same kind, and the uint8 ↔ float conventions (uint8 is 0–255, float is 0–1).
 * @module
 */
import { InvalidArgumentError, type PixelImage } from '@ocular/core';

/** The element kind of a {@link PixelImage}: 8-bit (`Uint8Array`/`Uint8ClampedArray`) or float32. */
export type PixelKind = 'uint8' | 'float32';

/** Channel counts a {@link PixelImage} may have. */
export type Channels = 1 | 3 | 4;

/** Whether `img.data` holds float32 values (0–1) rather than 8-bit values (0–255). */
export function isFloatImage(img: PixelImage): boolean {
  return img.data instanceof Float32Array;
}

/** The element kind of `img`. */
export function pixelKind(img: PixelImage): PixelKind {
  return isFloatImage(img) ? 'float32' : 'uint8';
}

/**
 * Throws {@link InvalidArgumentError} unless `img` is a well-formed {@link PixelImage}: positive
 * integer size, 1/3/4 channels and exactly `width * height * channels` elements.
 * @param what how the argument is called in the message
 */
export function assertPixelImage(img: PixelImage, what = 'image'): void {
  if (img === null || typeof img !== 'object')
    throw new InvalidArgumentError(`${what} must be a PixelImage, got ${String(img)}`);
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
    throw new InvalidArgumentError(`${what} has invalid size ${width}x${height}`, { width, height });
  if (channels !== 1 && channels !== 3 && channels !== 4)
    throw new InvalidArgumentError(`${what} has ${channels} channels; 1, 3 or 4 are supported`);
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray || data instanceof Float32Array))
    throw new InvalidArgumentError(
      `${what}.data must be a Uint8Array, Uint8ClampedArray or Float32Array, got ${
        (data as object | undefined)?.constructor?.name ?? typeof data
      }`,
    );
  if (data.length !== width * height * channels)
    throw new InvalidArgumentError(
      `${what}.data has ${data.length} elements; ${width}x${height}x${channels} needs ${width * height * channels}`,
      { width, height, channels, length: data.length },
    );
}

/** A zero-filled image of the given kind (`uint8` data is a `Uint8Array`). */
export function createImage(
  width: number,
  height: number,
  channels: Channels,
  kind: PixelKind = 'uint8',
): PixelImage {
  const n = width * height * channels;
  return {
    width,
    height,
    channels,
    data: kind === 'float32' ? new Float32Array(n) : new Uint8Array(n),
  };
}

/** Rounds half up and clamps to 0–255 (the convention of every float → uint8 conversion here). */
export function toByte(v: number): number {
  if (!(v > 0)) return 0; // also maps NaN to 0
  if (v >= 255) return 255;
  return Math.floor(v + 0.5);
}

/** A uint8 copy of `img` (float data is scaled by 255, rounded and clamped); uint8 input is returned as is. */
export function toUint8Image(img: PixelImage): PixelImage {
  if (!isFloatImage(img)) return img;
  const src = img.data;
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = toByte(src[i]! * 255);
  return { width: img.width, height: img.height, channels: img.channels, data: out };
}

/** A float32 copy of `img` with values in 0–1; float input is returned as is. */
export function toFloatImage(img: PixelImage): PixelImage {
  if (isFloatImage(img)) return img;
  const src = img.data;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i]! / 255;
  return { width: img.width, height: img.height, channels: img.channels, data: out };
}

/**
 * A colour for `img`'s kind and channel count from an RGB(A) triple in 0–255: grey images get the
 * luma (BT.601), RGBA images alpha 255 unless given, float images values divided by 255.
 */
export function colourFor(img: PixelImage, rgb: readonly number[]): number[] {
  const float = isFloatImage(img);
  const conv = (v: number): number => (float ? v / 255 : toByte(v));
  const r = rgb[0] ?? 0;
  const g = rgb[1] ?? r;
  const b = rgb[2] ?? r;
  const a = rgb[3] ?? 255;
  if (img.channels === 1) return [conv(0.299 * r + 0.587 * g + 0.114 * b)];
  if (img.channels === 3) return [conv(r), conv(g), conv(b)];
  return [conv(r), conv(g), conv(b), conv(a)];
}
