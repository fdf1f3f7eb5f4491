/**
 * Helpers of the layout kernels (shape and indexing ops). They move raw stored elements
 * (bigints for int64, bit patterns for float16 and the storage types) without converting them,
 * so every dtype is copied exactly.
 * @module
 */
import {
  type DType,
  type Tensor as HostTensor,
  InvalidArgumentError,
  opUtil,
  sizeOf,
  stridesOf,
  Tensor,
  type TypedArray,
} from '@ocular/core';

/** One stored element: a number, or a bigint for int64/uint64. */
export type Elem = number | bigint;

/** A typed array seen as an indexable store of elements. */
export type Store = { [i: number]: Elem; readonly length: number };

/** Allocates storage for an output of `dims`, refusing sizes over the allocation limits. */
export function allocOutput(dtype: DType, dims: readonly number[], what = 'output'): TypedArray {
  const n = sizeOf(dims);
  opUtil.checkAllocation(n, dtype, what);
  return new (storageCtor(dtype))(n);
}

/** The typed-array constructor that stores `dtype`. */
function storageCtor(dtype: DType): new (n: number) => TypedArray {
  return Tensor.zeros(dtype, [0]).data.constructor as new (
    n: number,
  ) => TypedArray;
}

/** A copy of `src` with new dims (same element count). */
export function copyAs(src: HostTensor, dims: readonly number[]): HostTensor {
  return new Tensor(src.dtype, src.data.slice() as TypedArray, dims);
}

/**
 * The core copy loop: `out[c0, c1, ...] = src[maps[0][c0] + maps[1][c1] + ...]`, where each
 * axis map gives the flat-offset contribution of one output coordinate, or a negative number
 * meaning "outside the input" (the element is `fill`). Transpose, Slice, Expand, Tile, Pad,
 * Gather and DepthToSpace all reduce to one call.
 */
export function gatherAxes(
  src: HostTensor,
  outDims: readonly number[],
  maps: readonly ArrayLike<number>[],
  fill: Elem = 0,
): HostTensor {
  const out = allocOutput(src.dtype, outDims) as unknown as Store;
  const data = src.data as unknown as Store;
  const n = out.length;
  const rank = outDims.length;
  if (n === 0) return new Tensor(src.dtype, out as unknown as TypedArray, outDims);
  if (rank === 0) {
    out[0] = data[0]!;
    return new Tensor(src.dtype, out as unknown as TypedArray, outDims);
  }
  const last = rank - 1;
  const inner = outDims[last]!;
  const lastMap = maps[last]!;
  const idx = new Array<number>(last).fill(0);
  let o = 0;
  for (let row = 0; row < n / inner; row++) {
    let base = 0;
    let outside = false;
    for (let a = 0; a < last; a++) {
      const m = maps[a]![idx[a]!]!;
      if (m < 0) outside = true;
      base += m;
    }
    if (outside) {
      for (let j = 0; j < inner; j++) out[o++] = fill;
    } else {
      for (let j = 0; j < inner; j++) {
        const m = lastMap[j]!;
        out[o++] = m < 0 ? fill : data[base + m]!;
      }
    }
    for (let a = last - 1; a >= 0; a--) {
      if (++idx[a]! < outDims[a]!) break;
      idx[a] = 0;
    }
  }
  return new Tensor(src.dtype, out as unknown as TypedArray, outDims);
}

/** Axis map `start*stride, (start+step)*stride, ...` of `length` entries. */
export function stridedMap(length: number, start: number, step: number, stride: number): number[] {
  const m = new Array<number>(length);
  for (let c = 0; c < length; c++) m[c] = (start + c * step) * stride;
  return m;
}

/**
 * Transposes `src` viewed with shape `viewDims` (same element count) by `perm`; the result has
 * dims `perm.map(p => viewDims[p])`.
 */
export function permute(src: HostTensor, viewDims: readonly number[], perm: readonly number[]): HostTensor {
  const strides = stridesOf(viewDims);
  const outDims = perm.map((p) => viewDims[p]!);
  return gatherAxes(
    src,
    outDims,
    perm.map((p) => stridedMap(viewDims[p]!, 0, 1, strides[p]!)),
  );
}

/** The raw stored value of a one-element tensor (bits for float16, bigint for int64). */
export function scalarElem(t: HostTensor): Elem {
  return (t.data as unknown as Store)[0]!;
}

/** Product of `dims[from..to)`. */
export function prod(dims: readonly number[], from = 0, to = dims.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= dims[i]!;
  return n;
}

/** Index values of an int32/int64 tensor as numbers. */
export function indexValues(t: HostTensor): number[] {
  return t.toNumbers();
}

/** Resolves a possibly negative index against `dim`; throws a typed error when out of range. */
export function resolveIndex(i: number, dim: number, what: string): number {
  const j = i < 0 ? i + dim : i;
  if (!(j >= 0 && j < dim))
    throw new InvalidArgumentError(`${what}: index ${i} is out of range for size ${dim}`);
  return j;
}
