/**
 * Shared reading of TF spatial-op attributes: data format, strides, dilations and padding
 * (SAME / VALID / EXPLICIT) turned into ONNX's explicit `pads`.
 * @module
 */
import type { Dim } from '@ocular/core';
import { attrInts, attrString } from '../attrs.js';
import { type ConvertContext, nodeError } from '../context.js';
import { NHWC_TO_NCHW, type Perm } from '../layout.js';

/** The spatial attributes of a 2-D TF op, in NCHW order for ONNX. */
export interface Spatial2d {
  /** `true` when the TF op works on NCHW tensors. */
  readonly nchw: boolean;
  /** Stored layout of the op's data input and output (NCHW either way). */
  readonly perm: Perm;
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly padding: string;
  /** EXPLICIT padding as [top, left, bottom, right]. */
  readonly explicit?: number[];
}

/** Reads `data_format`, `strides`, `dilations`, `padding` and `explicit_paddings`. */
export function spatialAttrs(ctx: ConvertContext, stridesAttr = 'strides'): Spatial2d {
  const nchw = attrString(ctx.node, 'data_format', 'NHWC') === 'NCHW';
  const [h, w] = nchw ? [2, 3] : [1, 2];
  const s = attrInts(ctx.node, stridesAttr, [1, 1, 1, 1]);
  const d = attrInts(ctx.node, 'dilations', [1, 1, 1, 1]);
  const padding = attrString(ctx.node, 'padding', 'VALID');
  let explicit: number[] | undefined;
  if (padding === 'EXPLICIT') {
    const e = attrInts(ctx.node, 'explicit_paddings', []);
    if (e.length !== 8) throw nodeError(ctx, `explicit_paddings must have 8 entries, got ${e.length}`);
    explicit = [e[2 * h]!, e[2 * w]!, e[2 * h + 1]!, e[2 * w + 1]!];
  } else if (padding !== 'SAME' && padding !== 'VALID') {
    throw nodeError(ctx, `padding '${padding}' is not supported`);
  }
  return {
    nchw,
    perm: nchw ? [0, 1, 2, 3] : NHWC_TO_NCHW,
    strides: [s[h]!, s[w]!],
    dilations: [d[h]!, d[w]!],
    padding,
    explicit,
  };
}

/**
 * ONNX pads `[top, left, bottom, right]` reproducing TF's padding for input spatial dims `size`
 * (SAME puts the odd pixel at the end, as ONNX SAME_UPPER does).
 */
export function padsFor(
  ctx: ConvertContext,
  sp: Spatial2d,
  size: readonly Dim[],
  kernel: readonly number[],
): number[] {
  if (sp.explicit) return sp.explicit;
  if (sp.padding === 'VALID') return [0, 0, 0, 0];
  const before: number[] = [];
  const after: number[] = [];
  for (let i = 0; i < 2; i++) {
    const n = size[i];
    if (typeof n !== 'number') throw nodeError(ctx, 'SAME padding needs static spatial dims');
    const s = sp.strides[i]!;
    const eff = (kernel[i]! - 1) * sp.dilations[i]! + 1;
    const total = Math.max((Math.ceil(n / s) - 1) * s + eff - n, 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  }
  return [...before, ...after];
}
