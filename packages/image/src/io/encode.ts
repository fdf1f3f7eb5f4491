/**
 * `encodeImage` and `saveImage`: PixelImage → PNG/JPEG/WebP bytes, with sharp under Node and the
 * canvas APIs in browsers.
 * @module
 */
import { ImageError, InvalidArgumentError, type PixelImage } from '@ocular/core';
import { assertPixelImage } from '../pixel.js';
import { encodeInBrowser } from './browser.js';
import { type CodecChoice, resolveCodec } from './env.js';
import type { ImageFormat } from './probe.js';
import { encodeWithSharp } from './sharp.js';

/** Options of {@link encodeImage} and {@link saveImage}. */
export interface EncodeOptions {
  /** JPEG/WebP quality 1–100 (ignored for PNG). Codec default when absent. */
  readonly quality?: number;
  /** `auto` (sharp under Node, else the browser), `sharp` or `browser`. */
  readonly codec?: CodecChoice;
}

const FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];

/**
 * Encodes `img` as PNG, JPEG or WebP. Float images are scaled to 0–255 first; JPEG drops alpha.
 * @throws InvalidArgumentError for an unknown format or a quality outside 1–100.
 */
export async function encodeImage(
  img: PixelImage,
  format: ImageFormat,
  options: EncodeOptions = {},
): Promise<Uint8Array> {
  assertPixelImage(img);
  if (!FORMATS.includes(format))
    throw new InvalidArgumentError(`unknown image format '${format}'; use png, jpeg or webp`);
  const { quality } = options;
  if (quality !== undefined && (!Number.isInteger(quality) || quality < 1 || quality > 100))
    throw new InvalidArgumentError(`quality must be an integer in 1–100, got ${quality}`);
  return resolveCodec(options.codec) === 'sharp'
    ? encodeWithSharp(img, format, quality)
    : encodeInBrowser(img, format, quality);
}

/** The format a file name's extension asks for (`.png`, `.jpg`/`.jpeg`, `.webp`). */
export function formatFromPath(path: string): ImageFormat {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'png') return 'png';
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg';
  if (ext === 'webp') return 'webp';
  throw new InvalidArgumentError(
    `cannot tell the image format of '${path}' from its extension; use .png, .jpg, .jpeg or .webp`,
  );
}

/**
 * Encodes `img` in the format named by `path`'s extension and writes it (Node only).
 * @throws InvalidArgumentError for an unknown extension; ImageError when the file cannot be written.
 */
export async function saveImage(img: PixelImage, path: string, options: EncodeOptions = {}): Promise<void> {
  const bytes = await encodeImage(img, formatFromPath(path), options);
  try {
    const fs = await import('node:fs/promises');
    await fs.writeFile(path, bytes);
  } catch (cause) {
    throw new ImageError(`cannot write image file '${path}'`, { cause, details: { path } });
  }
}
