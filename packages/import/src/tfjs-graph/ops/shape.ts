/**
 * Shape and data-movement TF ops. Transpose costs nothing (it only changes the value's recorded
 * layout); Concat, Split, Pad, Slice, Tile, TopK and Squeeze work in the stored layout with their
 * axes mapped; Reshape, ExpandDims on permuted values, Gather and StridedSlice with new or shrunk
 * axes need the logical layout.
 * @module
 */
import { type DType, Tensor } from '@ocular/core';
import { attrDType, attrInt, attrInts, attrString } from '../attrs.js';
import { int64, logicalShape, type Operand, plain, shapeOf, type Value } from '../builder.js';
import {
  axisOf,
  type ConvertContext,
  type Converter,
  constInput,
  constInts,
  inputAt,
  nodeError,
} from '../context.js';
import { identityPerm, isIdentity, isMemoryOrderPreserving, permBetween } from '../layout.js';
import { aligned } from './align.js';
import { castTo } from './elementwise.js';
import { reducedLayout } from './pool.js';

/** "To the end" for Slice ends (ONNX clamps it to the dim). */
const END = Number.MAX_SAFE_INTEGER;

const reshape: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const shape = constInts(ctx, 1, 'shape');
  const stored = shapeOf(x.t);
  // When the stored order only differs by size-1 axes, the data is already in logical memory order.
  const direct =
    isIdentity(x.perm) || isMemoryOrderPreserving(stored, permBetween(x.perm, identityPerm(x.perm.length)));
  const src = direct ? x.t : ctx.b.logical(x, ctx.node.name);
  const attrs: Record<string, number> = shape.includes(0) ? { allowzero: 1 } : {};
  return [plain(ctx.b.emit1('Reshape', [src, int64(shape)], attrs, ctx.node.name))];
};

const transpose: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const p = constInts(ctx, 1, 'perm');
  if (p.length !== x.perm.length)
    throw nodeError(ctx, `perm has ${p.length} entries for a rank-${x.perm.length} input`);
  return [{ t: x.t, perm: permBetween(p, x.perm) }];
};

const squeeze: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const dims = logicalShape(x);
  const given = attrInts(ctx.node, 'squeeze_dims', attrInts(ctx.node, 'axis', []));
  const axes = given.length
    ? given.map((a) => axisOf(ctx, a, dims.length))
    : dims.flatMap((d, i) => (d === 1 ? [i] : []));
  const { stored, perm } = reducedLayout(x.perm, axes, false);
  if (!axes.length) return [x];
  return [{ t: ctx.b.emit1('Squeeze', [x.t, int64(stored)], {}, ctx.node.name), perm }];
};

const expandDims: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const rank = x.perm.length;
  const axis = axisOf(ctx, constInts(ctx, 1, 'dim')[0]!, rank + 1);
  if (isIdentity(x.perm)) return [plain(ctx.b.emit1('Unsqueeze', [x.t, int64([axis])], {}, ctx.node.name))];
  // Keep the stored order: the new axis goes last in storage.
  const perm = [...x.perm.map((a) => (a >= axis ? a + 1 : a)), axis];
  return [{ t: ctx.b.emit1('Unsqueeze', [x.t, int64([rank])], {}, ctx.node.name), perm }];
};

function concat(axisFirst: boolean): Converter {
  return (ctx) => {
    const n = ctx.inputs.length;
    const values = axisFirst ? ctx.inputs.slice(1) : ctx.inputs.slice(0, n - 1);
    const rawAxis = constInts(ctx, axisFirst ? 0 : n - 1, 'axis')[0]!;
    if (values.length === 1) return [values[0]!];
    const { ops, perm } = aligned(ctx, values);
    const axis = perm.indexOf(axisOf(ctx, rawAxis, perm.length));
    return [{ t: ctx.b.emit1('Concat', ops, { axis }, ctx.node.name), perm }];
  };
}

function splitInto(ctx: ConvertContext, x: Value, rawAxis: number, sizes: number[]): Value[] {
  const axis = axisOf(ctx, rawAxis, x.perm.length);
  const stored = x.perm.indexOf(axis);
  const outs = ctx.b.emit('Split', [x.t, int64(sizes)], { axis: stored }, ctx.node.name, sizes.length);
  return outs.map((t) => ({ t, perm: x.perm }));
}

