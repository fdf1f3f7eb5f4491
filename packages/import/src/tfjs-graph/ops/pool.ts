/**
 * Pooling, reductions and resizing. Pools and Resize run in NCHW; reductions work in any stored
 * layout (their axes are mapped to stored axes).
 * @module
 */
import { attrBool, attrDType, attrInts } from '../attrs.js';
import { int64, shapeOf, type Value } from '../builder.js';
import { axisOf, type ConvertContext, type Converter, constInts, inputAt, nodeError } from '../context.js';
import type { Perm } from '../layout.js';
import { castTo } from './elementwise.js';
import { padsFor, spatialAttrs } from './spatial.js';

function pool(opType: 'MaxPool' | 'AveragePool'): Converter {
  return (ctx) => {
    const sp = spatialAttrs(ctx);
    const k = attrInts(ctx.node, 'ksize', [1, 1, 1, 1]);
    const kernel = sp.nchw ? [k[2]!, k[3]!] : [k[1]!, k[2]!];
    const xs = ctx.b.as(inputAt(ctx, 0), sp.perm, ctx.node.name);
    const [, , h, w] = shapeOf(xs);
    const attrs: Record<string, number | number[]> = {
      kernel_shape: kernel,
      strides: sp.strides,
      pads: padsFor(ctx, { ...sp, dilations: [1, 1] }, [h!, w!], kernel),
    };
    // TF averages over the window's valid pixels only; that is ONNX's count_include_pad = 0.
    if (opType === 'AveragePool') attrs.count_include_pad = 0;
    return [{ t: ctx.b.emit1(opType, [xs], attrs, ctx.node.name), perm: sp.perm }];
  };
}

/** Stored axes for logical `axes`, and the stored layout of the result after dropping them. */
export function reducedLayout(
  perm: Perm,
  axes: readonly number[],
  keep: boolean,
): { stored: number[]; perm: number[] } {
  const stored = axes.map((a) => perm.indexOf(a)).sort((x, y) => x - y);
  if (keep) return { stored, perm: [...perm] };
  const kept = perm.filter((a) => !axes.includes(a));
  const out = kept.map((a) => a - axes.filter((r) => r < a).length);
  return { stored, perm: out };
}

function reduction(opType: string): Converter {
  return (ctx) => {
    const x = inputAt(ctx, 0);
    const rank = x.perm.length;
    const axes = [...new Set(constInts(ctx, 1, 'reduction_indices').map((a) => axisOf(ctx, a, rank)))];
    const keep = attrBool(ctx.node, 'keep_dims', false);
    const { stored, perm } = reducedLayout(x.perm, axes, keep);
    if (axes.length === 0) return [x];
    let input = x.t;
    const bool = opType === 'All' || opType === 'Any';
    if (bool) input = castTo(ctx.b, input, 'int32', ctx.node.name);
    const onnxOp = {
      Mean: 'ReduceMean',
      Sum: 'ReduceSum',
      Max: 'ReduceMax',
      Min: 'ReduceMin',
      Prod: 'ReduceProd',
      All: 'ReduceMin',
      Any: 'ReduceMax',
    }[opType]!;
    let y = ctx.b.emit1(onnxOp, [input, int64(stored)], { keepdims: keep ? 1 : 0 }, ctx.node.name);
    if (bool) y = castTo(ctx.b, y, 'bool', ctx.node.name);
    return [{ t: y, perm }];
  };
}

function argReduce(opType: 'ArgMax' | 'ArgMin'): Converter {
  return (ctx) => {
    const x = inputAt(ctx, 0);
    const axis = axisOf(ctx, constInts(ctx, 1, 'dimension')[0]!, x.perm.length);
    const { stored, perm } = reducedLayout(x.perm, [axis], false);
    const y = ctx.b.emit1(opType, [x.t], { axis: stored[0]!, keepdims: 0 }, ctx.node.name);
    return [{ t: castTo(ctx.b, y, attrDType(ctx.node, 'output_type', 'int64'), ctx.node.name), perm }];
  };
}

function resize(mode: 'linear' | 'nearest'): Converter {
  return (ctx: ConvertContext): Value[] => {
    const size = constInts(ctx, 1, 'size');
    if (size.length !== 2) throw nodeError(ctx, `size must have 2 entries, got ${size.length}`);
    const alignCorners = attrBool(ctx.node, 'align_corners', false);
    const halfPixel = attrBool(ctx.node, 'half_pixel_centers', false);
    // TF.js: align_corners maps corner to corner; half_pixel_centers samples pixel centres
    // (nearest then floors, which ONNX's half_pixel + round_prefer_ceil reproduces).
    const coordinate = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
    const nearest = alignCorners || halfPixel ? 'round_prefer_ceil' : 'floor';
    const perm = [0, 3, 1, 2];
    const xs = ctx.b.as(inputAt(ctx, 0), perm, ctx.node.name);
    const [n, c] = shapeOf(xs);
    const attrs: Record<string, string | number[]> = { mode, coordinate_transformation_mode: coordinate };
    if (mode === 'nearest') attrs.nearest_mode = nearest;
    let sizes: number[];
    if (typeof n === 'number' && typeof c === 'number') sizes = [n, c, size[0]!, size[1]!];
    else {
      sizes = size;
      attrs.axes = [2, 3];
    }
    const y = ctx.b.emit1('Resize', [xs, undefined, undefined, int64(sizes)], attrs, ctx.node.name);
    return [{ t: y, perm }];
  };
}

/** Converters of the pooling, reduction and resize TF ops. */
export const POOL_CONVERTERS: Readonly<Record<string, Converter>> = {
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
  Mean: reduction('Mean'),
  Sum: reduction('Sum'),
  Max: reduction('Max'),
  Min: reduction('Min'),
  Prod: reduction('Prod'),
  All: reduction('All'),
  Any: reduction('Any'),
  ArgMax: argReduce('ArgMax'),
  ArgMin: argReduce('ArgMin'),
  ResizeBilinear: resize('linear'),
  ResizeNearestNeighbor: resize('nearest'),
};
