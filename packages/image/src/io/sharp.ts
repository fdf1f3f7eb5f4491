/**
 * The Node codec: sharp, imported lazily with a dynamic `import()` so that browser bundles never
 * load it and Node users who only resize pay nothing for it.
 * @module
 */
import { ImageError, type PixelImage } from '@ocular/core';
import { toUint8Image } from '../pixel.js';
import type { ImageFormat } from './probe.js';

type SharpFactory = typeof import('sharp');

let sharpPromise: Promise<SharpFactory> | undefined;

/** The sharp factory, imported on first use. */
export function loadSharp(): Promise<SharpFactory> {
  sharpPromise ??= import('sharp').then(
    // sharp is CommonJS: its factory is the default export (or the namespace itself when bundled).
    (m) => (m as unknown as { default?: SharpFactory }).default ?? (m as unknown as SharpFactory),
    (cause: unknown) => {
      sharpPromise = undefined;
      throw new ImageError('sharp (the Node image codec) could not be loaded', { cause });
    },
  );
  return sharpPromise;
}

/** How {@link decodeWithSharp} shapes its output. */
export interface SharpDecodeOptions {
  readonly maxPixels: number;
  readonly keepAlpha: boolean;
  readonly background?: readonly [number, number, number];
  readonly autoOrient: boolean;
}

/** Decodes PNG/JPEG/WebP bytes to uint8 RGB (or RGBA) with sharp. */
export async function decodeWithSharp(
  bytes: Uint8Array,
  format: ImageFormat,
  options: SharpDecodeOptions,
): Promise<PixelImage> {
  const sharp = await loadSharp();
  try {
    // failOn 'warning' makes truncated or damaged files an error instead of a half-grey image.
    let pipe = sharp(bytes, { limitInputPixels: options.maxPixels, failOn: 'warning' });
    if (options.autoOrient) pipe = pipe.rotate();
    if (options.keepAlpha) pipe = pipe.ensureAlpha();
    else if (options.background)
      pipe = pipe.flatten({
        background: { r: options.background[0], g: options.background[1], b: options.background[2] },
      });
    else pipe = pipe.removeAlpha();
    const { data, info } = await pipe
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const channels = info.channels as 1 | 3 | 4;
    return {
      width: info.width,
      height: info.height,
      channels,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (cause) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    throw new ImageError(`corrupt or truncated ${format.toUpperCase()} data: ${msg.trim()}`, {
      cause,
      details: { format },
    });
  }
}

/** Encodes an image with sharp. */
export async function encodeWithSharp(
  img: PixelImage,
  format: ImageFormat,
  quality: number | undefined,
): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const u8 = toUint8Image(img);
  const raw = { width: u8.width, height: u8.height, channels: u8.channels };
  const input =
    u8.data instanceof Uint8Array
      ? u8.data
      : new Uint8Array(u8.data.buffer, u8.data.byteOffset, u8.data.length);
  try {
    let pipe = sharp(input, { raw, limitInputPixels: false });
    if (format === 'png') pipe = pipe.png();
    else if (format === 'jpeg') pipe = pipe.jpeg(quality === undefined ? {} : { quality });
    else pipe = pipe.webp(quality === undefined ? {} : { quality });
    const out = await pipe.toBuffer();
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  } catch (cause) {
    throw new ImageError(`could not encode ${format.toUpperCase()}`, { cause, details: { format } });
  }
}
