/**
 * Core layers: Dense, Activation, identity layers (Dropout and friends), Reshape, Flatten, Permute,
 * Rescaling.
 * @module
 */
import { Tensor } from '@ocular/core';
import { applyActivation } from '../activations.js';
import type { LayerConverter } from '../context.js';
import { fromKeras, toKeras } from '../layout.js';

/** Dense: `x · kernel + bias` over the last Keras axis (NHWC view for rank-4 inputs). */
export const dense: LayerConverter = (ctx, [x]) => {
  const k = toKeras(ctx, x!);
  let y = ctx.op('MatMul', [k, ctx.weight('kernel')]);
  if (ctx.get('use_bias', true)) y = ctx.op('Add', [y, ctx.weight('bias')]);
  return [applyActivation(ctx, fromKeras(ctx, y), ctx.config.activation)];
};

/** Activation layer. */
export const activation: LayerConverter = (ctx, [x]) => [applyActivation(ctx, x!, ctx.config.activation)];

/** Layers that are the identity at inference (Dropout, noise, regularisation). */
export const identity: LayerConverter = (_ctx, [x]) => [x!];

/** Reshape to `[batch, ...target_shape]` in Keras order. */
export const reshape: LayerConverter = (ctx, [x]) => {
  const target = ctx.config.target_shape;
  if (!Array.isArray(target)) ctx.fail('has no target_shape');
  const shape = Tensor.from('int64', [0, ...(target as number[]).map((d) => (d === null ? -1 : d))]);
  return [fromKeras(ctx, ctx.op('Reshape', [toKeras(ctx, x!), shape]))];
};

/** Flatten in Keras (NHWC) element order. */
export const flatten: LayerConverter = (ctx, [x]) => {
  if (ctx.get('data_format', 'channels_last') !== 'channels_last')
    ctx.fail('data_format channels_first is not supported');
  return [ctx.op('Flatten', [toKeras(ctx, x!)], { axis: 1 })];
};

/** Permute (Keras `dims` are 1-based and exclude the batch axis). */
export const permuteLayer: LayerConverter = (ctx, [x]) => {
  const dims = ctx.config.dims;
  if (!Array.isArray(dims)) ctx.fail('has no dims');
  return [fromKeras(ctx, ctx.op('Transpose', [toKeras(ctx, x!)], { perm: [0, ...(dims as number[])] }))];
};

/** Rescaling: `x · scale + offset` (scalars, as TF.js and Keras preprocessing write them). */
export const rescaling: LayerConverter = (ctx, [x]) => {
  const scale = ctx.get('scale', 1);
  const offset = ctx.get('offset', 0);
  if (typeof scale !== 'number' || typeof offset !== 'number')
    ctx.fail('only scalar scale and offset are supported');
  let y = ctx.op('Mul', [x!, Tensor.from(x!.dtype, [scale], [])]);
  if (offset !== 0) y = ctx.op('Add', [y, Tensor.from(x!.dtype, [offset], [])]);
  return [y];
};
