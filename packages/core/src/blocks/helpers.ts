/**
 * Small helpers with timm's exact arithmetic: channel rounding and convolution padding.
 * @module
 */
import type { ConvOptions } from '../functional.js';

/**
 * Rounds `v` to a multiple of `divisor` (timm's `make_divisible`): nearest multiple, at least
 * `minValue` (default `divisor`), bumped up one step when rounding lost more than
 * `1 - roundLimit` of `v`.
 */
export function makeDivisible(v: number, divisor = 8, minValue?: number, roundLimit = 0.9): number {
  const min = minValue || divisor;
  let out = Math.max(min, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (out < roundLimit * v) out += divisor;
  return out;
}

/** Symmetric "same-ish" padding of a conv (timm's `get_padding`): `((s − 1) + d·(k − 1)) // 2`. */
export function getPadding(kernelSize: number, stride = 1, dilation = 1): number {
  return Math.floor((stride - 1 + dilation * (kernelSize - 1)) / 2);
}

/** Padding as timm's `create_conv2d` accepts it. */
export type TimmPadding = number | readonly number[] | '' | 'same' | 'valid';

function perDim(v: number | readonly number[], i: number): number {
  return typeof v === 'number' ? v : v[i]!;
}

/**
 * Resolves timm-style padding for a 2-D conv: `''` → {@link getPadding} per dim; `'same'` →
 * symmetric padding when that equals TensorFlow "SAME" (stride 1, even `d·(k − 1)`), otherwise
 * dynamic SAME (ONNX `SAME_UPPER`); `'valid'` → 0; numbers pass through.
 */
export function resolvePadding(
  padding: TimmPadding,
  kernelSize: number | readonly number[],
  stride: number | readonly number[] = 1,
  dilation: number | readonly number[] = 1,
): ConvOptions['padding'] {
  if (typeof padding === 'number' || Array.isArray(padding)) return padding as number | readonly number[];
  if (padding === 'valid') return 0;
  const dims = [0, 1].map((i) => ({
    k: perDim(kernelSize, i),
    s: perDim(stride, i),
    d: perDim(dilation, i),
  }));
  if (padding === 'same') {
    const isStatic = dims.every(({ k, s, d }) => s === 1 && (d * (k - 1)) % 2 === 0);
    if (!isStatic) return 'same';
  }
  return dims.map(({ k, s, d }) => getPadding(k, s, d));
}
