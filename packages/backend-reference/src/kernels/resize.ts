/**
 * Resampling kernels: Resize (separable: one 1-D pass per resized axis, each output index reading
 * a fixed number of weighted input taps) and GridSample (N-D, per output point).
 * @module
 */
import { type Attributes, opGeometry, type Tensor } from '@ocular/core';
import { inferOutputs } from './infer.js';
import { allocF64, fromF64, product, roundHalfEven, toF64 } from './spatial-util.js';
import type { Kernel } from './types.js';

/** The taps of one resized axis: output `j` reads `idx[j*taps + t]` with weight `w[j*taps + t]`. */
interface AxisTaps {
  readonly taps: number;
  readonly idx: Int32Array;
  readonly w: Float64Array;
  /** 1 where the output index maps outside the roi (tf_crop_and_resize): it reads `extrapolation_value`. */
  readonly extrapolate: Uint8Array;
}

/** Cubic convolution weight at distance `x` (Keys, parameter `a`). */
function cubicWeight(x: number, a: number): number {
  const ax = Math.abs(x);
  if (ax <= 1) return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
  if (ax < 2) return ((a * ax - 5 * a) * ax + 8 * a) * ax - 4 * a;
  return 0;
}

/**
 * Source coordinate of output index `y` along one axis. `outWidth` is `scale * inWidth` as a real
 * number (ONNX uses it, not the rounded size, for align_corners and the half_pixel variants).
 */
function sourceCoordinate(
  mode: opGeometry.ResizePlan['coordinateMode'],
  y: number,
  scale: number,
  inWidth: number,
  outWidth: number,
  outSize: number,
  roi: readonly [number, number] | undefined,
): number {
  switch (mode) {
    case 'align_corners':
      return outWidth === 1 ? 0 : (y * (inWidth - 1)) / (outWidth - 1);
    case 'asymmetric':
      return y / scale;
    case 'tf_crop_and_resize': {
      const [r0, r1] = roi!;
      const x =
        outWidth === 1 ? ((r1 - r0) * (inWidth - 1)) / 2 : (y * (r1 - r0) * (inWidth - 1)) / (outWidth - 1);
      return x + r0 * (inWidth - 1);
    }
    case 'pytorch_half_pixel':
      return outWidth === 1 ? -0.5 : (y + 0.5) / scale - 0.5;
    case 'half_pixel':
      return (y + 0.5) / scale - 0.5;
    case 'half_pixel_symmetric': {
      const adjustment = outSize / outWidth;
      const offset = (inWidth / 2) * (1 - adjustment);
      return offset + (y + 0.5) / scale - 0.5;
    }
  }
}

/** Builds the taps of one axis following ONNX's reference resampler. */
function axisTaps(
  plan: opGeometry.ResizePlan,
  attrs: Attributes,
  axis: number,
  inWidth: number,
  outSize: number,
): AxisTaps {
  const scale = plan.scales[axis]!;
  const outWidth = scale * inWidth;
  const antialias = attrs.antialias === 1 && plan.mode !== 'nearest';
  const a = attrs.cubic_coeff_a as number;
  const filterScale = antialias ? Math.min(scale, 1) : 1;
  // Taps sit at offsets start..start+taps-1 from the base pixel; antialiasing widens the filter by 1/scale.
  const start =
    plan.mode === 'cubic'
      ? antialias
        ? Math.floor(-2 / filterScale) + 1
        : -1
      : plan.mode === 'linear' && antialias
        ? Math.floor(-1 / filterScale) + 1
        : 0;
  const taps = 2 - 2 * start;
  const idx = new Int32Array(outSize * taps);
  const w = new Float64Array(outSize * taps);
  const extrapolate = new Uint8Array(outSize);
  const roi = plan.roi ? ([plan.roi[axis]!, plan.roi[axis + plan.scales.length]!] as const) : undefined;
  const coeffs = new Float64Array(taps);
  for (let y = 0; y < outSize; y++) {
    const x = sourceCoordinate(plan.coordinateMode, y, scale, inWidth, outWidth, outSize, roi);
    if (plan.coordinateMode === 'tf_crop_and_resize' && (x < 0 || x > inWidth - 1)) extrapolate[y] = 1;
    // ONNX prefers the pixel left of x: an integral x is base + 1 with ratio 1.
    const base = Number.isInteger(x) ? x - 1 : Math.floor(x);
    const ratio = x - base;
    if (plan.mode === 'nearest') {
      let right: boolean;
      if (ratio === 1) right = true;
      else if (plan.nearestMode === 'round_prefer_floor') right = ratio > 0.5;
      else if (plan.nearestMode === 'round_prefer_ceil') right = ratio >= 0.5;
      else right = plan.nearestMode === 'ceil';
      coeffs[0] = right ? 0 : 1;
      coeffs[1] = right ? 1 : 0;
    } else if (plan.mode === 'linear') {
      if (antialias) {
        let sum = 0;
        for (let t = 0; t < taps; t++) {
          coeffs[t] = Math.min(1, Math.max(0, 1 - Math.abs((start + t - ratio) * filterScale)));
          sum += coeffs[t]!;
        }
        for (let t = 0; t < taps; t++) coeffs[t] = coeffs[t]! / sum;
      } else {
        coeffs[0] = 1 - ratio;
        coeffs[1] = ratio;
      }
    } else if (antialias) {
      let sum = 0;
      for (let t = 0; t < taps; t++) {
        coeffs[t] = cubicWeight(filterScale * (start + t - ratio), a);
        sum += coeffs[t]!;
      }
      for (let t = 0; t < taps; t++) coeffs[t] = coeffs[t]! / sum;
    } else {
      for (let t = 0; t < 4; t++) coeffs[t] = cubicWeight(start + t - ratio, a);
    }
    if (attrs.exclude_outside === 1) {
      let sum = 0;
      for (let t = 0; t < taps; t++) {
        const i = base + start + t;
        if (i < 0 || i >= inWidth) coeffs[t] = 0;
        sum += coeffs[t]!;
      }
      if (sum !== 0) for (let t = 0; t < taps; t++) coeffs[t] = coeffs[t]! / sum;
    }
    for (let t = 0; t < taps; t++) {
      // Edge padding: taps past the border read the border pixel.
      idx[y * taps + t] = Math.min(inWidth - 1, Math.max(0, base + start + t));
      w[y * taps + t] = coeffs[t]!;
    }
  }
  return { taps, idx, w, extrapolate };
}

