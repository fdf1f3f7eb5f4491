/**
 * Indexing kernels: Slice, Gather*, Scatter*, Pad, OneHot, NonZero. Data elements are moved as
 * stored (exact for every dtype); only the scatter reductions do arithmetic.
 * @module
 */
import {
  bfloat16BitsToNumber,
  type DType,
  DTypeError,
  float16BitsToNumber,
  type Tensor as HostTensor,
  InvalidArgumentError,
  isBigInt,
  isStorageOnly,
  numberToBfloat16Bits,
  numberToFloat16Bits,
  opUtil,
  stridesOf,
  Tensor,
  type TypedArray,
} from '@ocular/core';
import { inferOutputs } from './infer.js';
import {
  allocOutput,
  copyAs,
  type Elem,
  gatherAxes,
  indexValues,
  prod,
  resolveIndex,
  type Store,
  scalarElem,
  stridedMap,
} from './layout-util.js';
import type { Kernel } from './types.js';

const Slice: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const starts = inputs[1]!.toNumbers();
  const ends = inputs[2]!.toNumbers();
  const axes = inputs[3] ? inputs[3].toNumbers() : starts.map((_, i) => i);
  const steps = inputs[4] ? inputs[4].toNumbers() : starts.map(() => 1);
  const strides = stridesOf(x.dims);
  const maps = x.dims.map((d, a) => stridedMap(d, 0, 1, strides[a]!));
  axes.forEach((ax, k) => {
    const a = opUtil.normalizeAxis(ax, x.rank);
    const r = opUtil.sliceRange(starts[k]!, ends[k]!, steps[k]!, x.dims[a]!);
    maps[a] = stridedMap(r.length, r.start, r.step, strides[a]!);
  });
  return [gatherAxes(x, info!.dims, maps)];
};

const Gather: Kernel = (inputs, attrs, ctx) => {
  const [x, indices] = inputs as [HostTensor, HostTensor];
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const axis = opUtil.normalizeAxis(attrs.axis as number, x.rank);
  const strides = stridesOf(x.dims);
  // View the output as [pre..., N, post...] with N = number of indices, then give it its dims.
  const idx = indexValues(indices).map((i) => resolveIndex(i, x.dims[axis]!, 'Gather') * strides[axis]!);
  const viewDims = [...x.dims.slice(0, axis), idx.length, ...x.dims.slice(axis + 1)];
  const maps = viewDims.map((d, a) => (a === axis ? idx : stridedMap(d, 0, 1, strides[a]!)));
  const out = gatherAxes(x, viewDims, maps);
  return [new Tensor(x.dtype, out.data, info!.dims)];
};

/**
 * Visits every coordinate of `dims` in row-major order, passing the flat position and the
 * coordinate array (reused between calls).
 */
function forEachCoord(dims: readonly number[], fn: (flat: number, coord: readonly number[]) => void): void {
  const n = prod(dims);
  const c = new Array<number>(dims.length).fill(0);
  for (let p = 0; p < n; p++) {
    fn(p, c);
    for (let a = dims.length - 1; a >= 0; a--) {
      if (++c[a]! < dims[a]!) break;
      c[a] = 0;
    }
  }
}

/** Checks that indices' dims fit inside data's on every axis but `axis` (Gather/ScatterElements). */
function checkElementsShape(op: string, data: HostTensor, indices: HostTensor, axis: number): void {
  indices.dims.forEach((d, a) => {
    if (a !== axis && d > data.dims[a]!) {
      throw new InvalidArgumentError(
        `${op}: indices [${indices.dims.join(', ')}] exceed data [${data.dims.join(', ')}] on axis ${a}`,
      );
    }
  });
}

/** Flat data offsets addressed by GatherElements/ScatterElements indices, in indices order. */
function elementOffsets(op: string, data: HostTensor, indices: HostTensor, axis: number): number[] {
  checkElementsShape(op, data, indices, axis);
  const strides = stridesOf(data.dims);
  const idx = indexValues(indices);
  const offsets = new Array<number>(idx.length);
  forEachCoord(indices.dims, (p, c) => {
    let off = 0;
    for (let a = 0; a < c.length; a++) {
      off += (a === axis ? resolveIndex(idx[p]!, data.dims[a]!, op) : c[a]!) * strides[a]!;
    }
    offsets[p] = off;
  });
  return offsets;
}

const GatherElements: Kernel = (inputs, attrs, ctx) => {
  const [x, indices] = inputs as [HostTensor, HostTensor];
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const axis = opUtil.normalizeAxis(attrs.axis as number, x.rank);
  const offsets = elementOffsets('GatherElements', x, indices, axis);
  const out = allocOutput(x.dtype, info!.dims) as unknown as Store;
  const data = x.data as unknown as Store;
  offsets.forEach((off, p) => {
    out[p] = data[off]!;
  });
  return [new Tensor(x.dtype, out as unknown as TypedArray, info!.dims)];
};

