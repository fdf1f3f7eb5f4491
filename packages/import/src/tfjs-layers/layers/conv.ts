/**
 * Convolution layers: Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose. Kernels are
 * rearranged once at import from TF's HWIO layouts to ONNX's.
 * @module
 */
import type { SymbolicTensor, Tensor } from '@ocular/core';
import { applyActivation } from '../activations.js';
import type { LayerContext, LayerConverter } from '../context.js';
import { pair, permute, windowAttrs } from '../layout.js';

/** HWIO (`[kh, kw, in/groups, out]`) → OIHW. */
const HWIO_TO_OIHW = { id: 'oihw', convert: (t: Tensor) => permute(t, [3, 2, 0, 1]) };
/** Depthwise `[kh, kw, in, mult]` → `[in·mult, 1, kh, kw]` (output channel c·mult + m, as TF orders it). */
const DEPTHWISE_TO_OIHW = {
  id: 'dw',
  convert: (t: Tensor) => {
    const [kh, kw, c, m] = t.dims as [number, number, number, number];
    return permute(t, [2, 3, 0, 1]).reshape([c * m, 1, kh, kw]);
  },
};
/** Conv2DTranspose `[kh, kw, out, in]` → ONNX ConvTranspose `[in, out, kh, kw]`. */
const TRANSPOSED_TO_IOHW = { id: 'iohw', convert: (t: Tensor) => permute(t, [3, 2, 0, 1]) };

function checkFormat(ctx: LayerContext): void {
  const f = ctx.get('data_format', 'channels_last');
  if (f !== 'channels_last') ctx.fail(`data_format '${f}' is not supported (TF.js models are channels_last)`);
}

/** Bias (when `use_bias`) and activation after a convolution-like layer. */
function finish(ctx: LayerContext, y: SymbolicTensor): SymbolicTensor {
  return applyActivation(ctx, y, ctx.config.activation);
}

/** Conv2D: groups, strides, dilation, same/valid padding (explicit pads where the size is known). */
export const conv2d: LayerConverter = (ctx, [x]) => {
  checkFormat(ctx);
  const kernel = pair(ctx.config.kernel_size, 1);
  const strides = pair(ctx.config.strides, 1);
  const dil = pair(ctx.config.dilation_rate, 1);
  const w = ctx.weight('kernel', HWIO_TO_OIHW);
  const b = ctx.get('use_bias', true) ? ctx.weight('bias') : undefined;
  const y = ctx.op('Conv', [x!, w, b], {
    kernel_shape: kernel,
    strides,
    dilations: dil,
    group: ctx.get('groups', 1),
    ...windowAttrs(ctx, x!, ctx.get('padding', 'valid'), kernel, strides, dil),
  });
  return [finish(ctx, y)];
};

/** The depthwise part shared by DepthwiseConv2D and SeparableConv2D. */
function depthwise(ctx: LayerContext, x: SymbolicTensor, bias: Tensor | undefined): SymbolicTensor {
  const kernel = pair(ctx.config.kernel_size, 1);
  const strides = pair(ctx.config.strides, 1);
  const dil = pair(ctx.config.dilation_rate, 1);
  const w = ctx.weight('depthwise_kernel', DEPTHWISE_TO_OIHW);
  // One group per input channel: the raw kernel's third dim (configs may omit depth_multiplier).
  const channels = ctx.optionalWeight('depthwise_kernel')!.dims[2]!;
  return ctx.op('Conv', [x, w, bias], {
    kernel_shape: kernel,
    strides,
    dilations: dil,
    group: channels,
    ...windowAttrs(ctx, x, ctx.get('padding', 'valid'), kernel, strides, dil),
  });
}

/** DepthwiseConv2D: a grouped Conv with one group per input channel. */
export const depthwiseConv2d: LayerConverter = (ctx, [x]) => {
  checkFormat(ctx);
  const b = ctx.get('use_bias', true) ? ctx.weight('bias') : undefined;
  return [finish(ctx, depthwise(ctx, x!, b))];
};

/** SeparableConv2D: depthwise Conv (strides, padding, dilation), then a 1×1 pointwise Conv with the bias. */
export const separableConv2d: LayerConverter = (ctx, [x]) => {
  checkFormat(ctx);
  const dw = depthwise(ctx, x!, undefined);
  const pw = ctx.weight('pointwise_kernel', HWIO_TO_OIHW);
  const b = ctx.get('use_bias', true) ? ctx.weight('bias') : undefined;
  const y = ctx.op('Conv', [dw, pw, b], { kernel_shape: [1, 1], pads: [0, 0, 0, 0] });
  return [finish(ctx, y)];
};

/**
 * Conv2DTranspose. 'valid': output `(in-1)·s + k`. 'same': output `in·s`, cropping
 * `max(k - s, 0)` split begin = floor(half) as TF does, or padding the end by `s - k` when k < s.
 */
export const conv2dTranspose: LayerConverter = (ctx, [x]) => {
  checkFormat(ctx);
  const kernel = pair(ctx.config.kernel_size, 1);
  const strides = pair(ctx.config.strides, 1);
  const dil = pair(ctx.config.dilation_rate, 1);
  if (dil[0] !== 1 || dil[1] !== 1)
    ctx.fail('dilation_rate other than 1 is not supported for Conv2DTranspose');
  if (ctx.config.output_padding !== undefined && ctx.config.output_padding !== null) {
    ctx.fail('output_padding is not supported');
  }
  const w = ctx.weight('kernel', TRANSPOSED_TO_IOHW);
  const b = ctx.get('use_bias', true) ? ctx.weight('bias') : undefined;
  const padding = ctx.get<string>('padding', 'valid');
  const pads = [0, 0, 0, 0];
  const outPad = [0, 0];
  if (padding === 'same') {
    for (let i = 0; i < 2; i++) {
      const total = Math.max(kernel[i]! - strides[i]!, 0);
      pads[i] = Math.floor(total / 2);
      pads[i + 2] = total - pads[i]!;
      outPad[i] = Math.max(strides[i]! - kernel[i]!, 0);
    }
  } else if (padding !== 'valid') ctx.fail(`padding '${padding}' is not supported`);
  const y = ctx.op('ConvTranspose', [x!, w, b], {
    kernel_shape: kernel,
    strides,
    pads,
    ...(outPad[0] || outPad[1] ? { output_padding: outPad } : {}),
  });
  return [finish(ctx, y)];
};
