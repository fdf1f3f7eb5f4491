/**
 * In-place raster primitives on a {@link PixelImage} the caller owns (the public drawing
 * functions copy their input first): filled and outlined rectangles, alpha blending and text.
 * Colours are already converted to the image's channel count and kind (see `colourFor`).
 * @module
 */
import type { PixelImage } from '@ocular/core';
import { isFloatImage } from '../pixel.js';
import { FIRST_CHAR, FONT_5X7, GLYPH_HEIGHT, GLYPH_WIDTH } from './font5x7.js';

/** Advance per character and line height at scale 1 (one pixel of spacing each). */
export const CELL_WIDTH = GLYPH_WIDTH + 1;
/** Line height at scale 1. */
export const CELL_HEIGHT = GLYPH_HEIGHT + 1;

/** Pixel size of `text` drawn at integer `scale` (no trailing spacing column). */
export function measureText(text: string, scale: number): { width: number; height: number } {
  return { width: Math.max(0, text.length * CELL_WIDTH - 1) * scale, height: GLYPH_HEIGHT * scale };
}

/** Fills the rectangle `[x1, x2) × [y1, y2)` (clipped) with `colour`. */
export function fillRect(
  img: PixelImage,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  colour: readonly number[],
): void {
  const C = img.channels;
  const xa = Math.max(0, Math.floor(x1));
  const ya = Math.max(0, Math.floor(y1));
  const xb = Math.min(img.width, Math.floor(x2));
  const yb = Math.min(img.height, Math.floor(y2));
  const d = img.data;
  for (let y = ya; y < yb; y++)
    for (let o = (y * img.width + xa) * C, end = (y * img.width + xb) * C; o < end; o += C)
      for (let c = 0; c < C; c++) d[o + c] = colour[c]!;
}

/**
 * Outlines the box `[x1, x2) × [y1, y2)` with lines `thickness` pixels wide, drawn inside the
 * box's edges (the outermost pixels are columns ⌊x1⌋ and ⌈x2⌉ − 1).
 */
export function strokeRect(
  img: PixelImage,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  thickness: number,
  colour: readonly number[],
): void {
  const xa = Math.floor(x1);
  const ya = Math.floor(y1);
  const xb = Math.ceil(x2);
  const yb = Math.ceil(y2);
  const t = Math.max(1, Math.min(thickness, Math.ceil((xb - xa) / 2), Math.ceil((yb - ya) / 2)));
  fillRect(img, xa, ya, xb, ya + t, colour);
  fillRect(img, xa, yb - t, xb, yb, colour);
  fillRect(img, xa, ya + t, xa + t, yb - t, colour);
  fillRect(img, xb - t, ya + t, xb, yb - t, colour);
}

/** Draws `text` with its top-left corner at (x, y), each font pixel a `scale × scale` square; clipped. */
export function drawText(
  img: PixelImage,
  x: number,
  y: number,
  text: string,
  scale: number,
  colour: readonly number[],
): void {
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i) - FIRST_CHAR;
    if (code < 0 || code * GLYPH_WIDTH >= FONT_5X7.length) code = '?'.charCodeAt(0) - FIRST_CHAR;
    const gx = x + i * CELL_WIDTH * scale;
    for (let col = 0; col < GLYPH_WIDTH; col++) {
      const bits = FONT_5X7[code * GLYPH_WIDTH + col]!;
      if (bits === 0) continue;
      for (let row = 0; row < GLYPH_HEIGHT; row++)
        if (bits & (1 << row))
          fillRect(
            img,
            gx + col * scale,
            y + row * scale,
            gx + (col + 1) * scale,
            y + (row + 1) * scale,
            colour,
          );
    }
  }
}

/**
 * Blends a colour over every pixel whose entry in `index` (one per pixel) is enabled:
 * `out = (1 − alpha)·in + alpha·colour` (uint8 rounded half up). `colours` holds `C` values per
 * index value, `enabled[v]` is 1 for the values to paint; both are tables built once per call.
 */
export function blendIndexed(
  img: PixelImage,
  index: ArrayLike<number>,
  alpha: number,
  colours: Float64Array,
  enabled: Uint8Array,
): void {
  const C = img.channels;
  const d = img.data;
  const float = isFloatImage(img);
  const n = img.width * img.height;
  const keep = 1 - alpha;
  for (let p = 0; p < n; p++) {
    const v = index[p]!;
    if (v >= enabled.length || enabled[v] === 0) continue;
    const o = p * C;
    const k = v * C;
    for (let c = 0; c < C; c++) {
      const b = keep * d[o + c]! + alpha * colours[k + c]!;
      d[o + c] = float ? b : Math.floor(b + 0.5);
    }
  }
}
