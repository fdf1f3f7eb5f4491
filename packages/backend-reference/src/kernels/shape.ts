/**
 * Shape (layout) kernels. Output shapes come from the core schemas; these kernels only move
 * stored elements, so they are exact for every dtype.
 * @module
 */
import {
  type Tensor as HostTensor,
  NotImplementedError,
  opUtil,
  stridesOf,
  Tensor,
  type TypedArray,
} from '@ocular/core';
import { inferOutputs } from './infer.js';
import {
  allocOutput,
  copyAs,
  gatherAxes,
  permute,
  prod,
  type Store,
  scalarElem,
  stridedMap,
} from './layout-util.js';
import type { Kernel } from './types.js';

/** Kernel of an op whose output is its input with new dims (Reshape, Flatten, Squeeze, ...). */
const viewKernel: Kernel = (inputs, attrs, ctx) => {
  const [out] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  return [copyAs(inputs[0]!, out!.dims)];
};

/** Copies `count` elements from `src[from..]` into `dst[to..]` (same typed-array kind). */
function copyRun(dst: TypedArray, to: number, src: TypedArray, from: number, count: number): void {
  (dst as Uint8Array).set((src as Uint8Array).subarray(from, from + count), to);
}

const Transpose: Kernel = (inputs, attrs, ctx) => {
  inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const x = inputs[0];
  const rank = x!.rank;
  const perm = (attrs.perm as readonly number[] | undefined) ?? [...Array(rank).keys()].reverse();
  return [
    permute(
      x!,
      x!.dims,
      perm.map((p) => opUtil.normalizeAxis(p, rank)),
    ),
  ];
};

const Concat: Kernel = (inputs, attrs, ctx) => {
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const dims = info!.dims;
  const axis = opUtil.normalizeAxis(attrs.axis as number, dims.length);
  const out = allocOutput(info!.dtype, dims);
  const outer = prod(dims, 0, axis);
  const inner = prod(dims, axis + 1);
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    for (const x of inputs as HostTensor[]) {
      const run = x.dims[axis]! * inner;
      copyRun(out, pos, x.data, o * run, run);
      pos += run;
    }
  }
  return [new Tensor(info!.dtype, out, dims)];
};

const Split: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const infos = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const axis = opUtil.normalizeAxis(attrs.axis as number, x.rank);
  const outer = prod(x.dims, 0, axis);
  const inner = prod(x.dims, axis + 1);
  const row = x.dims[axis]! * inner;
  let offset = 0;
  return infos.map((info) => {
    const run = info.dims[axis]! * inner;
    const out = allocOutput(x.dtype, info.dims);
    for (let o = 0; o < outer; o++) copyRun(out, o * run, x.data, o * row + offset, run);
    offset += run;
    return new Tensor(x.dtype, out, info.dims);
  });
};

const Expand: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const dims = info!.dims;
  const lead = dims.length - x.rank;
  const strides = stridesOf(x.dims);
  const maps = dims.map((d, i) => {
    const j = i - lead;
    // Missing leading axes and size-1 axes broadcast: every coordinate reads offset 0.
    if (j < 0 || x.dims[j] === 1) return new Array<number>(d).fill(0);
    return stridedMap(d, 0, 1, strides[j]!);
  });
  return [gatherAxes(x, dims, maps)];
};

const Tile: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const reps = inputs[1]!.toNumbers();
  const strides = stridesOf(x.dims);
  // View the output as [r0, d0, r1, d1, ...]: repeat axes read offset 0, data axes stride.
  const viewDims: number[] = [];
  const maps: number[][] = [];
  x.dims.forEach((d, i) => {
    viewDims.push(reps[i]!, d);
    maps.push(new Array<number>(reps[i]!).fill(0), stridedMap(d, 0, 1, strides[i]!));
  });
  const tiled = gatherAxes(x, viewDims, maps);
  return [new Tensor(x.dtype, tiled.data, info!.dims)];
};