const split: Converter = (ctx) => {
  const rawAxis = constInts(ctx, 0, 'split_dim')[0]!;
  const x = inputAt(ctx, 1);
  const num = attrInt(ctx.node, 'num_split', 1);
  const dim = logicalShape(x)[axisOf(ctx, rawAxis, x.perm.length)];
  if (typeof dim !== 'number' || dim % num !== 0)
    throw nodeError(ctx, `cannot split dim ${dim} into ${num} equal parts`);
  return splitInto(ctx, x, rawAxis, new Array<number>(num).fill(dim / num));
};

const splitV: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const sizes = constInts(ctx, 1, 'size_splits');
  const rawAxis = constInts(ctx, 2, 'split_dim')[0]!;
  const dim = logicalShape(x)[axisOf(ctx, rawAxis, x.perm.length)];
  const unknown = sizes.indexOf(-1);
  if (unknown >= 0) {
    if (typeof dim !== 'number') throw nodeError(ctx, 'a -1 split size needs a static dim');
    sizes[unknown] = dim - sizes.reduce((a, s, i) => (i === unknown ? a : a + s), 0);
  }
  return splitInto(ctx, x, rawAxis, sizes);
};

function pad(mode: 'constant' | 'mirror'): Converter {
  return (ctx) => {
    const x = inputAt(ctx, 0);
    const p = constInts(ctx, 1, 'paddings');
    const rank = x.perm.length;
    if (p.length !== 2 * rank) throw nodeError(ctx, `paddings has ${p.length} entries for rank ${rank}`);
    const pads = [...x.perm.map((a) => p[2 * a]!), ...x.perm.map((a) => p[2 * a + 1]!)];
    const attrs: Record<string, string> = {};
    let value: Operand | undefined;
    if (mode === 'mirror') {
      const m = attrString(ctx.node, 'mode', 'REFLECT');
      if (m !== 'REFLECT') throw nodeError(ctx, `MirrorPad mode ${m} has no ONNX equivalent`);
      attrs.mode = 'reflect';
    } else if (ctx.inputs.length > 2) {
      const c = constInput(ctx, 2, 'constant_values');
      value = new Tensor(c.dtype, c.data, []);
    }
    return [{ t: ctx.b.emit1('Pad', [x.t, int64(pads), value], attrs, ctx.node.name), perm: x.perm }];
  };
}

/** TF Slice(x, begin, size): size -1 runs to the end. */
const slice: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const begin = constInts(ctx, 1, 'begin');
  const size = constInts(ctx, 2, 'size');
  const ends = size.map((s, i) => (s < 0 ? END : begin[i]! + s));
  const axes = x.perm.map((_, k) => k);
  const t = ctx.b.emit1(
    'Slice',
    [x.t, int64(x.perm.map((a) => begin[a]!)), int64(x.perm.map((a) => ends[a]!)), int64(axes)],
    {},
    ctx.node.name,
  );
  return [{ t, perm: x.perm }];
};