/**
 * For GatherND/ScatterND: the flat data offset of every addressed slice, in indices order, and
 * the slice size. `b` leading batch axes are shared by data and indices.
 */
function ndOffsets(
  op: string,
  data: HostTensor,
  indices: HostTensor,
  b: number,
): { offsets: number[]; slice: number } {
  const k = indices.dims[indices.rank - 1]!;
  const strides = stridesOf(data.dims);
  const batch = prod(indices.dims, 0, b);
  const perBatch = prod(indices.dims, b, indices.rank - 1);
  const batchStride = prod(data.dims, b);
  for (let a = 0; a < b; a++) {
    if (data.dims[a] !== indices.dims[a]) {
      throw new InvalidArgumentError(`${op}: batch dim ${a} differs (${data.dims[a]} vs ${indices.dims[a]})`);
    }
  }
  const idx = indexValues(indices);
  const offsets: number[] = [];
  for (let bi = 0; bi < batch; bi++) {
    for (let m = 0; m < perBatch; m++) {
      const base = (bi * perBatch + m) * k;
      let off = bi * batchStride;
      for (let j = 0; j < k; j++)
        off += resolveIndex(idx[base + j]!, data.dims[b + j]!, op) * strides[b + j]!;
      offsets.push(off);
    }
  }
  return { offsets, slice: prod(data.dims, b + k) };
}

const GatherND: Kernel = (inputs, attrs, ctx) => {
  const [x, indices] = inputs as [HostTensor, HostTensor];
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const { offsets, slice } = ndOffsets('GatherND', x, indices, attrs.batch_dims as number);
  const out = allocOutput(x.dtype, info!.dims);
  offsets.forEach((off, m) => {
    (out as Uint8Array).set((x.data as Uint8Array).subarray(off, off + slice), m * slice);
  });
  return [new Tensor(x.dtype, out, info!.dims)];
};

/** How a scatter combines the existing element `a` with the update `b`. */
type Combine = (a: Elem, b: Elem) => Elem;

/** The combine function of a scatter reduction for `dtype` (wrapping like the stored type). */
function combiner(reduction: string, dtype: DType): Combine {
  if (reduction === 'none') return (_a, b) => b;
  if (isBigInt(dtype)) {
    const f = {
      add: (a: bigint, b: bigint) => a + b,
      mul: (a: bigint, b: bigint) => a * b,
      max: big(true),
      min: big(false),
    }[reduction as 'add'];
    return f as unknown as Combine;
  }
  if (dtype === 'bool') {
    // add/max are logical or; mul/min are logical and.
    return reduction === 'add' || reduction === 'max'
      ? (a, b) => (a || b ? 1 : 0)
      : (a, b) => (a && b ? 1 : 0);
  }
  const op = numeric(reduction, dtype);
  if (dtype === 'float16')
    return (a, b) =>
      numberToFloat16Bits(op(float16BitsToNumber(a as number), float16BitsToNumber(b as number)));
  if (dtype === 'bfloat16') {
    return (a, b) =>
      numberToBfloat16Bits(op(bfloat16BitsToNumber(a as number), bfloat16BitsToNumber(b as number)));
  }
  return op as Combine;
}

/** max (or min) of bigints. */
function big(max: boolean): (a: bigint, b: bigint) => bigint {
  return (a, b) => (a > b === max ? a : b);
}

/** Numeric reduction; NaN propagates through max/min as numpy's maximum/minimum do. */
function numeric(reduction: string, dtype: DType): (a: number, b: number) => number {
  switch (reduction) {
    case 'add':
      return (a, b) => a + b;
    case 'mul':
      // 32-bit integer products can exceed 2^53; Math.imul wraps them exactly.
      if (dtype === 'int32') return (a, b) => Math.imul(a, b);
      if (dtype === 'uint32') return (a, b) => Math.imul(a, b) >>> 0;
      return (a, b) => a * b;
    case 'max':
      return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b));
    default:
      return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b));
  }
}

const ScatterElements: Kernel = (inputs, attrs, ctx) => {
  const [x, indices, updates] = inputs as [HostTensor, HostTensor, HostTensor];
  inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const axis = opUtil.normalizeAxis(attrs.axis as number, x.rank);
  const offsets = elementOffsets('ScatterElements', x, indices, axis);
  const out = copyAs(x, x.dims);
  const o = out.data as unknown as Store;
  const u = updates.data as unknown as Store;
  const f = combiner(attrs.reduction as string, x.dtype);
  offsets.forEach((off, p) => {
    o[off] = f(o[off]!, u[p]!);
  });
  return [out];
};

