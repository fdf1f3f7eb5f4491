/**
 * Pooling kernels: AveragePool, MaxPool (with Indices), LpPool and the global pools. Windows are
 * resolved once per node into flat input offsets shared by every (batch, channel) plane.
 * @module
 */
import { type Attributes, opGeometry, Tensor } from '@ocular/core';
import { allocF64, fromF64, inferDims, product, toF64 } from './spatial-util.js';
import type { Kernel } from './types.js';

/** Every window of a pool as flat offsets into one input plane. */
interface PoolWindows {
  /** `offsets[p*maxTaps + t]` for `t < count[p]`: row-major offsets of the valid taps of window `p`. */
  readonly offsets: Int32Array;
  /** Column-major offsets of the same taps (MaxPool's storage_order = 1). */
  readonly colMajor?: Int32Array;
  readonly count: Int32Array;
  /** Taps inside the input or the declared padding (AveragePool's count_include_pad divisor). */
  readonly padCount: Int32Array;
  readonly maxTaps: number;
}

/** Resolves the windows of a pool over `inSpatial` producing `outSpatial`. */
function poolWindows(
  inSpatial: readonly number[],
  outSpatial: readonly number[],
  win: opGeometry.ResolvedWindow,
  withColMajor: boolean,
): PoolWindows {
  const n = inSpatial.length;
  // Per dim and output index: the valid input coordinates, and how many taps fall inside input + padding.
  const valid: number[][][] = [];
  const padded: number[][] = [];
  for (let d = 0; d < n; d++) {
    const vd: number[][] = [];
    const pd: number[] = [];
    for (let o = 0; o < outSpatial[d]!; o++) {
      const start = o * win.strides[d]! - win.padBegin[d]!;
      const list: number[] = [];
      let inPad = 0;
      for (let k = 0; k < win.kernel[d]!; k++) {
        const i = start + k * win.dilations[d]!;
        if (i < inSpatial[d]! + win.padEnd[d]!) inPad++;
        if (i >= 0 && i < inSpatial[d]!) list.push(i);
      }
      vd.push(list);
      pd.push(inPad);
    }
    valid.push(vd);
    padded.push(pd);
  }
  const rowStride = new Array<number>(n).fill(1);
  const colStride = new Array<number>(n).fill(1);
  for (let d = n - 2; d >= 0; d--) rowStride[d] = rowStride[d + 1]! * inSpatial[d + 1]!;
  for (let d = 1; d < n; d++) colStride[d] = colStride[d - 1]! * inSpatial[d - 1]!;
  const maxTaps = product(win.kernel);
  const p = product(outSpatial);
  const offsets = new Int32Array(p * maxTaps);
  const colMajor = withColMajor ? new Int32Array(p * maxTaps) : undefined;
  const count = new Int32Array(p);
  const padCount = new Int32Array(p);
  const oIdx = new Array<number>(n).fill(0);
  for (let q = 0; q < p; q++) {
    const lists = oIdx.map((o, d) => valid[d]![o]!);
    let pc = 1;
    for (let d = 0; d < n; d++) pc *= padded[d]![oIdx[d]!]!;
    padCount[q] = pc;
    // Cartesian product of the per-dim valid coordinates, in row-major order.
    let total = 1;
    for (const l of lists) total *= l.length;
    count[q] = total;
    const t = new Array<number>(n).fill(0);
    for (let j = 0; j < total; j++) {
      let row = 0;
      let col = 0;
      for (let d = 0; d < n; d++) {
        const i = lists[d]![t[d]!]!;
        row += i * rowStride[d]!;
        col += i * colStride[d]!;
      }
      offsets[q * maxTaps + j] = row;
      if (colMajor) colMajor[q * maxTaps + j] = col;
      for (let d = n - 1; d >= 0; d--) {
        if (++t[d]! < lists[d]!.length) break;
        t[d] = 0;
      }
    }
    for (let d = n - 1; d >= 0; d--) {
      if (++oIdx[d]! < outSpatial[d]!) break;
      oIdx[d] = 0;
    }
  }
  return { offsets, colMajor, count, padCount, maxTaps };
}

/** Resolved geometry of a windowed pool node. */
function windowed(x: Tensor, attrs: Attributes, outDims: readonly number[], withColMajor = false) {
  const inSpatial = x.dims.slice(2);
  const kernel = attrs.kernel_shape as number[];
  const win = opGeometry.resolveWindow(attrs, inSpatial, kernel, { ceilMode: attrs.ceil_mode === 1 });
  const outSpatial = outDims.slice(2);
  return {
    planes: x.dims[0]! * x.dims[1]!,
    inSize: product(inSpatial),
    p: product(outSpatial),
    w: poolWindows(inSpatial, outSpatial, win, withColMajor),
  };
}

