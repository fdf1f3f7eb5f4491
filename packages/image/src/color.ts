/**
 * Channel conversions: grey/RGBA → RGB (alpha dropped or composited), RGB → RGBA, RGB ↔ BGR and
 * interleaved (HWC) ↔ planar (CHW) layouts.
 * @module
 */
import { InvalidArgumentError, type PixelImage } from '@ocular/core';
import { assertPixelImage, isFloatImage } from './pixel.js';

/** Options of {@link toRgb}. */
export interface ToRgbOptions {
  /**
   * Composite RGBA images over this RGB colour (0–255) instead of dropping alpha:
   * `out = a·c + (1 − a)·background`.
   */
  readonly background?: readonly [number, number, number];
}

function sameKind(img: PixelImage, n: number): Uint8Array | Float32Array {
  return isFloatImage(img) ? new Float32Array(n) : new Uint8Array(n);
}

/**
 * An RGB copy of a grey, RGB or RGBA image (RGB input is returned as is). Grey is replicated to
 * three channels; alpha is dropped, or composited over `background` (rounded for uint8).
 */
export function toRgb(img: PixelImage, options: ToRgbOptions = {}): PixelImage {
  assertPixelImage(img);
  if (img.channels === 3) return img;
  const n = img.width * img.height;
  const src = img.data;
  const out = sameKind(img, n * 3);
  if (img.channels === 1) {
    for (let p = 0; p < n; p++) out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = src[p]!;
  } else if (!options.background) {
    for (let p = 0; p < n; p++) {
      out[3 * p] = src[4 * p]!;
      out[3 * p + 1] = src[4 * p + 1]!;
      out[3 * p + 2] = src[4 * p + 2]!;
    }
  } else {
    const float = isFloatImage(img);
    const unit = float ? 1 : 255;
    const bg = options.background.map((v) => (float ? v / 255 : v));
    for (let p = 0; p < n; p++) {
      const a = src[4 * p + 3]! / unit;
      for (let c = 0; c < 3; c++) {
        const v = a * src[4 * p + c]! + (1 - a) * bg[c]!;
        out[3 * p + c] = float ? v : Math.floor(v + 0.5);
      }
    }
  }
  return { width: img.width, height: img.height, channels: 3, data: out };
}

/** An RGBA copy of a grey, RGB or RGBA image (RGBA is returned as is); alpha is opaque. */
export function toRgba(img: PixelImage): PixelImage {
  assertPixelImage(img);
  if (img.channels === 4) return img;
  const n = img.width * img.height;
  const src = img.data;
  const out = sameKind(img, n * 4);
  const opaque = isFloatImage(img) ? 1 : 255;
  const c = img.channels;
  for (let p = 0; p < n; p++) {
    out[4 * p] = src[c * p]!;
    out[4 * p + 1] = src[c * p + (c === 1 ? 0 : 1)]!;
    out[4 * p + 2] = src[c * p + (c === 1 ? 0 : 2)]!;
    out[4 * p + 3] = opaque;
  }
  return { width: img.width, height: img.height, channels: 4, data: out };
}

/**
 * Swaps the first and third channels (RGB ↔ BGR, RGBA ↔ BGRA) into a new image; the same call
 * converts either way.
 */
export function rgbToBgr(img: PixelImage): PixelImage {
  assertPixelImage(img);
  if (img.channels === 1) throw new InvalidArgumentError('rgbToBgr needs 3 or 4 channels, got 1');
  const out = img.data.slice();
  const c = img.channels;
  for (let i = 0; i < out.length; i += c) {
    const r = out[i]!;
    out[i] = out[i + 2]!;
    out[i + 2] = r;
  }
  return { width: img.width, height: img.height, channels: img.channels, data: out };
}

/** Alias of {@link rgbToBgr}: swapping is its own inverse. */
export const bgrToRgb = rgbToBgr;

/**
 * Interleaved (HWC) values to planar (CHW): `out[c·H·W + y·W + x] = data[(y·W + x)·C + c]`.
 * Returns an array of the input's kind.
 */
export function hwcToChw<T extends Uint8Array | Uint8ClampedArray | Float32Array>(
  data: T,
  width: number,
  height: number,
  channels: number,
): T {
  const n = width * height;
  if (data.length !== n * channels)
    throw new InvalidArgumentError(
      `hwcToChw: ${data.length} values do not make ${width}x${height}x${channels}`,
    );
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let c = 0; c < channels; c++) {
    const base = c * n;
    for (let p = 0, q = c; p < n; p++, q += channels) out[base + p] = data[q]!;
  }
  return out;
}

/** Planar (CHW) values to interleaved (HWC); the inverse of {@link hwcToChw}. */
export function chwToHwc<T extends Uint8Array | Uint8ClampedArray | Float32Array>(
  data: T,
  width: number,
  height: number,
  channels: number,
): T {
  const n = width * height;
  if (data.length !== n * channels)
    throw new InvalidArgumentError(
      `chwToHwc: ${data.length} values do not make ${channels}x${height}x${width}`,
    );
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let c = 0; c < channels; c++) {
    const base = c * n;
    for (let p = 0, q = c; p < n; p++, q += channels) out[q] = data[base + p]!;
  }
  return out;
}
