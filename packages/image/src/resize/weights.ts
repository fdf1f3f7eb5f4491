/**
 * Per-axis resampling tables, computed once per call: for every output index a fixed number of
 * taps (source indices, already clamped to the image) and their weights. The formulas follow
 * PyTorch's `F.interpolate` with `align_corners=False` (centre-aligned: the centre of output
 * pixel `i` sits at source coordinate `(i + 0.5)·in/out − 0.5`).
 * @module
 */

/** Resampling methods, named as in PyTorch's `F.interpolate(mode=...)`. */
export type ResizeMethod = 'nearest' | 'nearest-exact' | 'bilinear' | 'bicubic' | 'area';

/** The taps of one axis: output index `i` reads `index[i·taps + k]` with `weight[i·taps + k]`. */
export interface AxisTable {
  readonly taps: number;
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

const f32 = Math.fround;

/** PyTorch's `nearest` (floor(i·scale) in float32) and `nearest-exact` (floor((i + 0.5)·scale)). */
export function nearestIndices(inSize: number, outSize: number, exact: boolean): Int32Array {
  const idx = new Int32Array(outSize);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    let s: number;
    if (exact) s = Math.floor(f32((i + 0.5) * scale));
    // PyTorch takes these shortcuts for `nearest`; floating point would agree anyway except where
    // float32 rounding of `i·scale` lands just below an integer.
    else if (outSize === inSize) s = i;
    else if (outSize === 2 * inSize) s = i >> 1;
    else s = Math.floor(f32(i * scale));
    idx[i] = Math.min(s, inSize - 1);
  }
  return idx;
}

function table(outSize: number, taps: number): { index: Int32Array; weight: Float64Array } {
  return { index: new Int32Array(outSize * taps), weight: new Float64Array(outSize * taps) };
}

/** Two-tap linear interpolation; the source coordinate is clamped at 0 as PyTorch does. */
function linearTable(inSize: number, outSize: number): AxisTable {
  const { index, weight } = table(outSize, 2);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    let i0 = i;
    let l1 = 0;
    if (inSize !== outSize) {
      const src = Math.max(scale * (i + 0.5) - 0.5, 0);
      i0 = Math.floor(src);
      l1 = src - i0;
    }
    index[2 * i] = i0;
    index[2 * i + 1] = i0 < inSize - 1 ? i0 + 1 : i0;
    weight[2 * i] = 1 - l1;
    weight[2 * i + 1] = l1;
  }
  return { taps: 2, index, weight };
}

/** Keys' cubic convolution kernel with parameter `a` (PyTorch: −0.75 plain, −0.5 antialiased). */
export function cubicKernel(x: number, a: number): number {
  const t = Math.abs(x);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0;
}

/** Four-tap cubic convolution (a = −0.75); out-of-range taps repeat the border pixel. */
function cubicTable(inSize: number, outSize: number): AxisTable {
  const { index, weight } = table(outSize, 4);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const src = scale * (i + 0.5) - 0.5; // not clamped for cubic
    const i0 = Math.floor(src);
    const t = src - i0;
    for (let k = 0; k < 4; k++) {
      index[4 * i + k] = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1);
      weight[4 * i + k] = cubicKernel(t + 1 - k, -0.75);
    }
  }
  return { taps: 4, index, weight };
}

/** Adaptive average pooling (PyTorch `area`): cell `i` averages `[⌊i·in/out⌋, ⌈(i+1)·in/out⌉)`. */
function areaTable(inSize: number, outSize: number): AxisTable {
  const starts = new Int32Array(outSize);
  const ends = new Int32Array(outSize);
  let taps = 1;
  for (let i = 0; i < outSize; i++) {
    starts[i] = Math.floor((i * inSize) / outSize);
    ends[i] = Math.ceil(((i + 1) * inSize) / outSize);
    taps = Math.max(taps, ends[i]! - starts[i]!);
  }
  const { index, weight } = table(outSize, taps);
  for (let i = 0; i < outSize; i++) {
    const n = ends[i]! - starts[i]!;
    for (let k = 0; k < taps; k++) {
      index[i * taps + k] = k < n ? starts[i]! + k : starts[i]!;
      weight[i * taps + k] = k < n ? 1 / n : 0;
    }
  }
  return { taps, index, weight };
}

/**
 * Antialiased filter weights as PyTorch's `antialias=True` (after Pillow): the kernel is
 * stretched by the downscale factor so every source pixel contributes, and each output's weights
 * are normalised over the taps inside the image (no border repetition).
 */
function antialiasTable(inSize: number, outSize: number, cubic: boolean): AxisTable {
  const scale = inSize / outSize;
  const interp = cubic ? 4 : 2;
  const support = scale >= 1 ? interp * 0.5 * scale : interp * 0.5;
  const invscale = scale >= 1 ? 1 / scale : 1;
  const filter = cubic ? (x: number) => cubicKernel(x, -0.5) : (x: number) => Math.max(0, 1 - Math.abs(x));
  const taps = Math.ceil(support) * 2 + 1;
  const { index, weight } = table(outSize, taps);
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xsize = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      const w = filter((j + xmin - center + 0.5) * invscale);
      weight[i * taps + j] = w;
      total += w;
    }
    for (let j = 0; j < taps; j++) {
      index[i * taps + j] = j < xsize ? xmin + j : xmin;
      if (j >= xsize) weight[i * taps + j] = 0;
      else if (total !== 0) weight[i * taps + j]! /= total;
    }
  }
  return { taps, index, weight };
}

/** The table of one axis for a filtering method (everything but the nearest modes). */
export function axisTable(
  method: 'bilinear' | 'bicubic' | 'area',
  inSize: number,
  outSize: number,
  antialias: boolean,
): AxisTable {
  if (method === 'area') return areaTable(inSize, outSize);
  if (antialias) return antialiasTable(inSize, outSize, method === 'bicubic');
  return method === 'bicubic' ? cubicTable(inSize, outSize) : linearTable(inSize, outSize);
}