const averagePool: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const [info] = inferDims(inputs, attrs, ctx);
  const { planes, inSize, p, w } = windowed(x, attrs, info!.dims);
  const includePad = attrs.count_include_pad === 1;
  const data = toF64(x);
  const out = allocF64(planes * p, 'AveragePool output');
  for (let pl = 0; pl < planes; pl++) {
    const src = pl * inSize;
    for (let q = 0; q < p; q++) {
      const base = q * w.maxTaps;
      const cnt = w.count[q]!;
      let s = 0;
      for (let t = 0; t < cnt; t++) s += data[src + w.offsets[base + t]!]!;
      const div = includePad ? w.padCount[q]! : cnt;
      out[pl * p + q] = div > 0 ? s / div : Number.NaN;
    }
  }
  return [fromF64(info!.dtype, out, info!.dims)];
};

const maxPool: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const infos = inferDims(inputs, attrs, ctx);
  const info = infos[0]!;
  const wantIndices = infos.length > 1;
  const colMajor = attrs.storage_order === 1;
  const { planes, inSize, p, w } = windowed(x, attrs, info.dims, wantIndices && colMajor);
  const data = toF64(x);
  const out = allocF64(planes * p, 'MaxPool output');
  const idx = wantIndices ? new BigInt64Array(planes * p) : undefined;
  const idxOffsets = colMajor && w.colMajor ? w.colMajor : w.offsets;
  for (let pl = 0; pl < planes; pl++) {
    const src = pl * inSize;
    for (let q = 0; q < p; q++) {
      const base = q * w.maxTaps;
      const cnt = w.count[q]!;
      // A window entirely in the padding has no value; it reads as -Infinity with index -1.
      let best = Number.NEGATIVE_INFINITY;
      let arg = -1;
      for (let t = 0; t < cnt; t++) {
        const v = data[src + w.offsets[base + t]!]!;
        if (v > best || arg < 0) {
          best = v;
          arg = t;
        }
      }
      out[pl * p + q] = best;
      if (idx) idx[pl * p + q] = BigInt(arg < 0 ? -1 : pl * inSize + idxOffsets[base + arg]!);
    }
  }
  const y = fromF64(info.dtype, out, info.dims);
  return idx ? [y, new Tensor('int64', idx, info.dims)] : [y];
};

const lpPool: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const [info] = inferDims(inputs, attrs, ctx);
  const { planes, inSize, p, w } = windowed(x, attrs, info!.dims);
  const pw = attrs.p as number;
  const data = toF64(x);
  const out = allocF64(planes * p, 'LpPool output');
  for (let pl = 0; pl < planes; pl++) {
    const src = pl * inSize;
    for (let q = 0; q < p; q++) {
      const base = q * w.maxTaps;
      let s = 0;
      for (let t = 0; t < w.count[q]!; t++) s += Math.abs(data[src + w.offsets[base + t]!]!) ** pw;
      out[pl * p + q] = s ** (1 / pw);
    }
  }
  return [fromF64(info!.dtype, out, info!.dims)];
};

/** A global pool: `reduce` folds one whole plane. */
function globalPool(
  reduce: (data: Float64Array, start: number, size: number, attrs: Attributes) => number,
): Kernel {
  return (inputs, attrs, ctx) => {
    const x = inputs[0]!;
    const [info] = inferDims(inputs, attrs, ctx);
    const planes = x.dims[0]! * x.dims[1]!;
    const size = product(x.dims, 2);
    const data = toF64(x);
    const out = new Float64Array(planes);
    for (let pl = 0; pl < planes; pl++) out[pl] = reduce(data, pl * size, size, attrs);
    return [fromF64(info!.dtype, out, info!.dims)];
  };
}

/** Pooling kernels by op type. */
export const POOL_KERNELS: Record<string, Kernel> = {
  AveragePool: averagePool,
  MaxPool: maxPool,
  LpPool: lpPool,
  GlobalAveragePool: globalPool((d, s, n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += d[s + i]!;
    return acc / n;
  }),
  GlobalMaxPool: globalPool((d, s, n) => {
    let best = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) if (d[s + i]! > best) best = d[s + i]!;
    return best;
  }),
  GlobalLpPool: globalPool((d, s, n, attrs) => {
    const pw = attrs.p as number;
    let acc = 0;
    for (let i = 0; i < n; i++) acc += Math.abs(d[s + i]!) ** pw;
    return acc ** (1 / pw);
  }),
};
