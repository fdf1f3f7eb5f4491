/**
 * Shape inference on concrete kernel inputs: every kernel asks the op's schema for its output
 * types (inputs passed with their values attached), so the shape rules live once, in core.
 * @module
 */
import {
  type Attributes,
  BackendError,
  type Dim,
  type DType,
  opUtil,
  sizeOf,
  type Tensor,
  type TensorInfo,
} from '@ocular/core';
import type { KernelContext } from './types.js';

/** dtype and static dims of one output, as the op's schema computes them. */
export interface InferredOutput {
  readonly dtype: DType;
  readonly dims: number[];
  /** Folded value, when the schema computed one. */
  readonly value?: Tensor;
}

/** Options of {@link inferOutputs}. */
export interface InferOptions {
  /**
   * Refuse outputs over the allocation limits right away, before a kernel builds index maps or
   * allocates for them (kernels that allocate through a checked helper anyway leave this off).
   */
  readonly checkAllocation?: boolean;
}

/** The schema's raw answer for concrete inputs: runs its checks, may leave dims symbolic. */
function runInfer(
  inputs: readonly (Tensor | undefined)[],
  attrs: Attributes,
  ctx: KernelContext,
): readonly TensorInfo[] {
  return ctx.schema.infer({
    opType: ctx.node.opType,
    inputs: inputs.map((t) => t && { dtype: t.dtype, shape: t.dims, value: t }),
    attrs,
    numOutputs: ctx.numOutputs,
  });
}

/** Runs the op's shape inference on concrete inputs and returns each output's dtype and static dims. */
export function inferOutputs(
  inputs: readonly (Tensor | undefined)[],
  attrs: Attributes,
  ctx: KernelContext,
  options: InferOptions = {},
): InferredOutput[] {
  return runInfer(inputs, attrs, ctx).map((info, i) => {
    const dims = info.shape.map((d: Dim) => {
      if (typeof d !== 'number')
        throw new BackendError(`output ${i} of ${ctx.node.opType} has a symbolic dim '${d}'`);
      return d;
    });
    if (options.checkAllocation)
      opUtil.checkAllocation(sizeOf(dims), info.dtype, `${ctx.node.opType} output ${i}`);
    return { dtype: info.dtype, dims, value: info.value };
  });
}

/** Runs the op's shape inference on concrete inputs only for its checks (outputs may be data dependent). */
export function checkInputs(
  inputs: readonly (Tensor | undefined)[],
  attrs: Attributes,
  ctx: KernelContext,
): void {
  runInfer(inputs, attrs, ctx);
}
