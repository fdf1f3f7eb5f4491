/**
 * Pooling kernels: AveragePool, MaxPool (with Indices), LpPool and the global pools. Each window's
 * flat input offsets are computed once and reused for every (batch, channel) plane.
 * @module
 */
import { type Attributes, opGeometry, Tensor } from '@ocular/core';
import { inferOutputs } from './infer.js';
import { allocF64, fromF64, product, toF64 } from './spatial-util.js';
import type { Kernel } from './types.js';

/**
 * Visits every window of a pool in output order. Each dim's valid input coordinates per output
 * index are listed once; a window's taps are their cartesian product, expanded into reused
 * buffers, so memory stays proportional to one window (never output size × kernel size).
 */
function forEachWindow(
  inSpatial: readonly number[],
  outSpatial: readonly number[],
  win: opGeometry.ResolvedWindow,
  withColMajor: boolean,
  visit: (q: number, rows: Int32Array, cols: Int32Array | undefined, count: number, padCount: number) => void,
): void {
  const n = inSpatial.length;
  // Per dim and output index: the valid input coordinates, and how many taps fall inside input + padding.
  const valid: number[][][] = [];
  const padded: number[][] = [];
  let maxValid = 1;
  for (let d = 0; d < n; d++) {
    const vd: number[][] = [];
    const pd: number[] = [];
    let most = 0;
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
      most = Math.max(most, list.length);
    }
    valid.push(vd);
    padded.push(pd);
    maxValid *= most;
  }
  const rowStride = new Array<number>(n).fill(1);
  const colStride = new Array<number>(n).fill(1);
  for (let d = n - 2; d >= 0; d--) rowStride[d] = rowStride[d + 1]! * inSpatial[d + 1]!;
  for (let d = 1; d < n; d++) colStride[d] = colStride[d - 1]! * inSpatial[d - 1]!;
  let rows = new Int32Array(maxValid);
  let rowsNext = new Int32Array(maxValid);
  let cols = withColMajor ? new Int32Array(maxValid) : undefined;
  let colsNext = withColMajor ? new Int32Array(maxValid) : undefined;
  const p = product(outSpatial);
  const oIdx = new Array<number>(n).fill(0);
  for (let q = 0; q < p; q++) {
    // Expand the per-dim coordinate lists into row-major flat offsets, first dim outermost.
    let count = 1;
    let padCount = 1;
    rows[0] = 0;
    if (cols) cols[0] = 0;
    for (let d = 0; d < n; d++) {
      const list = valid[d]![oIdx[d]!]!;
      padCount *= padded[d]![oIdx[d]!]!;
      let k = 0;
      for (let a = 0; a < count; a++) {
        for (const i of list) {
          rowsNext[k] = rows[a]! + i * rowStride[d]!;
          if (cols) colsNext![k] = cols[a]! + i * colStride[d]!;
          k++;
        }
      }
      count = k;
      [rows, rowsNext] = [rowsNext, rows];
      if (cols) [cols, colsNext] = [colsNext!, cols];
    }
    visit(q, rows, cols, count, padCount);
    for (let d = n - 1; d >= 0; d--) {
      if (++oIdx[d]! < outSpatial[d]!) break;
      oIdx[d] = 0;
    }
  }
}

/** Resolved geometry of a windowed pool node. */
function windowed(x: Tensor, attrs: Attributes, outDims: readonly number[]) {
  const inSpatial = x.dims.slice(2);
  const kernel = attrs.kernel_shape as number[];
  const win = opGeometry.resolveWindow(attrs, inSpatial, kernel, { ceilMode: attrs.ceil_mode === 1 });
  const outSpatial = outDims.slice(2);
  return {
    planes: x.dims[0]! * x.dims[1]!,
    inSize: product(inSpatial),
    p: product(outSpatial),
    inSpatial,
    outSpatial,
    win,
  };
}

const averagePool: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const [info] = inferOutputs(inputs, attrs, ctx);
  const { planes, inSize, p, inSpatial, outSpatial, win } = windowed(x, attrs, info!.dims);
  const includePad = attrs.count_include_pad === 1;
  const data = toF64(x);
  const out = allocF64(planes * p, 'AveragePool output');
  forEachWindow(inSpatial, outSpatial, win, false, (q, rows, _cols, count, padCount) => {
    const div = includePad ? padCount : count;
    for (let pl = 0; pl < planes; pl++) {
      const src = pl * inSize;
      let s = 0;
      for (let t = 0; t < count; t++) s += data[src + rows[t]!]!;
      out[pl * p + q] = div > 0 ? s / div : Number.NaN;
    }
  });
  return [fromF64(info!.dtype, out, info!.dims)];
};

const maxPool: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const infos = inferOutputs(inputs, attrs, ctx);
  const info = infos[0]!;
  const wantIndices = infos.length > 1;
  const colMajor = wantIndices && attrs.storage_order === 1;
  const { planes, inSize, p, inSpatial, outSpatial, win } = windowed(x, attrs, info.dims);
  const data = toF64(x);
  const out = allocF64(planes * p, 'MaxPool output');
  const idx = wantIndices ? new BigInt64Array(planes * p) : undefined;
  forEachWindow(inSpatial, outSpatial, win, colMajor, (q, rows, cols, count) => {
    for (let pl = 0; pl < planes; pl++) {
      const src = pl * inSize;
      // A window entirely in the padding has no value; it reads as -Infinity with index -1.
      let best = Number.NEGATIVE_INFINITY;
      let arg = -1;
      for (let t = 0; t < count; t++) {
        const v = data[src + rows[t]!]!;
        if (v > best || arg < 0) {
          best = v;
          arg = t;
        }
      }
      out[pl * p + q] = best;
      if (idx) idx[pl * p + q] = BigInt(arg < 0 ? -1 : src + (cols ?? rows)[arg]!);
    }
  });
  const y = fromF64(info.dtype, out, info.dims);
  return idx ? [y, new Tensor('int64', idx, info.dims)] : [y];
};

const lpPool: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const [info] = inferOutputs(inputs, attrs, ctx);
  const { planes, inSize, p, inSpatial, outSpatial, win } = windowed(x, attrs, info!.dims);
  const pw = attrs.p as number;
  const data = toF64(x);
  const out = allocF64(planes * p, 'LpPool output');
  forEachWindow(inSpatial, outSpatial, win, false, (q, rows, _cols, count) => {
    for (let pl = 0; pl < planes; pl++) {
      const src = pl * inSize;
      let s = 0;
      for (let t = 0; t < count; t++) s += Math.abs(data[src + rows[t]!]!) ** pw;
      out[pl * p + q] = s ** (1 / pw);
    }
  });
  return [fromF64(info!.dtype, out, info!.dims)];
};

/** A global pool: `reduce` folds one whole plane. */
function globalPool(
  reduce: (data: Float64Array, start: number, size: number, attrs: Attributes) => number,
): Kernel {
  return (inputs, attrs, ctx) => {
    const x = inputs[0]!;
    const [info] = inferOutputs(inputs, attrs, ctx);
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
