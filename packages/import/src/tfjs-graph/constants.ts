/**
 * Const nodes: their value comes from the weights (tfjs-converter moves every constant there) or,
 * in hand-written GraphDefs, from the node's inline tensor. The weights store DT_INT64 constants
 * as int32, so values are cast to the node's declared dtype.
 * @module
 */
import { type DType, Tensor } from '@ocular/core';
import { ImportError } from '../errors.js';
import { shapeDims, tfDType } from './attrs.js';
import type { TfNodeDef, TfTensorProto } from './types.js';

function base64Bytes(s: string): Uint8Array {
  if (typeof Buffer !== 'undefined') {
    const b = Buffer.from(s, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

/** A tensor proto's value (tensor_content bytes, or repeated values with the last one repeated). */
export function parseTensorProto(proto: TfTensorProto, where: string): Tensor {
  const dtype = tfDType(proto.dtype, where);
  const dims = shapeDims(proto.tensorShape) ?? [];
  if (dims.some((d) => d < 0))
    throw new ImportError(`${where}: constant has unknown dims [${dims.join(', ')}]`);
  const size = dims.reduce((a, d) => a * d, 1);
  if (proto.tensorContent !== undefined) {
    const bytes = base64Bytes(proto.tensorContent);
    const copy = bytes.slice().buffer;
    const view =
      dtype === 'float32'
        ? new Float32Array(copy)
        : dtype === 'int32'
          ? new Int32Array(copy)
          : dtype === 'int64'
            ? new BigInt64Array(copy)
            : dtype === 'float64'
              ? new Float64Array(copy)
              : dtype === 'bool' || dtype === 'uint8'
                ? new Uint8Array(copy)
                : undefined;
    if (!view) throw new ImportError(`${where}: inline ${dtype} tensor_content is not supported`);
    if (view.length !== size)
      throw new ImportError(
        `${where}: tensor_content has ${view.length} values for shape [${dims.join(', ')}]`,
      );
    return new Tensor(dtype, view as never, dims);
  }
  const raw: (number | string | boolean)[] =
    proto.floatVal ??
    proto.doubleVal ??
    proto.intVal ??
    proto.int64Val ??
    proto.boolVal ??
    proto.halfVal ??
    [];
  const values = Array.from({ length: size }, (_, i) => {
    const v = raw[Math.min(i, raw.length - 1)] ?? 0;
    return typeof v === 'string' ? Number(v) : v;
  });
  return Tensor.from(dtype, values, dims);
}

/** Converts a host tensor's dtype (integer and float conversions only; bool is v != 0). */
export function castTensor(t: Tensor, to: DType): Tensor {
  if (t.dtype === to) return t;
  const nums = t.toNumbers();
  return Tensor.from(to, to === 'bool' ? nums.map((v) => v !== 0) : nums, t.dims);
}

/** The value of a Const node. */
export function constValue(node: TfNodeDef, weights: ReadonlyMap<string, Tensor>): Tensor {
  const where = `node '${node.name}' (Const)`;
  const declared = node.attr?.dtype?.type ?? node.attr?.value?.tensor?.dtype;
  const dtype = tfDType(declared, where);
  const w = weights.get(node.name);
  if (w) return castTensor(w, dtype);
  const proto = node.attr?.value?.tensor;
  if (!proto)
    throw new ImportError(`${where}: the weights have no entry for this constant and it has no inline value`);
  return castTensor(parseTensorProto(proto, where), dtype);
}