/** Resamples `data` (shape `dims`) along `axis` to `outSize` entries. */
function resampleAxis(
  data: Float64Array,
  dims: readonly number[],
  axis: number,
  outSize: number,
  tp: AxisTaps,
  fill: number,
): Float64Array {
  const outer = product(dims, 0, axis);
  const inner = product(dims, axis + 1);
  const inWidth = dims[axis]!;
  const out = allocF64(outer * outSize * inner, 'Resize output');
  const { taps, idx, w, extrapolate } = tp;
  for (let o = 0; o < outer; o++) {
    const src = o * inWidth * inner;
    for (let y = 0; y < outSize; y++) {
      const dst = (o * outSize + y) * inner;
      if (extrapolate[y]) {
        out.fill(fill, dst, dst + inner);
        continue;
      }
      for (let t = 0; t < taps; t++) {
        const wt = w[y * taps + t]!;
        if (wt === 0) continue;
        const s = src + idx[y * taps + t]! * inner;
        for (let q = 0; q < inner; q++) out[dst + q] += wt * data[s + q]!;
      }
    }
  }
  return out;
}

const resize: Kernel = (inputs, attrs, ctx) => {
  const [x, roi, scales, sizes] = inputs as [
    Tensor,
    Tensor | undefined,
    Tensor | undefined,
    Tensor | undefined,
  ];
  const [info] = inferOutputs(inputs, attrs, ctx);
  const plan = opGeometry.resolveResize(x.dims, attrs, roi, scales, sizes);
  const outDims = info!.dims;
  let dims = [...x.dims];
  let data = toF64(x);
  const r = dims.length;
  for (const axis of plan.axes) {
    const scale = plan.scales[axis]!;
    const trivialRoi = !plan.roi || (plan.roi[axis] === 0 && plan.roi[axis + r] === 1);
    // An axis resized by exactly 1 to the same size is the identity in every mode.
    if (Math.abs(scale - 1) <= 1e-9 && outDims[axis] === dims[axis] && trivialRoi) continue;
    const tp = axisTaps(plan, attrs, axis, dims[axis]!, outDims[axis]!);
    data = resampleAxis(data, dims, axis, outDims[axis]!, tp, attrs.extrapolation_value as number);
    dims[axis] = outDims[axis]!;
  }
  dims = outDims;
  return [fromF64(info!.dtype, data === x.data ? data.slice() : data, dims)];
};

// ---- GridSample ---------------------------------------------------------------------------------

/** Reflects `x` into `[lo, hi]` by repeated mirroring at the borders (ONNX / PyTorch rule). */
function reflect(x: number, lo: number, hi: number): number {
  const range = hi - lo;
  if (x < lo) {
    const dx = lo - x;
    const n = Math.trunc(dx / range);
    const r = dx - n * range;
    return n % 2 === 0 ? lo + r : hi - r;
  }
  if (x > hi) {
    const dx = x - hi;
    const n = Math.trunc(dx / range);
    const r = dx - n * range;
    return n % 2 === 0 ? hi - r : lo + r;
  }
  return x;
}