/** StridedSlice with begin/end/ellipsis/new_axis/shrink_axis masks, as TF resolves them. */
const stridedSlice: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const begin = constInts(ctx, 1, 'begin');
  const end = constInts(ctx, 2, 'end');
  const strides = ctx.inputs.length > 3 ? constInts(ctx, 3, 'strides') : begin.map(() => 1);
  const bits = (name: string) => attrInt(ctx.node, name, 0);
  const [beginMask, endMask, ellipsisMask, newAxisMask, shrinkMask] = [
    bits('begin_mask'),
    bits('end_mask'),
    bits('ellipsis_mask'),
    bits('new_axis_mask'),
    bits('shrink_axis_mask'),
  ];
  const dims = logicalShape(x);
  const rank = dims.length;
  const n = begin.length;
  const real = Array.from({ length: n }, (_, i) => i).filter(
    (i) => !(ellipsisMask & (1 << i)) && !(newAxisMask & (1 << i)),
  ).length;
  const starts: number[] = [];
  const ends: number[] = [];
  const steps: number[] = [];
  const axes: number[] = [];
  const shrinkAxes: number[] = [];
  // Output position of each new axis, counted after shrunk axes are removed.
  const newAxes: number[] = [];
  let dim = 0;
  let outPos = 0;
  let sawEllipsis = false;
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    if (ellipsisMask & bit) {
      if (sawEllipsis) throw nodeError(ctx, 'more than one ellipsis');
      sawEllipsis = true;
      const covered = rank - real;
      dim += covered;
      outPos += covered;
      continue;
    }
    if (newAxisMask & bit) {
      newAxes.push(outPos++);
      continue;
    }
    if (dim >= rank) throw nodeError(ctx, `slice spec has more entries than the input's rank ${rank}`);
    const s = strides[i]!;
    if (s === 0) throw nodeError(ctx, 'stride 0');
    if (shrinkMask & bit) {
      let b = begin[i]!;
      const d = dims[dim];
      if (b < 0) {
        if (typeof d !== 'number') throw nodeError(ctx, 'a negative shrink index needs a static dim');
        b += d;
      }
      starts.push(b);
      ends.push(b + 1);
      steps.push(1);
      axes.push(dim);
      shrinkAxes.push(dim);
    } else {
      const b = beginMask & bit ? (s > 0 ? 0 : END) : begin[i]!;
      const e = endMask & bit ? (s > 0 ? END : -END) : end[i]!;
      if (!(b === 0 && e === END && s === 1)) {
        starts.push(b);
        ends.push(e);
        steps.push(s);
        axes.push(dim);
      }
      outPos++;
    }
    dim++;
  }
  const reshapes = shrinkAxes.length > 0 || newAxes.length > 0;
  const src = reshapes ? plain(ctx.b.logical(x, ctx.node.name)) : x;
  let t = src.t;
  if (axes.length) {
    const storedAxes = axes.map((a) => src.perm.indexOf(a));
    t = ctx.b.emit1(
      'Slice',
      [t, int64(starts), int64(ends), int64(storedAxes), int64(steps)],
      {},
      ctx.node.name,
    );
  }
  if (shrinkAxes.length) t = ctx.b.emit1('Squeeze', [t, int64(shrinkAxes)], {}, ctx.node.name);
  if (newAxes.length) t = ctx.b.emit1('Unsqueeze', [t, int64(newAxes)], {}, ctx.node.name);
  return [{ t, perm: reshapes ? identityPerm(shapeOf(t).length) : src.perm }];
};

const tile: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const m = constInts(ctx, 1, 'multiples');
  return [
    { t: ctx.b.emit1('Tile', [x.t, int64(x.perm.map((a) => m[a]!))], {}, ctx.node.name), perm: x.perm },
  ];
};

const pack: Converter = (ctx) => {
  const rank = ctx.inputs[0]!.perm.length;
  const axis = axisOf(ctx, attrInt(ctx.node, 'axis', 0), rank + 1);
  const parts = ctx.inputs.map((v) =>
    ctx.b.emit1('Unsqueeze', [ctx.b.logical(v, ctx.node.name), int64([axis])], {}, ctx.node.name),
  );
  return [plain(parts.length === 1 ? parts[0]! : ctx.b.emit1('Concat', parts, { axis }, ctx.node.name))];
};

const unpack: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const axis = axisOf(ctx, attrInt(ctx.node, 'axis', 0), x.perm.length);
  const num = attrInt(ctx.node, 'num', 1);
  const src = ctx.b.logical(x, ctx.node.name);
  const parts =
    num === 1
      ? [src]
      : ctx.b.emit('Split', [src, int64(new Array<number>(num).fill(1))], { axis }, ctx.node.name, num);
  return parts.map((p) => plain(ctx.b.emit1('Squeeze', [p, int64([axis])], {}, ctx.node.name)));
};

const gather: Converter = (ctx) => {
  const params = inputAt(ctx, 0);
  const indices = inputAt(ctx, 1);
  const rank = params.perm.length;
  const axis = ctx.node.op === 'Gather' ? 0 : axisOf(ctx, constInts(ctx, 2, 'axis')[0]!, rank);
  if (attrInt(ctx.node, 'batch_dims', 0) !== 0)
    throw nodeError(ctx, 'batch_dims other than 0 is not supported');
  const t = ctx.b.emit1(
    'Gather',
    [ctx.b.logical(params, ctx.node.name), ctx.b.logical(indices, ctx.node.name)],
    { axis },
    ctx.node.name,
  );
  return [plain(t)];
};

