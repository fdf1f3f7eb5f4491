/**
 * The kernel contract of the reference backend.
 * @module
 */
import type { Attributes, Node, OpSchema, Tensor } from '@ocular/core';

/** What a kernel knows besides its inputs. */
export interface KernelContext {
  readonly node: Node;
  readonly schema: OpSchema;
  /** Number of outputs the node declares. */
  readonly numOutputs: number;
}

/**
 * Computes one node. `inputs` has `undefined` for omitted optional inputs; `attrs` has the
 * schema's defaults applied. Kernels compute output shapes with `ctx.schema.infer` (passing
 * inputs with their values) so the shape rules live once, in core.
 */
export type Kernel = (
  inputs: readonly (Tensor | undefined)[],
  attrs: Attributes,
  ctx: KernelContext,
) => Tensor[];
