/**
 * Arranging images for comparison.
 * @module
 */
import { InvalidArgumentError, type PixelImage } from '@ocular/core';
import { toRgb } from '../color.js';
import { assertPixelImage, createImage, toUint8Image } from '../pixel.js';
import { drawText, fillRect, measureText } from './canvas.js';

/** Options of {@link sideBySide}. */
export interface SideBySideOptions {
  /** Pixels between images. Default 4. */
  readonly gap?: number;
  /** One caption per image, written in a band above it. */
  readonly labels?: readonly string[];
  /** Background RGB 0–255 (gaps, band, below shorter images). Default white. */
  readonly background?: readonly [number, number, number];
  /** Caption colour. Default black. */
  readonly textColour?: readonly [number, number, number];
  /** Integer scale of the 5×7 font. Default 1. */
  readonly fontScale?: number;
}

/** Padding around captions at font scale 1. */
export const CAPTION_PADDING = 2;

/**
 * Places images left to right, top-aligned, `gap` pixels apart, with optional captions in a band
 * above them. Returns a new uint8 RGB image (inputs are converted, not modified).
 */
export function sideBySide(images: readonly PixelImage[], options: SideBySideOptions = {}): PixelImage {
  if (images.length === 0) throw new InvalidArgumentError('sideBySide needs at least one image');
  for (const [i, im] of images.entries()) assertPixelImage(im, `images[${i}]`);
  const gap = options.gap ?? 4;
  if (!Number.isInteger(gap) || gap < 0)
    throw new InvalidArgumentError(`gap must be a non-negative integer, got ${gap}`);
  const labels = options.labels;
  if (labels && labels.length !== images.length)
    throw new InvalidArgumentError(`${labels.length} labels for ${images.length} images`);
  const scale = options.fontScale ?? 1;
  const pad = CAPTION_PADDING * scale;
  const band = labels ? measureText('X', scale).height + 2 * pad : 0;
  const rgb = images.map((im) => toRgb(toUint8Image(im)));
  const width = rgb.reduce((w, im) => w + im.width, 0) + gap * (images.length - 1);
  const height = band + Math.max(...rgb.map((im) => im.height));
  const out = createImage(width, height, 3);
  fillRect(out, 0, 0, width, height, options.background ?? [255, 255, 255]);
  let x = 0;
  rgb.forEach((im, i) => {
    for (let y = 0; y < im.height; y++)
      out.data.set(im.data.subarray(y * im.width * 3, (y + 1) * im.width * 3), ((y + band) * width + x) * 3);
    if (labels?.[i]) drawText(out, x + pad, pad, labels[i]!, scale, options.textColour ?? [0, 0, 0]);
    x += im.width + gap;
  });
  return out;
}
