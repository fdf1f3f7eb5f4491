/**
 * Helpers of the spatial kernels (conv, pool, resize, detection): float64 views of tensors,
 * rounding results back to the output dtype, and bounded allocation.
 * @module
 */
import {
  BackendError,
  type DType,
  type Tensor as HostTensor,
  isBigInt,
  isFloat,
  opUtil,
  Tensor,
} from '@ocular/core';

/** Element values of `t` as float64 (float16/bfloat16 decoded, integers converted). May share `t`'s storage: do not write. */
export function toF64(t: HostTensor): Float64Array {
  const d = t.data;
  if (d instanceof Float64Array) return d;
  if (d instanceof Float32Array) return Float64Array.from(d);
  if (t.dtype === 'float16' || t.dtype === 'bfloat16' || isBigInt(t.dtype))
    return Float64Array.from(t.toNumbers());
  return Float64Array.from(d as ArrayLike<number>);
}

/** Integer ranges for saturating float results into integer outputs. */
const INT_RANGE: Partial<Record<DType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  // The largest doubles below 2^63 and 2^64, so BigInt() of a saturated value fits.
  int64: [-(2 ** 63), 2 ** 63 - 1024],
  uint64: [0, 2 ** 64 - 2048],
};

/** Rounds half to even, as numpy's `rint` and C's `nearbyint` do. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * A tensor of `dtype` from float64 results: floats round to the dtype (float16/bfloat16 to
 * nearest even); integers round half to even and saturate to the dtype's range.
 */
export function fromF64(dtype: DType, values: Float64Array, dims: readonly number[]): HostTensor {
  if (dtype === 'float64') return new Tensor('float64', values, dims);
  if (dtype === 'float32') return new Tensor('float32', new Float32Array(values), dims);
  if (isFloat(dtype)) return Tensor.from(dtype, values, dims);
  const range = INT_RANGE[dtype];
  if (!range) throw new BackendError(`spatial kernels do not produce ${dtype} outputs`);
  const [lo, hi] = range;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Number.isNaN(v) ? 0 : Math.min(hi, Math.max(lo, roundHalfEven(v)));
  }
  if (isBigInt(dtype)) {
    return Tensor.from(dtype, Array.from(out, BigInt), dims);
  }
  return Tensor.from(dtype, out, dims);
}

/** A zeroed float64 buffer of `count` elements, refused (typed error) past the allocation limits. */
export function allocF64(count: number, what: string): Float64Array {
  opUtil.checkAllocation(count, 'float64', what);
  return new Float64Array(count);
}

/** Product of `dims[from..to)`. */
export function product(dims: readonly number[], from = 0, to = dims.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= dims[i]!;
  return n;
}

/** The one value of a scalar-like (rank 0 or one-element) tensor, or `fallback` when absent or empty. */
export function scalarValue(t: HostTensor | undefined, fallback: number): number {
  if (!t || t.size === 0) return fallback;
  return Number(t.dtype === 'float16' || t.dtype === 'bfloat16' ? t.toNumbers()[0] : t.data[0]);
}
