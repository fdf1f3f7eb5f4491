/**
 * Activation layers: ReLU, LeakyReLU, PReLU, ELU, ThresholdedReLU, Softmax.
 * @module
 */
import { Tensor } from '@ocular/core';
import type { LayerConverter } from '../context.js';
import { permute, storedAxis } from '../layout.js';

/** ReLU with optional `max_value` (Keras's negative_slope / threshold must be 0). */
export const relu: LayerConverter = (ctx, [x]) => {
  if (ctx.get('negative_slope', 0) !== 0 || ctx.get('threshold', 0) !== 0) {
    ctx.fail('negative_slope and threshold other than 0 are not supported');
  }
  const max = ctx.get<number | null>('max_value', null);
  if (max === null) return [ctx.op('Relu', [x!])];
  return [ctx.op('Clip', [x!, Tensor.from(x!.dtype, [0], []), Tensor.from(x!.dtype, [max], [])])];
};

/** LeakyReLU (`alpha`, Keras 3 `negative_slope`; default 0.3). */
export const leakyRelu: LayerConverter = (ctx, [x]) => [
  ctx.op('LeakyRelu', [x!], { alpha: ctx.get('alpha', ctx.get('negative_slope', 0.3)) }),
];

/** ELU with `alpha` (default 1). */
export const elu: LayerConverter = (ctx, [x]) => [ctx.op('Elu', [x!], { alpha: ctx.get('alpha', 1) })];

/** ThresholdedReLU: `x` where `x > theta`, else 0. */
export const thresholdedRelu: LayerConverter = (ctx, [x]) => {
  const theta = Tensor.from(x!.dtype, [ctx.get('theta', 1)], []);
  return [ctx.op('Where', [ctx.op('Greater', [x!, theta]), x!, Tensor.from(x!.dtype, [0], [])])];
};

/** PReLU: the learned `alpha` (Keras shape = input shape without batch) rearranged to the stored layout. */
export const prelu: LayerConverter = (ctx, [x]) => {
  const alpha = ctx.weight('alpha', {
    id: `r${x!.rank}`,
    convert: (t) => (x!.rank === 4 && t.rank === 3 ? permute(t, [2, 0, 1]) : t),
  });
  return [ctx.op('PRelu', [x!, alpha])];
};

/** Softmax layer over `axis` (default -1, the channel axis for rank-4 values). */
export const softmax: LayerConverter = (ctx, [x]) => {
  const a = ctx.config.axis;
  const axis = Array.isArray(a)
    ? a.length === 1
      ? (a[0] as number)
      : ctx.fail('softmax over several axes is not supported')
    : ((a as number | undefined) ?? -1);
  return [ctx.op('Softmax', [x!], { axis: storedAxis(axis, x!.rank) })];
};
