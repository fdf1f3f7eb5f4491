/**
 * What {@link loadImage} accepts, and how each kind of source is recognised (structurally, so
 * DOM objects are detected without referencing DOM globals that Node lacks).
 * @module
 */
import type { PixelImage } from '@ocular/core';
import type { CanvasLike } from './browser.js';

/** Pixels shaped like the DOM's `ImageData`: RGBA bytes, no `channels` field. */
export interface ImageDataLike {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/** An `ImageBitmap`, structurally. */
export interface ImageBitmapLike {
  readonly width: number;
  readonly height: number;
  close(): void;
}

/** A WebCodecs `VideoFrame`, structurally. */
export interface VideoFrameLike {
  readonly displayWidth: number;
  readonly displayHeight: number;
  readonly format: string | null;
  close(): void;
}

/**
 * Anything {@link loadImage} reads: a file path or `file:` URL (Node), encoded PNG/JPEG/WebP
 * bytes, a {@link PixelImage}, `ImageData`, a canvas, an `ImageBitmap` or a `VideoFrame`.
 */
export type ImageSource =
  | string
  | URL
  | Uint8Array
  | ArrayBuffer
  | PixelImage
  | ImageDataLike
  | CanvasLike
  | ImageBitmapLike
  | VideoFrameLike;

/** The recognised kind of an {@link ImageSource}. */
export type SourceKind =
  | { kind: 'path'; path: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'pixels'; image: PixelImage }
  | { kind: 'imagedata'; image: ImageDataLike }
  | { kind: 'canvas'; canvas: CanvasLike }
  | { kind: 'bitmap'; bitmap: ImageBitmapLike }
  | { kind: 'videoframe'; frame: VideoFrameLike }
  | { kind: 'url'; scheme: string }
  | { kind: 'unknown'; description: string };

/** `file:` URL → path; decodes percent escapes (and drive letters on Windows-style URLs). */
function fileUrlToPath(url: URL): string {
  const path = decodeURIComponent(url.pathname);
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}

/** Classifies a source without reading it. */
export function classifySource(source: unknown): SourceKind {
  if (typeof source === 'string') {
    // A scheme of two or more letters; a single letter is a Windows drive (C:\...).
    const m = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(source);
    if (!m) return { kind: 'path', path: source };
    const scheme = m[1]!.toLowerCase();
    if (scheme === 'file') return { kind: 'path', path: fileUrlToPath(new URL(source)) };
    return { kind: 'url', scheme };
  }
  if (source instanceof URL)
    return source.protocol === 'file:'
      ? { kind: 'path', path: fileUrlToPath(source) }
      : { kind: 'url', scheme: source.protocol.replace(/:$/, '') };
  if (source instanceof Uint8Array) return { kind: 'bytes', bytes: source };
  if (source instanceof ArrayBuffer) return { kind: 'bytes', bytes: new Uint8Array(source) };
  if (source === null || typeof source !== 'object')
    return { kind: 'unknown', description: source === null ? 'null' : typeof source };
  const o = source as Record<string, unknown>;
  if ('channels' in o && 'data' in o) return { kind: 'pixels', image: source as PixelImage };
  if (typeof o.displayWidth === 'number' && typeof o.close === 'function')
    return { kind: 'videoframe', frame: source as VideoFrameLike };
  if (typeof o.getContext === 'function') return { kind: 'canvas', canvas: source as CanvasLike };
  if ('data' in o && typeof o.width === 'number')
    return { kind: 'imagedata', image: source as ImageDataLike };
  if (typeof o.width === 'number' && typeof o.close === 'function')
    return { kind: 'bitmap', bitmap: source as ImageBitmapLike };
  return { kind: 'unknown', description: (o.constructor as { name?: string } | undefined)?.name ?? 'object' };
}
