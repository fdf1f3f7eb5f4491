/**
 * Geometry: letterbox and stretch resizing that record an {@link InputTransform}, cropping, and
 * mapping boxes between source and model-input coordinates.
 * @module
 */
import { type Box, type InputTransform, InvalidArgumentError, type PixelImage } from '@ocular/core';
import { assertPixelImage, colourFor, createImage, pixelKind } from './pixel.js';
import { assertSize, resize } from './resize/resize.js';
import type { ResizeMethod } from './resize/weights.js';

/** A resized image and how its coordinates relate to the source's. */
export interface TransformedImage {
  readonly image: PixelImage;
  /** `input = source · scale + offset` per axis, in pixel-edge coordinates. */
  readonly transform: InputTransform;
}

/** Options of {@link letterbox}. */
export interface LetterboxOptions {
  readonly width: number;
  readonly height: number;
  /** Resampling method. Default `bilinear`. */
  readonly method?: ResizeMethod;
  /** Antialiased downscaling (see `resize`). Default false. */
  readonly antialias?: boolean;
  /** Padding colour as RGB(A) 0–255 (scaled for float images). Default `[114, 114, 114]`. */
  readonly fill?: readonly number[];
}

/** Options of {@link stretch}. */
export interface StretchOptions {
  readonly width: number;
  readonly height: number;
  /** Resampling method. Default `bilinear`. */
  readonly method?: ResizeMethod;
  /** Antialiased downscaling (see `resize`). Default false. */
  readonly antialias?: boolean;
}

/**
 * Fits `img` inside `width × height` keeping its aspect ratio, centres it and pads the rest with
 * `fill`. The content is `round(w·s) × round(h·s)` with `s = min(width/w, height/h)`, placed at
 * `(⌊(width − w')/2⌋, ⌊(height − h')/2⌋)`. The transform records the exact per-axis scale
 * `w'/w`, `h'/h` (equal up to that rounding) and the offset.
 */
export function letterbox(img: PixelImage, options: LetterboxOptions): TransformedImage {
  assertPixelImage(img);
  const { width, height } = options;
  assertSize(width, height, 'letterbox size');
  const s = Math.min(width / img.width, height / img.height);
  const w = Math.min(width, Math.max(1, Math.round(img.width * s)));
  const h = Math.min(height, Math.max(1, Math.round(img.height * s)));
  const ox = Math.floor((width - w) / 2);
  const oy = Math.floor((height - h) / 2);
  const content =
    w === img.width && h === img.height
      ? img
      : resize(img, { width: w, height: h, method: options.method, antialias: options.antialias });
  const out = createImage(width, height, img.channels, pixelKind(img));
  const fill = colourFor(img, options.fill ?? [114, 114, 114]);
  const C = img.channels;
  const dst = out.data;
  for (let i = 0; i < dst.length; i += C) for (let c = 0; c < C; c++) dst[i + c] = fill[c]!;
  const rowLen = w * C;
  for (let y = 0; y < h; y++)
    dst.set(content.data.subarray(y * rowLen, (y + 1) * rowLen), ((y + oy) * width + ox) * C);
  return {
    image: out,
    transform: {
      source: { width: img.width, height: img.height },
      input: { width, height },
      scaleX: w / img.width,
      scaleY: h / img.height,
      offsetX: ox,
      offsetY: oy,
    },
  };
}

/** Resizes `img` to exactly `width × height` (aspect ratio not kept) and records the transform. */
export function stretch(img: PixelImage, options: StretchOptions): TransformedImage {
  assertPixelImage(img);
  const { width, height } = options;
  assertSize(width, height, 'stretch size');
  const image = resize(img, options);
  return {
    image,
    transform: {
      source: { width: img.width, height: img.height },
      input: { width, height },
      scaleX: width / img.width,
      scaleY: height / img.height,
      offsetX: 0,
      offsetY: 0,
    },
  };
}

/**
 * Copies the pixels of `box` (coordinates rounded to whole pixels, then clipped to the image).
 * @throws InvalidArgumentError when the clipped box is empty.
 */
export function crop(img: PixelImage, box: Box): PixelImage {
  assertPixelImage(img);
  const x1 = Math.max(0, Math.round(box.x1));
  const y1 = Math.max(0, Math.round(box.y1));
  const x2 = Math.min(img.width, Math.round(box.x2));
  const y2 = Math.min(img.height, Math.round(box.y2));
  if (!(x2 > x1 && y2 > y1))
    throw new InvalidArgumentError(
      `crop box (${box.x1}, ${box.y1})–(${box.x2}, ${box.y2}) is empty inside the ${img.width}x${img.height} image`,
      { box },
    );
  const C = img.channels;
  const w = x2 - x1;
  const out = createImage(w, y2 - y1, img.channels, pixelKind(img));
  for (let y = y1; y < y2; y++)
    out.data.set(img.data.subarray((y * img.width + x1) * C, (y * img.width + x2) * C), (y - y1) * w * C);
  return out;
}

/** The transform of {@link crop}: `input = source − (x1, y1)` (clipped, rounded box). */
export function cropTransform(source: PixelImage, box: Box): InputTransform {
  const x1 = Math.max(0, Math.round(box.x1));
  const y1 = Math.max(0, Math.round(box.y1));
  const x2 = Math.min(source.width, Math.round(box.x2));
  const y2 = Math.min(source.height, Math.round(box.y2));
  return {
    source: { width: source.width, height: source.height },
    input: { width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1) },
    scaleX: 1,
    scaleY: 1,
    offsetX: -x1 || 0, // never -0
    offsetY: -y1 || 0,
  };
}

const clip = (v: number, hi: number): number => Math.min(Math.max(v, 0), hi);

function assertTransform(t: InputTransform): void {
  if (!(t.scaleX > 0) || !(t.scaleY > 0))
    throw new InvalidArgumentError(`transform scales must be positive, got ${t.scaleX}, ${t.scaleY}`);
}

/**
 * Maps a box from model-input coordinates back to the source image (the inverse of the
 * transform: `source = (input − offset) / scale`), clipped to the source size.
 */
export function mapBoxToSource(box: Box, transform: InputTransform): Box {
  assertTransform(transform);
  const { scaleX, scaleY, offsetX, offsetY, source } = transform;
  return {
    x1: clip((box.x1 - offsetX) / scaleX, source.width),
    y1: clip((box.y1 - offsetY) / scaleY, source.height),
    x2: clip((box.x2 - offsetX) / scaleX, source.width),
    y2: clip((box.y2 - offsetY) / scaleY, source.height),
  };
}

/**
 * Maps a box from source-image coordinates to model-input coordinates
 * (`input = source · scale + offset`), clipped to the input size.
 */
export function mapBoxToInput(box: Box, transform: InputTransform): Box {
  assertTransform(transform);
  const { scaleX, scaleY, offsetX, offsetY, input } = transform;
  return {
    x1: clip(box.x1 * scaleX + offsetX, input.width),
    y1: clip(box.y1 * scaleY + offsetY, input.height),
    x2: clip(box.x2 * scaleX + offsetX, input.width),
    y2: clip(box.y2 * scaleY + offsetY, input.height),
  };
}
