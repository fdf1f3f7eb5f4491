/**
 * Conversion between ONNX `TensorProto` and host {@link Tensor}s. Element counts are checked
 * against the data actually present before anything is allocated, so a hostile `dims` field
 * cannot make the reader allocate more than the file holds.
 * @module
 */
import {
  allocate,
  bytesPerElement,
  type DType,
  dtypeFromOnnx,
  dtypeToOnnx,
  isDType,
  type TypedArray,
} from '../dtype.js';
import { env } from '../env.js';
import { OnnxError } from '../errors.js';
import { decodeLittleEndian, encodeLittleEndian, packedByteLength, unpackSubByte } from '../io/binary.js';
import { Tensor } from '../tensor.js';
import { DataLocation, type TensorProto, tensorProto } from './proto.js';

/** ONNX `TensorProto.DataType.STRING`. */
export const ONNX_STRING = 8;

const ONNX_TYPE_NAMES: Record<number, string> = {
  0: 'UNDEFINED',
  8: 'STRING',
  14: 'COMPLEX64',
  15: 'COMPLEX128',
};

/**
 * The dtype of an ONNX element type, or an {@link OnnxError} naming `what` (a tensor or value)
 * when Ocular has no such dtype (string, complex, undefined).
 */
export function dtypeOfOnnx(elemType: number, what: string): DType {
  if (elemType === ONNX_STRING)
    throw new OnnxError(`${what} has string elements; string tensors are not supported`);
  try {
    return dtypeFromOnnx(elemType);
  } catch {
    const n = ONNX_TYPE_NAMES[elemType] ?? String(elemType);
    throw new OnnxError(`${what} has ONNX element type ${n}, which Ocular does not support`);
  }
}

/** Element count of validated dims; throws when a dim is invalid or the count is not a safe integer. */
function elementCount(dims: readonly number[], what: string): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new OnnxError(`${what} has invalid dimension ${d}`);
    n *= d;
  }
  // A zero dim makes the product exact even if earlier partial products were huge.
  if (dims.includes(0)) return 0;
  if (!Number.isSafeInteger(n)) throw new OnnxError(`${what} has too many elements ([${dims.join(', ')}])`);
  return n;
}

function fieldFor(dtype: DType): 'floatData' | 'doubleData' | 'int64Data' | 'uint64Data' | 'int32Data' {
  switch (dtype) {
    case 'float32':
      return 'floatData';
    case 'float64':
      return 'doubleData';
    case 'int64':
      return 'int64Data';
    case 'uint32':
    case 'uint64':
      return 'uint64Data';
    default:
      // int8/16/32, uint8/16, bool, float16/bfloat16 (as bits), float8*/e8m0 (as bits) and the
      // packed sub-byte types (one packed byte per entry).
      return 'int32Data';
  }
}

const FIELD_NAMES = {
  floatData: 'float_data',
  doubleData: 'double_data',
  int64Data: 'int64_data',
  uint64Data: 'uint64_data',
  int32Data: 'int32_data',
} as const;

/**
 * Converts a decoded `TensorProto` into a {@link Tensor}. Throws {@link OnnxError} for string
 * and complex tensors, external or segmented data, and data whose size disagrees with `dims`.
 */
export function tensorFromProto(p: TensorProto): Tensor {
  const what = `tensor '${p.name}'`;
  if (p.dataLocation === DataLocation.EXTERNAL || p.externalData.length) {
    throw new OnnxError(`${what} stores its data externally; external data is not supported`);
  }
  if (p.segment) throw new OnnxError(`${what} is segmented; segmented tensors are not supported`);
  const dtype = dtypeOfOnnx(p.dataType, what);
  const numel = elementCount(p.dims, what);
  const dims = p.dims;
  // Varint-packed fields expand (1 byte on the wire can become an 8-byte int64), so bound the
  // host allocation as well as checking the count against the data present.
  if (numel * bytesPerElement(dtype) > env.maxAllocationBytes) {
    throw new OnnxError(
      `${what}: ${dtype}[${dims.join(', ')}] needs ${numel * bytesPerElement(dtype)} bytes, over env.maxAllocationBytes`,
    );
  }
  if (p.rawData) {
    const need = packedByteLength(dtype, numel);
    if (p.rawData.length !== need) {
      throw new OnnxError(
        `${what}: raw_data has ${p.rawData.length} bytes, ${dtype}[${dims.join(', ')}] needs ${need}`,
        { tensor: p.name, bytes: p.rawData.length, expected: need },
      );
    }
    return new Tensor(dtype, decodeLittleEndian(dtype, p.rawData, numel), dims);
  }
  const field = fieldFor(dtype);
  const src = p[field] as ArrayLike<number | bigint>;
  const subByte =
    dtype === 'int4' || dtype === 'uint4' || dtype === 'float4e2m1' || dtype === 'int2' || dtype === 'uint2';
  const need = subByte ? packedByteLength(dtype, numel) : numel;
  if (src.length !== need) {
    if (numel === 0 && src.length === 0) return Tensor.zeros(dtype, dims);
    throw new OnnxError(
      `${what}: ${FIELD_NAMES[field]} has ${src.length} values, ${dtype}[${dims.join(', ')}] needs ${need}`,
      { tensor: p.name, values: src.length, expected: need },
    );
  }
  let data: TypedArray;
  if (subByte) {
    data = unpackSubByte(dtype, src as ArrayLike<number>, numel);
  } else {
    data = allocate(dtype, numel);
    const out = data as unknown as { [i: number]: number | bigint };
    if (dtype === 'int64' || dtype === 'uint64') {
      for (let i = 0; i < numel; i++) out[i] = BigInt(src[i]!);
    } else if (dtype === 'uint32') {
      for (let i = 0; i < numel; i++) out[i] = Number(src[i]!);
    } else if (dtype === 'float16' || dtype === 'bfloat16') {
      for (let i = 0; i < numel; i++) out[i] = Number(src[i]!) & 0xffff;
    } else {
      // Typed-array assignment wraps/truncates as the dtype requires (bool, float8 bits, ints).
      for (let i = 0; i < numel; i++) out[i] = Number(src[i]!);
    }
  }
  return new Tensor(dtype, data, dims);
}

/** A `TensorProto` holding `tensor` as little-endian `raw_data` (sub-byte dtypes packed). */
export function tensorToProto(tensor: Tensor, name: string): TensorProto {
  if (!isDType(tensor.dtype))
    throw new OnnxError(`tensor '${name}' has unknown dtype ${String(tensor.dtype)}`);
  return tensorProto({
    name,
    dims: [...tensor.dims],
    dataType: dtypeToOnnx(tensor.dtype),
    rawData: encodeLittleEndian(tensor.dtype, tensor.data),
  });
}
