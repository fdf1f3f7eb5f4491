/**
 * Constant folding for the layout ops' shape inference. When every input an op reads is a
 * known constant, some schemas also return the output's value, so traced code (and imported
 * ONNX graphs) can feed `Shape → Gather → Concat → Reshape` chains into ops that need their
 * shape-like inputs at trace time. Only cheap cases fold: views of a known value, and small
 * integer tensors.
 * @module
 */
import type { DType } from '../dtype.js';
import type { Dim } from '../ir/graph.js';
import { Tensor } from '../tensor.js';

/** Largest output (in elements) a schema computes at trace time when it is not a plain view. */
export const FOLD_LIMIT = 4096;

/** True when every dim is a number. */
export function isStaticShape(shape: readonly Dim[]): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

/** `value` viewed with a new static shape (shares the data); undefined when either is unknown. */
export function foldView(value: Tensor | undefined, shape: readonly Dim[]): Tensor | undefined {
  if (!value || !isStaticShape(shape)) return undefined;
  return new Tensor(value.dtype, value.data, shape);
}

/** An int64 tensor of small integers. */
export function int64Tensor(values: readonly number[], dims: readonly number[] = [values.length]): Tensor {
  return Tensor.from(
    'int64',
    values.map((v) => BigInt(v)),
    dims,
  );
}

/** True for the dtypes shape arithmetic uses, which are worth folding. */
export function isFoldableInt(dtype: DType): boolean {
  return dtype === 'int64' || dtype === 'int32';
}
