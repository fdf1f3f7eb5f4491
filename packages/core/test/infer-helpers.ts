/**
 * Test helpers of the op schemas' shape inference: build shape-only and constant inputs, run a
 * schema's `infer` with its attribute defaults applied, and catch the typed error it throws.
 */
import {
  type Attributes,
  type Dim,
  type DType,
  getOpSchema,
  OcularError,
  resolveAttrs,
  Tensor,
  type TensorInfo,
} from '../src/index.js';

/** A shape-only input. */
export function sym(shape: readonly Dim[], dtype: DType = 'float32'): TensorInfo {
  return { dtype, shape };
}

/** A constant input of `dtype` (1-D unless dims are given; int64 values are made bigints). */
export function constant(dtype: DType, values: readonly number[], dims?: readonly number[]): TensorInfo {
  const t = Tensor.from(
    dtype,
    dtype === 'int64' ? values.map((v) => BigInt(v)) : values,
    dims ?? [values.length],
  );
  return { dtype, shape: t.dims, value: t };
}

/** A constant int64 input. */
export function c64(values: readonly number[], dims?: readonly number[]): TensorInfo {
  return constant('int64', values, dims);
}

/** Runs a schema's inference with defaults applied. */
export function infer(
  op: string,
  inputs: readonly (TensorInfo | undefined)[],
  attrs: Attributes = {},
  numOutputs = 1,
) {
  const schema = getOpSchema(op);
  return schema.infer({ opType: op, inputs, attrs: resolveAttrs(schema, attrs), numOutputs });
}

/** The first output's shape. */
export function shape(
  op: string,
  inputs: readonly (TensorInfo | undefined)[],
  attrs: Attributes = {},
): Dim[] {
  return [...infer(op, inputs, attrs)[0]!.shape];
}

/** Output shapes of {@link infer}. */
export function shapes(
  op: string,
  inputs: readonly (TensorInfo | undefined)[],
  attrs: Attributes = {},
  numOutputs = 1,
) {
  return infer(op, inputs, attrs, numOutputs).map((o) => o.shape);
}

/** The typed error inference throws (anything else is rethrown). */
export function inferError(fn: () => unknown): OcularError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OcularError) return e;
    throw e;
  }
  throw new Error('expected inference to fail');
}