const ScatterND: Kernel = (inputs, attrs, ctx) => {
  const [x, indices, updates] = inputs as [HostTensor, HostTensor, HostTensor];
  inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const { offsets, slice } = ndOffsets('ScatterND', x, indices, 0);
  const out = copyAs(x, x.dims);
  const o = out.data as unknown as Store;
  const u = updates.data as unknown as Store;
  const f = combiner(attrs.reduction as string, x.dtype);
  offsets.forEach((off, m) => {
    for (let s = 0; s < slice; s++) o[off + s] = f(o[off + s]!, u[m * slice + s]!);
  });
  return [out];
};

/** Input coordinate read by output coordinate `c` of a padded axis; -1 reads the fill value. */
function padSource(mode: string, c: number, d: number, begin: number, end: number): number {
  if (mode === 'constant') {
    const i = c - begin;
    return i >= 0 && i < d ? i : -1;
  }
  // Negative pads crop first; reflect/edge/wrap then extend what is left.
  const lo = Math.max(0, -begin);
  const n = d - lo - Math.max(0, -end);
  const j = c - Math.max(0, begin);
  let k: number;
  if (mode === 'edge') k = Math.min(Math.max(j, 0), n - 1);
  else if (mode === 'wrap') k = ((j % n) + n) % n;
  else if (n === 1) k = 0;
  else {
    const period = 2 * (n - 1);
    k = ((j % period) + period) % period;
    if (k >= n) k = period - k;
  }
  return lo + k;
}

const Pad: Kernel = (inputs, attrs, ctx) => {
  const [x, pads, constantValue, axesT] = inputs;
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const rank = x!.rank;
  const p = pads!.toNumbers();
  const axes = axesT ? axesT.toNumbers().map((a) => opUtil.normalizeAxis(a, rank)) : [...Array(rank).keys()];
  const amounts = x!.dims.map(() => [0, 0] as [number, number]);
  axes.forEach((a, i) => {
    amounts[a] = [p[i]!, p[i + axes.length]!];
  });
  const mode = attrs.mode as string;
  const strides = stridesOf(x!.dims);
  const maps = info!.dims.map((len, a) => {
    const m = new Array<number>(len);
    const [b, e] = amounts[a]!;
    for (let c = 0; c < len; c++) {
      const i = padSource(mode, c, x!.dims[a]!, b, e);
      m[c] = i < 0 ? -1 : i * strides[a]!;
    }
    return m;
  });
  const zero: Elem = isBigInt(x!.dtype) ? 0n : 0;
  return [gatherAxes(x!, info!.dims, maps, constantValue ? scalarElem(constantValue) : zero)];
};

const OneHot: Kernel = (inputs, attrs, ctx) => {
  const [indices, , values] = inputs as [HostTensor, HostTensor, HostTensor];
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const dims = info!.dims;
  const axis = opUtil.normalizeAxis(attrs.axis as number, dims.length);
  const depth = dims[axis]!;
  const [off, on] = [(values.data as unknown as Store)[0]!, (values.data as unknown as Store)[1]!];
  const out = allocOutput(values.dtype, dims) as unknown as Store;
  for (let i = 0; i < out.length; i++) out[i] = off;
  const inner = prod(indices.dims, axis);
  indices.toNumbers().forEach((v, p) => {
    let k = Math.trunc(v);
    if (k < 0) k += depth;
    // Out-of-range indices leave their row all "off", as ONNX specifies.
    if (k < 0 || k >= depth) return;
    const o = Math.floor(p / inner);
    out[(o * depth + k) * inner + (p % inner)] = on;
  });
  return [new Tensor(values.dtype, out as unknown as TypedArray, dims)];
};

const NonZero: Kernel = ([x]) => {
  if (isStorageOnly(x!.dtype)) throw new DTypeError(`NonZero does not accept storage type ${x!.dtype}`);
  const dims = x!.rank ? x!.dims : [1];
  const hits = opUtil.nonZeroFlatIndices(x!);
  const out = allocOutput('int64', [dims.length, hits.length]) as BigInt64Array;
  const strides = stridesOf(dims);
  hits.forEach((flat, j) => {
    for (let a = 0; a < dims.length; a++) {
      out[a * hits.length + j] = BigInt(Math.floor(flat / strides[a]!) % dims[a]!);
    }
  });
  return [new Tensor('int64', out, [dims.length, hits.length])];
};

/** Indexing kernels by op type. */
export const INDEXING_KERNELS: Record<string, Kernel> = {
  Slice,
  Gather,
  GatherElements,
  GatherND,
  ScatterElements,
  ScatterND,
  Pad,
  OneHot,
  NonZero,
};
