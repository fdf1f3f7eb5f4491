/**
 * Blending masks and segmentations over an image with palette colours.
 * @module
 */
import { InvalidArgumentError, type PixelImage, type Segmentation } from '@ocular/core';
import { assertPixelImage, colourFor } from '../pixel.js';
import { nearestIndices } from '../resize/weights.js';
import { blendIndexed } from './canvas.js';
import { paletteColour, vocPalette } from './palette.js';

/** Options of {@link overlayMask}. */
export interface OverlayMaskOptions {
  /** RGB 0–255. Default red `[255, 0, 0]`. */
  readonly colour?: readonly [number, number, number];
  /** Weight of the colour: `out = (1 − alpha)·pixel + alpha·colour`. Default 0.5. */
  readonly alpha?: number;
}

/** Options of {@link overlaySegmentation}. */
export interface OverlaySegmentationOptions {
  /** Weight of the class colour. Default 0.5. */
  readonly alpha?: number;
  /** Class colours (flat RGB, wrapping). Default {@link vocPalette}. */
  readonly palette?: Uint8Array;
  /** Paint class 0 too (usually background). Default false. */
  readonly includeBackground?: boolean;
}

function checkAlpha(alpha: number): number {
  if (!(alpha >= 0 && alpha <= 1)) throw new InvalidArgumentError(`alpha must be in 0–1, got ${alpha}`);
  return alpha;
}

function copy(img: PixelImage): PixelImage {
  return { width: img.width, height: img.height, channels: img.channels, data: img.data.slice() };
}

/**
 * Per-pixel values of a `mw × mh` map resampled (nearest, pixel centres) to `w × h`; the map
 * itself when the sizes agree.
 */
function fitMap<T extends ArrayLike<number>>(
  map: T,
  mw: number,
  mh: number,
  w: number,
  h: number,
): ArrayLike<number> {
  if (mw === w && mh === h) return map;
  const xs = nearestIndices(mw, w, true);
  const ys = nearestIndices(mh, h, true);
  const out = new Uint16Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = map[ys[y]! * mw + xs[x]!]!;
  return out;
}

/**
 * Blends `colour` over the pixels where `mask` (one byte per pixel, row-major, `width × height`
 * of `img`) is non-zero, on a copy of `img`: `out = (1 − alpha)·pixel + alpha·colour`, uint8
 * rounded half up.
 */
export function overlayMask(img: PixelImage, mask: Uint8Array, options: OverlayMaskOptions = {}): PixelImage {
  assertPixelImage(img);
  if (mask.length !== img.width * img.height)
    throw new InvalidArgumentError(`mask has ${mask.length} entries for a ${img.width}x${img.height} image`);
  const alpha = checkAlpha(options.alpha ?? 0.5);
  const colour = colourFor(img, options.colour ?? [255, 0, 0]);
  const C = img.channels;
  const colours = new Float64Array(256 * C);
  const enabled = new Uint8Array(256).fill(1);
  enabled[0] = 0;
  for (let v = 1; v < 256; v++) colours.set(colour, v * C);
  const out = copy(img);
  blendIndexed(out, mask, alpha, colours, enabled);
  return out;
}

/**
 * Blends each class's palette colour over its pixels, on a copy of `img`. A segmentation of
 * another size than the image is resampled to it (nearest, pixel centres).
 */
export function overlaySegmentation(
  img: PixelImage,
  segmentation: Pick<Segmentation, 'width' | 'height' | 'classMap'>,
  options: OverlaySegmentationOptions = {},
): PixelImage {
  assertPixelImage(img);
  const { width, height, classMap } = segmentation;
  if (classMap.length !== width * height)
    throw new InvalidArgumentError(`classMap has ${classMap.length} entries for ${width}x${height}`);
  const alpha = checkAlpha(options.alpha ?? 0.5);
  const palette = options.palette ?? vocPalette();
  let maxId = 0;
  for (let i = 0; i < classMap.length; i++) if (classMap[i]! > maxId) maxId = classMap[i]!;
  const C = img.channels;
  const colours = new Float64Array((maxId + 1) * C);
  const enabled = new Uint8Array(maxId + 1).fill(1);
  if (!options.includeBackground) enabled[0] = 0;
  for (let k = 0; k <= maxId; k++) colours.set(colourFor(img, paletteColour(palette, k)), k * C);
  const out = copy(img);
  blendIndexed(out, fitMap(classMap, width, height, img.width, img.height), alpha, colours, enabled);
  return out;
}
