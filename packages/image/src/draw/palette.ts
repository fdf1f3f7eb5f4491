/**
 * Colour palettes for classes: the Pascal VOC palette and a generic one for any number of classes.
 * Palettes are flat `Uint8Array`s of RGB triples (class `k` at `3k`).
 * @module
 */
import { InvalidArgumentError } from '@ocular/core';

/**
 * The classic Pascal VOC colour map (as in the VOC devkit's `labelcolormap`): the bits of the
 * class id are spread over the high bits of R, G and B. Class 0 (background) is black, class 1
 * (aeroplane) `[128, 0, 0]`, class 15 (person) `[192, 128, 128]`.
 * @param n number of classes (default 256, at most 256)
 */
export function vocPalette(n = 256): Uint8Array {
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new InvalidArgumentError(`vocPalette size must be 1–256, got ${n}`);
  const out = new Uint8Array(n * 3);
  for (let k = 0; k < n; k++) {
    let id = k;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let j = 7; j >= 0; j--) {
      r |= (id & 1) << j;
      g |= ((id >> 1) & 1) << j;
      b |= ((id >> 2) & 1) << j;
      id >>= 3;
    }
    out[3 * k] = r;
    out[3 * k + 1] = g;
    out[3 * k + 2] = b;
  }
  return out;
}

/**
 * `n` well-separated, saturated colours for class ids 0…n−1: hues step by the golden angle so
 * neighbouring ids differ strongly, with saturation and value alternating in three levels.
 */
export function makePalette(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`makePalette size must be a positive integer, got ${n}`);
  const out = new Uint8Array(n * 3);
  for (let k = 0; k < n; k++) {
    const h = (k * 137.50776405) % 360;
    const s = [0.85, 0.65, 1][k % 3]!;
    const v = [0.95, 0.8, 0.65][Math.floor(k / 3) % 3]!;
    const rgb = hsvToRgb(h, s, v);
    out.set(rgb, 3 * k);
  }
  return out;
}

/** HSV (h in degrees, s and v in 0–1) to 8-bit RGB. */
function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const c = v * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = v - c;
  const [r, g, b] =
    h < 60
      ? [c, x, 0]
      : h < 120
        ? [x, c, 0]
        : h < 180
          ? [0, c, x]
          : h < 240
            ? [0, x, c]
            : h < 300
              ? [x, 0, c]
              : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

/** RGB triple of class `k` in a flat palette (wrapping around when the palette is shorter). */
export function paletteColour(palette: Uint8Array, k: number): [number, number, number] {
  const n = palette.length / 3;
  const i = ((k % n) + n) % n;
  return [palette[3 * i]!, palette[3 * i + 1]!, palette[3 * i + 2]!];
}
