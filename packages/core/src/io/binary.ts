/**
 * Little-endian tensor bytes, shared by the file formats (ONNX `raw_data`, safetensors).
 * Sub-byte dtypes (int4/uint4/float4e2m1: 2 per byte; int2/uint2: 4 per byte) are packed
 * lowest bits first in files and held one element per byte in memory.
 * @module
 */
import { allocate, bitsPerElement, bytesPerElement, type DType, type TypedArray } from '../dtype.js';

/** True when this JS engine stores typed arrays little-endian (every mainstream one does). */
export const LITTLE_ENDIAN_HOST: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes `numel` elements of `dtype` take in a packed little-endian file. */
export function packedByteLength(dtype: DType, numel: number): number {
  const bits = bitsPerElement(dtype);
  return bits >= 8 ? numel * (bits / 8) : Math.ceil((numel * bits) / 8);
}

/** Bytes `numel` elements of `dtype` take in host memory. */
export function hostByteLength(dtype: DType, numel: number): number {
  return numel * bytesPerElement(dtype);
}

/**
 * Decodes `numel` elements of `dtype` from packed little-endian `bytes` into a new typed
 * array (always a copy, so the result is aligned and independent of the source buffer).
 * The caller must have checked `bytes.length === packedByteLength(dtype, numel)`.
 */
export function decodeLittleEndian(dtype: DType, bytes: Uint8Array, numel: number): TypedArray {
  const bits = bitsPerElement(dtype);
  if (bits < 8) return unpackSubByte(dtype, bytes, numel);
  const size = bytesPerElement(dtype);
  // Copy into a fresh buffer: the source may be unaligned, or a Node Buffer whose `slice`
  // returns a view of a shared pool instead of a copy.
  const copy = new Uint8Array(numel * size);
  copy.set(bytes.subarray(0, numel * size));
  if (!LITTLE_ENDIAN_HOST && size > 1) swapBytes(copy, size);
  const out = allocate(dtype, 0).constructor as new (b: ArrayBuffer, o: number, n: number) => TypedArray;
  return new out(copy.buffer, 0, numel);
}

/**
 * Little-endian bytes of a tensor's data, packing sub-byte dtypes. On little-endian hosts
 * byte-sized and wider dtypes return a view of `data`'s memory (no copy): treat it as
 * read-only.
 */
export function encodeLittleEndian(dtype: DType, data: TypedArray): Uint8Array {
  const bits = bitsPerElement(dtype);
  if (bits < 8) return packSubByte(dtype, data as ArrayLike<number>);
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN_HOST || bytesPerElement(dtype) === 1) return view;
  const copy = new Uint8Array(view.length);
  copy.set(view);
  swapBytes(copy, bytesPerElement(dtype));
  return copy;
}

/**
 * Unpacks sub-byte elements (lowest bits first) into one element per byte; int4/int2 are
 * sign-extended. `packed` holds one packed byte per entry (a Uint8Array, or ONNX `int32_data`).
 */
export function unpackSubByte(dtype: DType, packed: ArrayLike<number>, numel: number): TypedArray {
  const bits = bitsPerElement(dtype);
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const signed = dtype === 'int4' || dtype === 'int2';
  const half = 1 << (bits - 1);
  const out = allocate(dtype, numel) as Int8Array | Uint8Array;
  for (let i = 0; i < numel; i++) {
    const byte = packed[Math.floor(i / perByte)]! & 0xff;
    let v = (byte >> ((i % perByte) * bits)) & mask;
    if (signed && v >= half) v -= 1 << bits;
    out[i] = v;
  }
  return out;
}

/** Packs one-element-per-byte sub-byte values (lowest bits first); the last byte is zero-padded. */
export function packSubByte(dtype: DType, values: ArrayLike<number>): Uint8Array {
  const bits = bitsPerElement(dtype);
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const out = new Uint8Array(Math.ceil(values.length / perByte));
  for (let i = 0; i < values.length; i++) {
    out[Math.floor(i / perByte)]! |= (values[i]! & mask) << ((i % perByte) * bits);
  }
  return out;
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) {
    for (let j = 0, k = size - 1; j < k; j++, k--) {
      const t = b[i + j]!;
      b[i + j] = b[i + k]!;
      b[i + k] = t;
    }
  }
}