const topK: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const k = constInts(ctx, 1, 'k')[0]!;
  const axis = x.perm.indexOf(x.perm.length - 1);
  const largest = 1;
  const [values, indices] = ctx.b.emit(
    'TopK',
    [x.t, int64([k])],
    { axis, largest, sorted: 1 },
    ctx.node.name,
    2,
  );
  // TF returns int32 indices.
  return [
    { t: values!, perm: x.perm },
    { t: castTo(ctx.b, indices!, 'int32', ctx.node.name), perm: x.perm },
  ];
};

const shape: Converter = (ctx) => {
  const x = inputAt(ctx, 0);
  const dims = logicalShape(x);
  const outType = attrDType(ctx.node, 'out_type', 'int32');
  if (dims.every((d) => typeof d === 'number')) return [plain(Tensor.from(outType, dims as number[]))];
  const s = ctx.b.emit1('Shape', [ctx.b.logical(x, ctx.node.name)], {}, ctx.node.name);
  return [plain(castTo(ctx.b, s, outType, ctx.node.name))];
};

const fill: Converter = (ctx) => {
  const dims = constInts(ctx, 0, 'dims');
  const v = constInput(ctx, 1, 'value');
  const scalar = new Tensor(v.dtype, v.data, []);
  return [plain(ctx.b.emit1('Expand', [scalar, int64(dims)], {}, ctx.node.name))];
};

function like(value: number): Converter {
  return (ctx) => {
    const x = inputAt(ctx, 0);
    const dims = shapeOf(x.t);
    if (!dims.every((d) => typeof d === 'number')) throw nodeError(ctx, 'needs a static shape');
    const scalar = Tensor.scalar(x.t.dtype as DType, value);
    return [{ t: ctx.b.emit1('Expand', [scalar, int64(dims as number[])], {}, ctx.node.name), perm: x.perm }];
  };
}

/** SparseToDense with constant inputs only (converters emit it for shape arithmetic). */
const sparseToDense: Converter = (ctx) => {
  const idx = constInput(ctx, 0, 'sparse_indices');
  const outShape = constInts(ctx, 1, 'output_shape');
  const values = constInput(ctx, 2, 'sparse_values');
  const dflt = constInput(ctx, 3, 'default_value').toNumbers()[0]!;
  const out = Tensor.from(
    values.dtype,
    new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(dflt),
    outShape,
  );
  const iv = idx.toNumbers();
  const vv = values.toNumbers();
  const rank = outShape.length;
  const count = idx.dims.length === 0 ? 1 : idx.dims[0]!;
  const perIndex = idx.dims.length === 2 ? idx.dims[1]! : 1;
  const flat: number[] = out.toNumbers();
  for (let i = 0; i < count; i++) {
    let off = 0;
    for (let k = 0; k < rank; k++)
      off = off * outShape[k]! + (perIndex === 1 && rank === 1 ? iv[i]! : iv[i * perIndex + k]!);
    flat[off] = values.dims.length === 0 ? vv[0]! : vv[i]!;
  }
  return [plain(Tensor.from(values.dtype, flat, outShape))];
};

/** Converters of the shape and data-movement TF ops. */
export const SHAPE_CONVERTERS: Readonly<Record<string, Converter>> = {
  Reshape: reshape,
  Transpose: transpose,
  Squeeze: squeeze,
  ExpandDims: expandDims,
  ConcatV2: concat(false),
  Concat: concat(true),
  Split: split,
  SplitV: splitV,
  Pad: pad('constant'),
  PadV2: pad('constant'),
  MirrorPad: pad('mirror'),
  Slice: slice,
  StridedSlice: stridedSlice,
  Tile: tile,
  Pack: pack,
  Unpack: unpack,
  GatherV2: gather,
  Gather: gather,
  TopKV2: topK,
  Shape: shape,
  Fill: fill,
  ZerosLike: like(0),
  OnesLike: like(1),
  SparseToDense: sparseToDense,
};
