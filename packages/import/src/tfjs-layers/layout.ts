/**
 * The layout convention (rank-4 values stored NCHW, others in Keras order) and host-side weight
 * rearrangement.
 * @module
 */
import { type Dim, type SymbolicTensor, Tensor } from '@ocular/core';
import type { LayerContext } from './context.js';

/** Keras NHWC → stored NCHW. */
export const TO_NCHW = [0, 3, 1, 2] as const;
/** Stored NCHW → Keras NHWC. */
export const TO_NHWC = [0, 2, 3, 1] as const;

/** Maps a Keras axis (may be negative) of a rank-`rank` value to the stored axis. */
export function storedAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  return rank === 4 ? TO_NHWC[a]! : a;
}

/** The Keras-ordered view of a stored value (a Transpose for rank 4). */
export function toKeras(ctx: LayerContext, t: SymbolicTensor): SymbolicTensor {
  return t.rank === 4 ? ctx.op('Transpose', [t], { perm: TO_NHWC }) : t;
}

/** Stores a Keras-ordered value (a Transpose for rank 4). */
export function fromKeras(ctx: LayerContext, t: SymbolicTensor): SymbolicTensor {
  return t.rank === 4 ? ctx.op('Transpose', [t], { perm: TO_NCHW }) : t;
}

/** Keras-order shape of a stored value. */
export function kerasShape(t: SymbolicTensor): Dim[] {
  return t.rank === 4 ? TO_NHWC.map((i) => t.shape[i]!) : [...t.shape];
}

/** A host tensor with its axes permuted (`out.dims[i] = t.dims[perm[i]]`). */
export function permute(t: Tensor, perm: readonly number[]): Tensor {
  const dims = perm.map((p) => t.dims[p]!);
  const inStrides = new Array<number>(t.rank);
  let acc = 1;
  for (let i = t.rank - 1; i >= 0; i--) {
    inStrides[i] = acc;
    acc *= t.dims[i]!;
  }
  const stride = perm.map((p) => inStrides[p]!);
  const out = Tensor.zeros(t.dtype, dims);
  const src = t.data as ArrayLike<number>;
  const dst = out.data as unknown as { [i: number]: number };
  const idx = new Array<number>(dims.length).fill(0);
  const n = out.size;
  let off = 0;
  for (let i = 0; i < n; i++) {
    dst[i] = src[off]!;
    // Odometer increment over the output index, tracking the input offset.
    for (let d = dims.length - 1; d >= 0; d--) {
      idx[d]!++;
      off += stride[d]!;
      if (idx[d]! < dims[d]!) break;
      off -= stride[d]! * dims[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/** Begin/end padding of one spatial dim for TF's 'same' (extra padding goes at the end). */
export function samePads(
  size: Dim,
  kernel: number,
  stride: number,
  dilation: number,
): [number, number] | undefined {
  const k = (kernel - 1) * dilation + 1;
  let total: number;
  if (stride === 1) total = k - 1;
  else if (typeof size === 'number') {
    const out = Math.ceil(size / stride);
    total = Math.max((out - 1) * stride + k - size, 0);
  } else return undefined;
  const begin = Math.floor(total / 2);
  return [begin, total - begin];
}

/** A `[n, n]` pair from a number or a list (Keras allows both for sizes, strides and rates). */
export function pair(v: unknown, fallback: number): [number, number] {
  if (v === undefined || v === null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  const a = v as number[];
  return [a[0]!, a[1] ?? a[0]!];
}

/**
 * Window attributes (pads or auto_pad) for a 2-D window op with Keras padding `padding` over
 * the stored NCHW value `x`.
 */
export function windowAttrs(
  ctx: LayerContext,
  x: SymbolicTensor,
  padding: string,
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number] = [1, 1],
): Record<string, number[] | string> {
  if (padding === 'valid') return { pads: [0, 0, 0, 0] };
  if (padding !== 'same') ctx.fail(`padding '${padding}' is not supported (expected 'same' or 'valid')`);
  const h = samePads(x.shape[2]!, kernel[0], strides[0], dilations[0]);
  const w = samePads(x.shape[3]!, kernel[1], strides[1], dilations[1]);
  // Unknown spatial size with stride > 1: ONNX SAME_UPPER pads exactly as TF does (extra at the end).
  if (h === undefined || w === undefined) return { auto_pad: 'SAME_UPPER' };
  return { pads: [h[0], w[0], h[1], w[1]] };
}
