/**
 * Activation kernels.
 * @module
 */
import { Tensor } from '@ocular/core';
import type { Kernel } from './types.js';

/** Applies `f` to every element of a float tensor, computing in float64 and rounding to the dtype. */
export function mapFloat(x: Tensor, f: (v: number) => number): Tensor {
  const vals = x.toNumbers();
  for (let i = 0; i < vals.length; i++) vals[i] = f(vals[i]!);
  return Tensor.from(x.dtype, vals, x.dims);
}

/** Activation kernels by op type. */
export const ACTIVATION_KERNELS: Record<string, Kernel> = {
  Relu: ([x]) => [mapFloat(x!, (v) => (v > 0 ? v : 0))],
};
