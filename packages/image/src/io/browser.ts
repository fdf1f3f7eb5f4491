/**
 * The browser codec: `createImageBitmap` decodes, an `OffscreenCanvas` (or a DOM canvas)
 * rasterises to RGBA, `convertToBlob`/`toBlob` encodes. Every API is feature-detected and a
 * missing one is an {@link ImageError} naming it.
 * @module
 */
import { ImageError, type PixelImage } from '@ocular/core';
import { toUint8Image } from '../pixel.js';
import { type ImageFormat, MIME_TYPES } from './probe.js';

/** The subset of a 2D context Ocular uses. */
export interface Context2DLike {
  drawImage(source: unknown, dx: number, dy: number): void;
  getImageData(sx: number, sy: number, sw: number, sh: number): { data: Uint8ClampedArray };
  putImageData(data: unknown, dx: number, dy: number): void;
}

/** An `HTMLCanvasElement` or `OffscreenCanvas`, structurally. */
export interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(contextId: '2d', options?: unknown): unknown;
}

interface Surface {
  canvas: CanvasLike & {
    convertToBlob?: (o: { type: string; quality?: number }) => Promise<Blob>;
    toBlob?: (cb: (b: Blob | null) => void, type: string, quality?: number) => void;
  };
  ctx: Context2DLike;
}

/** A fresh canvas of the given size: OffscreenCanvas when present, else a DOM canvas. */
function createSurface(width: number, height: number): Surface {
  const g = globalThis as {
    OffscreenCanvas?: new (w: number, h: number) => Surface['canvas'];
    document?: { createElement(tag: 'canvas'): Surface['canvas'] & { width: number; height: number } };
  };
  let canvas: Surface['canvas'];
  if (typeof g.OffscreenCanvas === 'function') canvas = new g.OffscreenCanvas(width, height);
  else if (g.document?.createElement) {
    const c = g.document.createElement('canvas');
    c.width = width;
    c.height = height;
    canvas = c;
  } else
    throw new ImageError(
      'no canvas available: this runtime has neither OffscreenCanvas nor document.createElement',
    );
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as Context2DLike | null;
  if (!ctx) throw new ImageError('could not get a 2D context from a canvas');
  return { canvas, ctx };
}

/** RGBA pixels of anything a 2D context can draw (ImageBitmap, VideoFrame, canvas). */
export function rasterise(source: unknown, width: number, height: number): PixelImage {
  const { ctx } = createSurface(width, height);
  ctx.drawImage(source, 0, 0);
  return readContext(ctx, width, height);
}

/** RGBA pixels of a 2D context. */
export function readContext(ctx: Context2DLike, width: number, height: number): PixelImage {
  const { data } = ctx.getImageData(0, 0, width, height);
  if (data.length !== width * height * 4)
    throw new ImageError(
      `getImageData returned ${data.length} bytes for ${width}x${height} RGBA (${width * height * 4} expected)`,
    );
  return { width, height, channels: 4, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Decodes PNG/JPEG/WebP bytes to RGBA with `createImageBitmap`. */
export async function decodeInBrowser(bytes: Uint8Array, format: ImageFormat): Promise<PixelImage> {
  const g = globalThis as {
    createImageBitmap?: (b: Blob, o?: unknown) => Promise<{ width: number; height: number; close(): void }>;
  };
  if (typeof g.createImageBitmap !== 'function' || typeof Blob !== 'function')
    throw new ImageError('createImageBitmap is not available in this runtime; cannot decode images');
  let bitmap: { width: number; height: number; close(): void };
  try {
    bitmap = await g.createImageBitmap(
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: MIME_TYPES[format] }),
      {
        premultiplyAlpha: 'none',
        colorSpaceConversion: 'none',
      },
    );
  } catch (cause) {
    throw new ImageError(
      `corrupt or truncated ${format.toUpperCase()} data: the browser could not decode it`,
      {
        cause,
        details: { format },
      },
    );
  }
  try {
    return rasterise(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/** Encodes an image through a canvas (`convertToBlob` or `toBlob`). */
export async function encodeInBrowser(
  img: PixelImage,
  format: ImageFormat,
  quality: number | undefined,
): Promise<Uint8Array> {
  const u8 = toUint8Image(img);
  const { width, height, channels } = u8;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const src = u8.data;
  for (let p = 0, q = 0; p < width * height; p++, q += channels) {
    const o = p * 4;
    if (channels === 1) {
      rgba[o] = rgba[o + 1] = rgba[o + 2] = src[q]!;
      rgba[o + 3] = 255;
    } else {
      rgba[o] = src[q]!;
      rgba[o + 1] = src[q + 1]!;
      rgba[o + 2] = src[q + 2]!;
      rgba[o + 3] = channels === 4 ? src[q + 3]! : 255;
    }
  }
  const ImageDataCtor = (
    globalThis as { ImageData?: new (d: Uint8ClampedArray, w: number, h: number) => unknown }
  ).ImageData;
  if (typeof ImageDataCtor !== 'function') throw new ImageError('ImageData is not available in this runtime');
  const { canvas, ctx } = createSurface(width, height);
  ctx.putImageData(new ImageDataCtor(rgba, width, height), 0, 0);
  const type = MIME_TYPES[format];
  const q = quality === undefined ? undefined : quality / 100;
  let blob: Blob | null;
  if (typeof canvas.convertToBlob === 'function') blob = await canvas.convertToBlob({ type, quality: q });
  else if (typeof canvas.toBlob === 'function') {
    const toBlob = canvas.toBlob.bind(canvas);
    blob = await new Promise<Blob | null>((resolve) => toBlob(resolve, type, q));
  } else throw new ImageError('this canvas can neither convertToBlob nor toBlob');
  if (!blob) throw new ImageError(`the browser could not encode ${format.toUpperCase()}`);
  if (blob.type && blob.type !== type)
    throw new ImageError(`the browser cannot encode ${format.toUpperCase()} (it produced ${blob.type})`);
  return new Uint8Array(await blob.arrayBuffer());
}
