/**
 * `resize`: separable resampling of interleaved images of any channel count, uint8 or float32,
 * matching PyTorch's `F.interpolate(..., align_corners=False)`.
 * @module
 */
import { InvalidArgumentError, type PixelImage } from '@ocular/core';
import { assertPixelImage, isFloatImage, toByte } from '../pixel.js';
import { type AxisTable, axisTable, nearestIndices, type ResizeMethod } from './weights.js';

/** Options of {@link resize}. */
export interface ResizeOptions {
  /** Output width in pixels. */
  readonly width: number;
  /** Output height in pixels. */
  readonly height: number;
  /** Resampling method (PyTorch's mode names). Default `bilinear`. */
  readonly method?: ResizeMethod;
  /**
   * Antialiased bilinear/bicubic as PyTorch's `antialias=True` (the kernel widens when
   * downscaling). Ignored by the nearest modes and `area`. Default false.
   */
  readonly antialias?: boolean;
}

const METHODS: readonly ResizeMethod[] = ['nearest', 'nearest-exact', 'bilinear', 'bicubic', 'area'];

/** Checks an output size. */
export function assertSize(width: number, height: number, what = 'output size'): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
    throw new InvalidArgumentError(`${what} must be positive integers, got ${width}x${height}`, {
      width,
      height,
    });
}

function resizeNearest(img: PixelImage, width: number, height: number, exact: boolean): PixelImage {
  const C = img.channels;
  const xs = nearestIndices(img.width, width, exact);
  const ys = nearestIndices(img.height, height, exact);
  const src = img.data;
  const out = new (src.constructor as new (n: number) => typeof src)(width * height * C);
  for (let y = 0, o = 0; y < height; y++) {
    const row = ys[y]! * img.width;
    for (let x = 0; x < width; x++) {
      const s = (row + xs[x]!) * C;
      for (let c = 0; c < C; c++) out[o++] = src[s + c]!;
    }
  }
  return { width, height, channels: img.channels, data: out };
}

/** Horizontal pass: every row of `src` (width `inW`) resampled to `outW` columns. */
function horizontalPass(
  src: ArrayLike<number>,
  inW: number,
  rows: number,
  C: number,
  t: AxisTable,
  outW: number,
  dst: Float32Array | Float64Array,
): void {
  if (C === 3) {
    horizontalPass3(src, inW, rows, t, outW, dst);
    return;
  }
  const { taps, index, weight } = t;
  const acc = new Float64Array(C);
  for (let y = 0; y < rows; y++) {
    const rowIn = y * inW;
    let o = y * outW * C;
    for (let x = 0; x < outW; x++) {
      acc.fill(0);
      const base = x * taps;
      for (let k = 0; k < taps; k++) {
        const w = weight[base + k]!;
        if (w === 0) continue;
        const s = (rowIn + index[base + k]!) * C;
        for (let c = 0; c < C; c++) acc[c]! += src[s + c]! * w;
      }
      for (let c = 0; c < C; c++) dst[o++] = acc[c]!;
    }
  }
}

/** {@link horizontalPass} for RGB, the common case, with the channel loop unrolled. */
function horizontalPass3(
  src: ArrayLike<number>,
  inW: number,
  rows: number,
  t: AxisTable,
  outW: number,
  dst: Float32Array | Float64Array,
): void {
  const { taps, index, weight } = t;
  for (let y = 0; y < rows; y++) {
    const rowIn = y * inW;
    let o = y * outW * 3;
    for (let x = 0; x < outW; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      const base = x * taps;
      for (let k = 0; k < taps; k++) {
        const w = weight[base + k]!;
        const s = (rowIn + index[base + k]!) * 3;
        r += src[s]! * w;
        g += src[s + 1]! * w;
        b += src[s + 2]! * w;
      }
      dst[o++] = r;
      dst[o++] = g;
      dst[o++] = b;
    }
  }
}

/** Vertical pass: whole rows of length `rowLen` combined with the row weights. */
function verticalPass(
  src: Float32Array | Float64Array,
  rowLen: number,
  t: AxisTable,
  outH: number,
  store: (row: Float64Array, offset: number) => void,
): void {
  const { taps, index, weight } = t;
  const acc = new Float64Array(rowLen);
  for (let y = 0; y < outH; y++) {
    acc.fill(0);
    const base = y * taps;
    for (let k = 0; k < taps; k++) {
      const w = weight[base + k]!;
      if (w === 0) continue;
      const s = index[base + k]! * rowLen;
      for (let i = 0; i < rowLen; i++) acc[i]! += src[s + i]! * w;
    }
    store(acc, y * rowLen);
  }
}

/**
 * Resizes `img` to `width × height`, centre-aligned exactly like PyTorch's
 * `F.interpolate(x, size=(height, width), mode=method, align_corners=False, antialias=...)`:
 * `bicubic` uses a = −0.75 with border repetition, `bilinear` clamps negative source coordinates
 * to 0, `area` is adaptive average pooling, `nearest` is PyTorch's (legacy, floor(i·in/out))
 * and `nearest-exact` samples pixel centres. Any channel count; uint8 results are rounded half up
 * and clamped to 0–255 (computed in float64 and rounded once), float32 results are not clamped
 * (bicubic may overshoot, as in PyTorch). Returns a new image; the input is untouched.
 */
export function resize(img: PixelImage, options: ResizeOptions): PixelImage {
  assertPixelImage(img);
  const { width, height } = options;
  assertSize(width, height);
  const method = options.method ?? 'bilinear';
  if (!METHODS.includes(method))
    throw new InvalidArgumentError(`unknown resize method '${method}'; use ${METHODS.join(', ')}`);
  if (method === 'nearest' || method === 'nearest-exact')
    return resizeNearest(img, width, height, method === 'nearest-exact');
  const antialias = options.antialias ?? false;
  const C = img.channels;
  const float = isFloatImage(img);
  const tx = axisTable(method, img.width, width, antialias);
  const ty = axisTable(method, img.height, height, antialias);
  // float64 intermediates for uint8 so the final rounding sees the exact value; float32 for float
  // images, as PyTorch computes them.
  const mid = float ? new Float32Array(width * img.height * C) : new Float64Array(width * img.height * C);
  horizontalPass(img.data, img.width, img.height, C, tx, width, mid);
  const rowLen = width * C;
  const n = rowLen * height;
  if (float) {
    const out = new Float32Array(n);
    verticalPass(mid, rowLen, ty, height, (row, off) => out.set(row, off));
    return { width, height, channels: img.channels, data: out };
  }
  const out = new Uint8Array(n);
  verticalPass(mid, rowLen, ty, height, (row, off) => {
    for (let i = 0; i < rowLen; i++) out[off + i] = toByte(row[i]!);
  });
  return { width, height, channels: img.channels, data: out };
}
