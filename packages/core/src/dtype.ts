/**
 * Element types. Names follow ONNX's lower-case spelling (`float32`, `int64`, `float8e4m3fn`).
 * @module
 */
import { DTypeError } from './errors.js';

/** Element types a host {@link Tensor} can hold. */
export type DType =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  // Low-precision storage types: held one element per byte (bit pattern for the float types,
  // sign-extended / zero-extended value for the sub-byte integers). Only Cast and
  // (De)QuantizeLinear-style ops consume them; ONNX I/O packs the sub-byte ones.
  | 'float8e4m3fn'
  | 'float8e4m3fnuz'
  | 'float8e5m2'
  | 'float8e5m2fnuz'
  | 'float8e8m0'
  | 'float4e2m1'
  | 'int4'
  | 'uint4'
  | 'int2'
  | 'uint2';

/** Maps a dtype to the typed array that stores it. */
export interface DataTypeMap {
  float32: Float32Array;
  float16: Uint16Array;
  bfloat16: Uint16Array;
  float64: Float64Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
  float8e4m3fn: Uint8Array;
  float8e4m3fnuz: Uint8Array;
  float8e5m2: Uint8Array;
  float8e5m2fnuz: Uint8Array;
  float8e8m0: Uint8Array;
  float4e2m1: Uint8Array;
  int4: Int8Array;
  uint4: Uint8Array;
  int2: Int8Array;
  uint2: Uint8Array;
}

/** Any typed array a tensor may hold. */
export type TypedArray = DataTypeMap[DType];

interface DTypeInfo {
  /** Bytes per element in the host typed array. */
  readonly bytes: number;
  /** Bits per element in packed file formats (ONNX raw_data); 4 and 2 for the sub-byte types. */
  readonly bits: number;
  readonly ctor:
    | Float32ArrayConstructor
    | Float64ArrayConstructor
    | Uint16ArrayConstructor
    | Int8ArrayConstructor
    | Uint8ArrayConstructor
    | Int16ArrayConstructor
    | Int32ArrayConstructor
    | Uint32ArrayConstructor
    | BigInt64ArrayConstructor
    | BigUint64ArrayConstructor;
  readonly kind: 'float' | 'int' | 'uint' | 'bool' | 'storage';
  /** ONNX TensorProto.DataType enum value. */
  readonly onnx: number;
}

const INFO: Record<DType, DTypeInfo> = {
  float32: { bytes: 4, bits: 32, ctor: Float32Array, kind: 'float', onnx: 1 },
  uint8: { bytes: 1, bits: 8, ctor: Uint8Array, kind: 'uint', onnx: 2 },
  int8: { bytes: 1, bits: 8, ctor: Int8Array, kind: 'int', onnx: 3 },
  uint16: { bytes: 2, bits: 16, ctor: Uint16Array, kind: 'uint', onnx: 4 },
  int16: { bytes: 2, bits: 16, ctor: Int16Array, kind: 'int', onnx: 5 },
  int32: { bytes: 4, bits: 32, ctor: Int32Array, kind: 'int', onnx: 6 },
  int64: { bytes: 8, bits: 64, ctor: BigInt64Array, kind: 'int', onnx: 7 },
  bool: { bytes: 1, bits: 8, ctor: Uint8Array, kind: 'bool', onnx: 9 },
  float16: { bytes: 2, bits: 16, ctor: Uint16Array, kind: 'float', onnx: 10 },
  float64: { bytes: 8, bits: 64, ctor: Float64Array, kind: 'float', onnx: 11 },
  uint32: { bytes: 4, bits: 32, ctor: Uint32Array, kind: 'uint', onnx: 12 },
  uint64: { bytes: 8, bits: 64, ctor: BigUint64Array, kind: 'uint', onnx: 13 },
  bfloat16: { bytes: 2, bits: 16, ctor: Uint16Array, kind: 'float', onnx: 16 },
  float8e4m3fn: { bytes: 1, bits: 8, ctor: Uint8Array, kind: 'storage', onnx: 17 },
  float8e4m3fnuz: { bytes: 1, bits: 8, ctor: Uint8Array, kind: 'storage', onnx: 18 },
  float8e5m2: { bytes: 1, bits: 8, ctor: Uint8Array, kind: 'storage', onnx: 19 },
  float8e5m2fnuz: { bytes: 1, bits: 8, ctor: Uint8Array, kind: 'storage', onnx: 20 },
  uint4: { bytes: 1, bits: 4, ctor: Uint8Array, kind: 'storage', onnx: 21 },
  int4: { bytes: 1, bits: 4, ctor: Int8Array, kind: 'storage', onnx: 22 },
  float4e2m1: { bytes: 1, bits: 4, ctor: Uint8Array, kind: 'storage', onnx: 23 },
  float8e8m0: { bytes: 1, bits: 8, ctor: Uint8Array, kind: 'storage', onnx: 24 },
  uint2: { bytes: 1, bits: 2, ctor: Uint8Array, kind: 'storage', onnx: 25 },
  int2: { bytes: 1, bits: 2, ctor: Int8Array, kind: 'storage', onnx: 26 },
};

