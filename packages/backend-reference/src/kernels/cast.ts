/**
 * Cast and CastLike between every pair of dtypes. Integers cast to integers exactly (wrapping
 * as two's complement, through bigints for 64-bit types); floats cast to integers truncate
 * toward zero; the storage types follow ONNX 1.22's reference (see minifloat.ts).
 * @module
 */
import { type DType, isBigInt, isFloat, Tensor } from '@ocular/core';
import { inferOutputs } from './infer.js';
import { makeTensor, outputSize } from './math-helpers.js';
import { decodeMiniFloat, encodeE8M0, encodeMiniFloat, isMiniFloat } from './minifloat.js';
import type { Kernel } from './types.js';

/** Sub-byte integer ranges: bit width and signedness. */
const SMALL_INTS: Partial<Record<DType, { bits: number; signed: boolean }>> = {
  int4: { bits: 4, signed: true },
  uint4: { bits: 4, signed: false },
  int2: { bits: 2, signed: true },
  uint2: { bits: 2, signed: false },
};

/** Wraps an integer into a sub-byte type, two's complement style. */
function wrapSmall(v: number, bits: number, signed: boolean): number {
  const m = 2 ** bits;
  let r = ((v % m) + m) % m;
  if (signed && r >= m / 2) r -= m;
  return r;
}

/** The source values: numbers, or bigints when the source is int64/uint64 (kept exact). */
function sourceValues(x: Tensor): (number | bigint)[] {
  if (isBigInt(x.dtype)) return Array.from(x.data as BigInt64Array);
  if (isMiniFloat(x.dtype)) return Array.from(x.data as Uint8Array, (c) => decodeMiniFloat(x.dtype, c));
  return x.toNumbers();
}

/** Casts `x` to `to`. Exported for CastLike and for other kernels that need ONNX's conversion rules. */
export function castTensor(x: Tensor, to: DType, saturate = true, roundMode = 'up'): Tensor {
  if (to === x.dtype) return x.clone();
  const n = outputSize(to, x.dims);
  const num = sourceValues(x);
  const dims = x.dims;
  if (to === 'bool')
    return makeTensor(
      'bool',
      dims,
      num.map((v) => (typeof v === 'bigint' ? v !== 0n : v !== 0)),
    );
  if (isBigInt(to)) {
    // NaN and ±Inf have no integer value; numpy (and C on x86) give the most negative int64.
    const out = num.map((v) =>
      typeof v === 'bigint' ? v : Number.isFinite(v) ? BigInt(Math.trunc(v)) : -(2n ** 63n),
    );
    return makeTensor(to, dims, out);
  }
  if (isFloat(to)) return makeTensor(to, dims, num.map(Number));
  const small = SMALL_INTS[to];
  if (small) {
    const data = Tensor.zeros(to, dims).data as Int8Array | Uint8Array;
    for (let i = 0; i < n; i++) {
      const v = num[i]!;
      const t = typeof v === 'bigint' ? Number(BigInt.asIntN(8, v)) : Number.isFinite(v) ? Math.trunc(v) : 0;
      data[i] = wrapSmall(t, small.bits, small.signed);
    }
    return new Tensor(to, data, dims);
  }
  if (to === 'float8e8m0') {
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = encodeE8M0(Number(num[i]!), saturate, roundMode);
    return new Tensor(to, data, dims);
  }
  if (isMiniFloat(to)) {
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = encodeMiniFloat(to, Number(num[i]!), saturate);
    return new Tensor(to, data, dims);
  }
  // 8..32-bit integers: truncate toward zero; typed-array stores wrap modulo 2^bits.
  // bigints wrap first so that the conversion to number is exact.
  const out = num.map((v) =>
    typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : Number.isFinite(v) ? Math.trunc(v) : 0,
  );
  return makeTensor(to, dims, out);
}

/** Cast kernels by op type. */
export const CAST_KERNELS: Record<string, Kernel> = {
  Cast: (inputs, attrs, ctx) => {
    const [out] = inferOutputs(inputs, attrs, ctx);
    return [castTensor(inputs[0]!, out!.dtype, attrs.saturate === 1, attrs.round_mode as string)];
  },
  CastLike: (inputs, attrs, ctx) => {
    const [out] = inferOutputs(inputs, attrs, ctx);
    return [castTensor(inputs[0]!, out!.dtype, attrs.saturate === 1, attrs.round_mode as string)];
  },
};