const gridSample: Kernel = (inputs, attrs, ctx) => {
  const [xT, gridT] = inputs as [Tensor, Tensor];
  const [info] = inferOutputs(inputs, attrs, ctx);
  const mode =
    attrs.mode === 'bilinear' ? 'linear' : attrs.mode === 'bicubic' ? 'cubic' : (attrs.mode as string);
  const padding = attrs.padding_mode as string;
  const alignCorners = attrs.align_corners === 1;
  const inSpatial = xT.dims.slice(2);
  const n = inSpatial.length;
  const [batches, channels] = [xT.dims[0]!, xT.dims[1]!];
  const outSpatial = info!.dims.slice(2);
  const p = product(outSpatial);
  const inSize = product(inSpatial);
  const x = toF64(xT);
  const grid = toF64(gridT);
  // Grid math happens in the grid's precision (float32 for float32/float16 grids), so ties in
  // nearest rounding fall where onnxruntime and the ONNX reference put them.
  const f = gridT.dtype === 'float64' ? (v: number) => v : Math.fround;
  const out = allocF64(batches * channels * p, 'GridSample output');
  const inStride = new Array<number>(n).fill(1);
  for (let d = n - 2; d >= 0; d--) inStride[d] = inStride[d + 1]! * inSpatial[d + 1]!;
  const taps = mode === 'cubic' ? 4 : mode === 'linear' ? 2 : 1;
  const combos = taps ** n;
  const offs = new Int32Array(p * combos);
  const wts = new Float64Array(p * combos);
  const tapIdx = new Array<Int32Array>(n);
  const tapW = new Array<Float64Array>(n);
  for (let d = 0; d < n; d++) {
    tapIdx[d] = new Int32Array(taps);
    tapW[d] = new Float64Array(taps);
  }
  // Reads coordinate i of dim d under the padding mode; -1 = outside (zeros).
  const fetch = (i: number, d: number): number => {
    const size = inSpatial[d]!;
    if (padding === 'zeros') return i >= 0 && i < size ? i : -1;
    if (padding === 'border') return Math.min(size - 1, Math.max(0, i));
    const lo = alignCorners ? 0 : -0.5;
    const hi = alignCorners ? size - 1 : size - 0.5;
    return Math.min(size - 1, Math.max(0, Math.trunc(reflect(i, lo, hi))));
  };
  for (let b = 0; b < batches; b++) {
    for (let q = 0; q < p; q++) {
      for (let d = 0; d < n; d++) {
        // The grid's last axis lists coordinates innermost dim first (x, y, z).
        const g = grid[(b * p + q) * n + (n - 1 - d)]!;
        const size = inSpatial[d]!;
        let v = alignCorners ? f(f(f(g + 1) / 2) * (size - 1)) : f(f(f(f(g + 1) * size) - 1) / 2);
        if (mode === 'nearest') v = roundHalfEven(v);
        const lo = alignCorners ? 0 : -0.5;
        const hi = alignCorners ? size - 1 : size - 0.5;
        // ONNX's reference moves an out-of-range sample position into range before choosing taps,
        // in every mode; onnxruntime and PyTorch do that for linear and nearest but, for cubic,
        // only clamp or reflect each tap. Ocular follows ONNX.
        if (v < lo || v > hi) {
          if (padding === 'border') v = Math.min(size - 1, Math.max(0, v));
          else if (padding === 'reflection') v = reflect(v, lo, hi);
        }
        const iw = tapIdx[d]!;
        const ww = tapW[d]!;
        if (mode === 'nearest') {
          iw[0] = fetch(Math.trunc(v), d);
          ww[0] = 1;
        } else {
          const i0 = Math.floor(v);
          const t = v - i0;
          if (mode === 'linear') {
            iw[0] = fetch(i0, d);
            iw[1] = fetch(i0 + 1, d);
            ww[0] = 1 - t;
            ww[1] = t;
          } else {
            for (let k = 0; k < 4; k++) {
              iw[k] = fetch(i0 - 1 + k, d);
              ww[k] = cubicWeight(k - 1 - t, -0.75);
            }
          }
        }
      }
      for (let c = 0; c < combos; c++) {
        let off = 0;
        let wt = 1;
        let rest = c;
        for (let d = n - 1; d >= 0; d--) {
          const k = rest % taps;
          rest = (rest - k) / taps;
          const i = tapIdx[d]![k]!;
          if (i < 0) {
            wt = 0;
            break;
          }
          off += i * inStride[d]!;
          wt *= tapW[d]![k]!;
        }
        offs[q * combos + c] = off;
        wts[q * combos + c] = wt;
      }
    }
    for (let ch = 0; ch < channels; ch++) {
      const src = (b * channels + ch) * inSize;
      const dst = (b * channels + ch) * p;
      for (let q = 0; q < p; q++) {
        let s = 0;
        for (let c = 0; c < combos; c++) {
          const wt = wts[q * combos + c]!;
          if (wt !== 0) s += wt * x[src + offs[q * combos + c]!]!;
        }
        out[dst + q] = s;
      }
    }
  }
  return [fromF64(info!.dtype, out, info!.dims)];
};

/** Resampling kernels by op type. */
export const RESIZE_KERNELS: Record<string, Kernel> = {
  Resize: resize,
  GridSample: gridSample,
};