/** Every dtype, in ONNX enum order. */
export const DTYPES: readonly DType[] = Object.keys(INFO) as DType[];

/** True when `s` names a dtype. */
export function isDType(s: unknown): s is DType {
  return typeof s === 'string' && Object.hasOwn(INFO, s);
}

function info(dtype: DType): DTypeInfo {
  const i = INFO[dtype];
  if (!i) throw new DTypeError(`unknown dtype '${String(dtype)}'`);
  return i;
}

/** Bytes per element in host memory. */
export function bytesPerElement(dtype: DType): number {
  return info(dtype).bytes;
}

/** Bits per element in packed file formats (4 for int4/uint4/float4e2m1, 2 for int2/uint2). */
export function bitsPerElement(dtype: DType): number {
  return info(dtype).bits;
}

/** True for float32/float16/bfloat16/float64. */
export function isFloat(dtype: DType): boolean {
  return info(dtype).kind === 'float';
}

/** True for signed and unsigned integer dtypes (not bool, not the storage types). */
export function isInteger(dtype: DType): boolean {
  const k = info(dtype).kind;
  return k === 'int' || k === 'uint';
}

/** True for the dtypes whose typed array holds bigint (int64, uint64). */
export function isBigInt(dtype: DType): dtype is 'int64' | 'uint64' {
  return dtype === 'int64' || dtype === 'uint64';
}

/** True for the low-precision storage types (float8*, float4e2m1, int4/uint4, int2/uint2). */
export function isStorageOnly(dtype: DType): boolean {
  return info(dtype).kind === 'storage';
}

/** ONNX `TensorProto.DataType` number of a dtype. */
export function dtypeToOnnx(dtype: DType): number {
  return info(dtype).onnx;
}

/** dtype of an ONNX `TensorProto.DataType` number; throws {@link DTypeError} for unsupported ones (string, complex). */
export function dtypeFromOnnx(code: number): DType {
  for (const d of DTYPES) if (INFO[d].onnx === code) return d;
  throw new DTypeError(
    `ONNX data type ${code} is not supported (string, complex and double-complex tensors are not)`,
  );
}

/** Allocates a zero-filled typed array for `size` elements of `dtype`. */
export function allocate<D extends DType>(dtype: D, size: number): DataTypeMap[D] {
  const { ctor } = info(dtype);
  return new ctor(size) as DataTypeMap[D];
}

/** True when `data` is the typed array kind that stores `dtype`. */
export function matchesDType(dtype: DType, data: ArrayBufferView): boolean {
  return data instanceof info(dtype).ctor;
}

// ---- float16 / bfloat16 bit conversions -------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Converts IEEE half-precision bits to a number. */
export function float16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Converts a number to IEEE half-precision bits, rounding to nearest even (as numpy does). */
export function numberToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  e = half >>> 10;
  return sign | half;
}

/** Converts bfloat16 bits to a number. */
export function bfloat16BitsToNumber(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0]!;
}

/** Converts a number to bfloat16 bits, rounding to nearest even. */
export function numberToBfloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return ((x >>> 16) | 0x40) & 0xffff;
  const lsb = (x >>> 16) & 1;
  return ((x + 0x7fff + lsb) >>> 16) & 0xffff;
}
