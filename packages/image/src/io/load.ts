/**
 * `loadImage`: any {@link ImageSource} → uint8 RGB (or RGBA) {@link PixelImage}, with the pixel
 * limit checked from the header before anything is decoded.
 * @module
 */
import { ImageError, InvalidArgumentError, type PixelImage } from '@ocular/core';
import { toRgb, toRgba } from '../color.js';
import { assertPixelImage, toUint8Image } from '../pixel.js';
import { type Context2DLike, decodeInBrowser, rasterise, readContext } from './browser.js';
import { type CodecChoice, resolveCodec, throwIfAborted } from './env.js';
import { checkPixelLimit, DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, resolveLimit } from './limits.js';
import { probeImage } from './probe.js';
import { decodeWithSharp } from './sharp.js';
import { classifySource, type ImageSource } from './source.js';

/** Options of {@link loadImage}. */
export interface LoadImageOptions {
  /** Refuse images with more pixels than this (checked from the header). Default 64 Mi (8192²). */
  readonly maxPixels?: number;
  /** Refuse files larger than this many bytes (paths only). Default 256 MiB. */
  readonly maxBytes?: number;
  /** Return RGBA (4 channels; opaque sources get alpha 255) instead of RGB. Default false. */
  readonly keepAlpha?: boolean;
  /** When alpha is not kept, composite over this RGB colour (0–255) instead of dropping it. */
  readonly background?: readonly [number, number, number];
  /** Apply the EXIF orientation (sharp; browsers do by default). Default true. */
  readonly autoOrient?: boolean;
  /** Codec for encoded bytes: `auto` (sharp under Node, else the browser), `sharp` or `browser`. */
  readonly codec?: CodecChoice;
  /** Cancels the load; an aborted load throws `AbortError`. */
  readonly signal?: AbortSignal;
}

async function readFileBytes(path: string, maxBytes: number): Promise<Uint8Array> {
  let fs: typeof import('node:fs/promises');
  try {
    fs = await import('node:fs/promises');
  } catch (cause) {
    throw new ImageError(`cannot read '${path}': file paths need Node (no file system here)`, { cause });
  }
  try {
    const st = await fs.stat(path);
    if (!st.isFile()) throw new ImageError(`'${path}' is not a file`, { details: { path } });
    if (st.size > maxBytes)
      throw new ImageError(`'${path}' is ${st.size} bytes, over the limit of ${maxBytes} (raise maxBytes)`, {
        details: { path, size: st.size, maxBytes },
      });
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  } catch (cause) {
    if (cause instanceof ImageError) throw cause;
    const code = (cause as { code?: string }).code;
    throw new ImageError(`cannot read image file '${path}'${code ? ` (${code})` : ''}`, {
      cause,
      details: { path, code },
    });
  }
}

/** Brings an RGBA/RGB/grey uint8 image to the requested channel count. */
function finish(img: PixelImage, options: LoadImageOptions): PixelImage {
  const u8 = toUint8Image(img);
  return options.keepAlpha ? toRgba(u8) : toRgb(u8, { background: options.background });
}

/** Decodes PNG/JPEG/WebP bytes after checking the header. */
async function decodeBytes(
  bytes: Uint8Array,
  what: string,
  options: LoadImageOptions,
  maxPixels: number,
): Promise<PixelImage> {
  let header: ReturnType<typeof probeImage>;
  try {
    header = probeImage(bytes);
  } catch (err) {
    if (err instanceof ImageError && what !== 'bytes')
      throw new ImageError(`${what}: ${err.message}`, { cause: err, details: err.details });
    throw err;
  }
  checkPixelLimit(header.width, header.height, maxPixels, `${what} (${header.format.toUpperCase()})`);
  if (resolveCodec(options.codec) === 'sharp')
    return decodeWithSharp(bytes, header.format, {
      maxPixels,
      keepAlpha: options.keepAlpha ?? false,
      background: options.background,
      autoOrient: options.autoOrient ?? true,
    });
  return decodeInBrowser(bytes, header.format);
}

/**
 * Loads an image from a file path or `file:` URL (Node), encoded PNG/JPEG/WebP bytes
 * (`Uint8Array`, `Buffer`, `ArrayBuffer`), a {@link PixelImage}, `ImageData`, a canvas, an
 * `ImageBitmap` or a `VideoFrame`, as uint8 RGB (RGBA with `keepAlpha`). Grey sources become RGB,
 * float sources are scaled to 0–255. Other URLs (`http:`, `data:`…) are refused: nothing is
 * fetched implicitly.
 *
 * @throws ImageError for unreadable files, unknown or unsupported formats, corrupt or truncated
 *   data, or more pixels than `maxPixels` (checked before decoding).
 * @throws InvalidArgumentError for a source of an unknown kind or a malformed PixelImage.
 * @throws AbortError when `options.signal` is aborted.
 */
export async function loadImage(source: ImageSource, options: LoadImageOptions = {}): Promise<PixelImage> {
  const maxPixels = resolveLimit(options.maxPixels, DEFAULT_MAX_PIXELS, 'maxPixels');
  const maxBytes = resolveLimit(options.maxBytes, DEFAULT_MAX_BYTES, 'maxBytes');
  throwIfAborted(options.signal);
  const src = classifySource(source);
  let img: PixelImage;
  switch (src.kind) {
    case 'url':
      throw new ImageError(
        `refusing to load a '${src.scheme}:' URL: only file paths and file: URLs are read; fetch the bytes yourself and pass them`,
        { details: { scheme: src.scheme } },
      );
    case 'unknown':
      throw new InvalidArgumentError(`cannot load an image from ${src.description}`);
    case 'path': {
      const bytes = await readFileBytes(src.path, maxBytes);
      throwIfAborted(options.signal);
      img = await decodeBytes(bytes, `'${src.path}'`, options, maxPixels);
      break;
    }
    case 'bytes':
      img = await decodeBytes(src.bytes, 'bytes', options, maxPixels);
      break;
    case 'pixels':
      assertPixelImage(src.image, 'source');
      checkPixelLimit(src.image.width, src.image.height, maxPixels, 'PixelImage');
      img = src.image;
      break;
    case 'imagedata': {
      const { width, height, data } = src.image;
      checkPixelLimit(width, height, maxPixels, 'ImageData');
      img = { width, height, channels: 4, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
      assertPixelImage(img, 'ImageData');
      break;
    }
    case 'canvas': {
      const { width, height } = src.canvas;
      checkPixelLimit(width, height, maxPixels, 'canvas');
      const ctx = src.canvas.getContext('2d') as Context2DLike | null;
      // A canvas holding a WebGL/WebGPU context has no 2D context: copy it through another canvas.
      img = ctx ? readContext(ctx, width, height) : rasterise(src.canvas, width, height);
      break;
    }
    case 'bitmap':
      checkPixelLimit(src.bitmap.width, src.bitmap.height, maxPixels, 'ImageBitmap');
      img = rasterise(src.bitmap, src.bitmap.width, src.bitmap.height);
      break;
    case 'videoframe':
      checkPixelLimit(src.frame.displayWidth, src.frame.displayHeight, maxPixels, 'VideoFrame');
      img = rasterise(src.frame, src.frame.displayWidth, src.frame.displayHeight);
      break;
  }
  throwIfAborted(options.signal);
  return finish(img, options);
}
