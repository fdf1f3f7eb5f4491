/**
 * Helpers of the math kernels (elementwise, activation, reduce, normalization, linalg):
 * broadcasting index maps, and reading/writing element values as numbers (or bigints for exact
 * int64/uint64 arithmetic).
 * @module
 */
import { BackendError, type DType, isBigInt, opUtil, sizeOf, stridesOf, Tensor } from '@ocular/core';

/** Element count of `dims`, refusing outputs over the allocation limits. */
export function outputSize(dtype: DType, dims: readonly number[], what = 'output'): number {
  const n = sizeOf(dims);
  opUtil.checkAllocation(n, dtype, what);
  return n;
}

/** Builds an output tensor from numbers/bigints/booleans (rounding floats to the dtype), checking its size first. */
export function makeTensor(
  dtype: DType,
  dims: readonly number[],
  values: ArrayLike<number | bigint | boolean>,
): Tensor {
  outputSize(dtype, dims);
  return Tensor.from(dtype, values, dims);
}

/** A tensor's values as bigints (int64/uint64 only). */
export function readBig(t: Tensor): bigint[] {
  return Array.from(t.data as BigInt64Array | BigUint64Array);
}

/** A tensor's values as numbers (float16/bfloat16 decoded, bigints converted, bool as 0/1). */
export function readNum(t: Tensor): number[] {
  return t.toNumbers();
}

/** True when a kernel should take its exact bigint path for `dtype`. */
export function useBig(dtype: DType): boolean {
  return isBigInt(dtype);
}

/**
 * For each element of an output of `outDims`, the flat index of the element of an input of
 * `inDims` that numpy broadcasting reads. Returns undefined when the shapes are equal (identity).
 */
export function broadcastMap(inDims: readonly number[], outDims: readonly number[]): Int32Array | undefined {
  if (inDims.length === outDims.length && inDims.every((d, i) => d === outDims[i])) return undefined;
  const rank = outDims.length;
  const inStrides = stridesOf(inDims);
  // Stride of each output axis into the input: 0 where the input is missing or has size 1.
  const strides = new Array<number>(rank).fill(0);
  for (let i = 0; i < inDims.length; i++) {
    const o = rank - inDims.length + i;
    const d = inDims[i]!;
    if (d !== 1 && d !== outDims[o]) {
      throw new BackendError(`cannot broadcast [${inDims.join(', ')}] to [${outDims.join(', ')}]`);
    }
    strides[o] = d === 1 ? 0 : inStrides[i]!;
  }
  const n = sizeOf(outDims);
  const map = new Int32Array(n);
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let k = 0; k < n; k++) {
    map[k] = off;
    // Increment the multi-index from the last axis, adjusting the input offset.
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      off += strides[a]!;
      if (idx[a]! < outDims[a]!) break;
      off -= strides[a]! * idx[a]!;
      idx[a] = 0;
    }
  }
  return map;
}

/**
 * Splits `dims` around `axis` into (outer, size, inner) so element (o, i, j) sits at
 * `(o * size + i) * inner + j`.
 */
export function splitAxis(
  dims: readonly number[],
  axis: number,
): { outer: number; size: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= dims[i]!;
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i]!;
  return { outer, size: dims[axis]!, inner };
}

/** The single number of a scalar or one-element input (Clip's bounds, CumSum's axis, TopK's K). */
export function scalarOf(t: Tensor, what: string): number {
  if (t.size !== 1) throw new BackendError(`${what} must hold one value, got ${t.size}`);
  return t.toNumbers()[0]!;
}

/** The larger of two bigints (Math.max does not take bigints). */
export function bigMax(a: bigint, b: bigint): bigint {
  if (b > a) return b;
  return a;
}

/** The smaller of two bigints (Math.min does not take bigints). */
export function bigMin(a: bigint, b: bigint): bigint {
  if (b < a) return b;
  return a;
}
