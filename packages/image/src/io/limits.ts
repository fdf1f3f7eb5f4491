/**
 * Size limits applied to every decoded or rasterised image, checked before pixels are allocated.
 * @module
 */
import { ImageError, InvalidArgumentError } from '@ocular/core';

/** Default maximum pixel count of a loaded image: 64 Mi pixels (8192 × 8192). */
export const DEFAULT_MAX_PIXELS = 8192 * 8192;

/** Default maximum size of an image file read from disk: 256 MiB. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** Validates a user-given limit (positive integer) or returns the default. */
export function resolveLimit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Throws {@link ImageError} when a `width × height` image exceeds `maxPixels`.
 * @param what names the image in the message (a path, `bytes`, `canvas`)
 */
export function checkPixelLimit(width: number, height: number, maxPixels: number, what: string): void {
  if (width * height > maxPixels)
    throw new ImageError(
      `${what} is ${width}x${height} = ${width * height} pixels, over the limit of ${maxPixels} (raise maxPixels to accept it)`,
      { details: { width, height, maxPixels } },
    );
}