const DepthToSpace: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const b = attrs.blocksize as number;
  const [n, c, h, w] = x.dims as [number, number, number, number];
  const cc = c / (b * b);
  // DCR splits channels as (b, b, C'), CRD as (C', b, b); both end as [N, C', H, b, W, b].
  const moved =
    attrs.mode === 'CRD'
      ? permute(x, [n, cc, b, b, h, w], [0, 1, 4, 2, 5, 3])
      : permute(x, [n, b, b, cc, h, w], [0, 3, 4, 1, 5, 2]);
  return [new Tensor(x.dtype, moved.data, info!.dims)];
};

const SpaceToDepth: Kernel = (inputs, attrs, ctx) => {
  const x = inputs[0]!;
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const b = attrs.blocksize as number;
  const [n, c, h, w] = x.dims as [number, number, number, number];
  const moved = permute(x, [n, c, h / b, b, w / b, b], [0, 3, 5, 1, 2, 4]);
  return [new Tensor(x.dtype, moved.data, info!.dims)];
};

const Dropout: Kernel = (inputs, attrs, ctx) => {
  // The schema throws NotImplementedError for training mode with a non-zero ratio.
  const infos = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const x = inputs[0]!;
  const outs = [copyAs(x, x.dims)];
  if (infos.length > 1) {
    const mask = allocOutput('bool', x.dims) as Uint8Array;
    mask.fill(1);
    outs.push(new Tensor('bool', mask, x.dims));
  }
  return outs;
};

/** Kernel of an op whose schema always folds its value (Shape, Size, Constant). */
const foldedKernel: Kernel = (inputs, attrs, ctx) => {
  return inferOutputs(inputs, attrs, ctx, { checkAllocation: true }).map((info) => {
    if (!info.value) throw new NotImplementedError(`${ctx.node.opType} produced no value`);
    return info.value.clone();
  });
};

const ConstantOfShape: Kernel = (inputs, attrs, ctx) => {
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const fill = attrs.value as HostTensor | undefined;
  const out = allocOutput(info!.dtype, info!.dims) as unknown as Store;
  // Without a value attribute the output is float32 zeros, which allocation already gives.
  if (fill) {
    const v = scalarElem(fill);
    for (let i = 0; i < out.length; i++) out[i] = v;
  }
  return [new Tensor(info!.dtype, out as unknown as TypedArray, info!.dims)];
};

const Range: Kernel = (inputs, attrs, ctx) => {
  const [info] = inferOutputs(inputs, attrs, ctx, { checkAllocation: true });
  const n = info!.dims[0]!;
  const dtype = info!.dtype;
  const out = allocOutput(dtype, [n]) as unknown as Store;
  if (dtype === 'int64') {
    const [s, d] = [scalarElem(inputs[0]!) as bigint, scalarElem(inputs[2]!) as bigint];
    for (let i = 0; i < n; i++) out[i] = s + BigInt(i) * d;
    return [new Tensor('int64', out as unknown as BigInt64Array, [n])];
  }
  const s = inputs[0]!.toNumbers()[0]!;
  const d = inputs[2]!.toNumbers()[0]!;
  const vals = new Array<number>(n);
  for (let i = 0; i < n; i++) vals[i] = s + i * d;
  return [Tensor.from(dtype, vals, [n])];
};

/** Shape kernels by op type. */
export const SHAPE_KERNELS: Record<string, Kernel> = {
  Reshape: viewKernel,
  Flatten: viewKernel,
  Squeeze: viewKernel,
  Unsqueeze: viewKernel,
  Identity: viewKernel,
  Transpose,
  Concat,
  Split,
  Expand,
  Tile,
  DepthToSpace,
  SpaceToDepth,
  Dropout,
  Shape: foldedKernel,
  Size: foldedKernel,
  Constant: foldedKernel,
  ConstantOfShape,
  Range,
};
