/**
 * Pooling layers: MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D.
 * @module
 */
import type { LayerContext, LayerConverter } from '../context.js';
import { pair, windowAttrs } from '../layout.js';

function checkFormat(ctx: LayerContext): void {
  const f = ctx.get('data_format', 'channels_last');
  if (f !== 'channels_last') ctx.fail(`data_format '${f}' is not supported`);
}

/** A windowed pool; strides default to the pool size, as in Keras. 'same' average pooling excludes the padding, as TF does. */
function pool(op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return (ctx, [x]) => {
    checkFormat(ctx);
    const kernel = pair(ctx.config.pool_size, 2);
    const strides = pair(ctx.config.strides, kernel[0]);
    if (ctx.config.strides === null || ctx.config.strides === undefined) strides[1] = kernel[1];
    return [
      ctx.op(op, [x!], {
        kernel_shape: kernel,
        strides,
        ...windowAttrs(ctx, x!, ctx.get('padding', 'valid'), kernel, strides),
      }),
    ];
  };
}

/** MaxPooling2D. */
export const maxPooling2d = pool('MaxPool');
/** AveragePooling2D. */
export const averagePooling2d = pool('AveragePool');

/** Global pooling: `[N, C]` by default, `[N, 1, 1, C]` (stored `[N, C, 1, 1]`) with `keepdims`. */
function globalPool(op: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter {
  return (ctx, [x]) => {
    checkFormat(ctx);
    const y = ctx.op(op, [x!]);
    return [ctx.get('keepdims', false) ? y : ctx.op('Flatten', [y], { axis: 1 })];
  };
}

/** GlobalAveragePooling2D. */
export const globalAveragePooling2d = globalPool('GlobalAveragePool');
/** GlobalMaxPooling2D. */
export const globalMaxPooling2d = globalPool('GlobalMaxPool');
