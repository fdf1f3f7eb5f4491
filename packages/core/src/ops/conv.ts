/**
 * Convolution op schemas: Conv, ConvTranspose, DeformConv and Col2Im (ONNX semantics, any number
 * of spatial dims, NCHW-style layout `[N, C, D1, ..., Dn]`).
 * @module
 */
import { DTypeError, ShapeError } from '../errors.js';
import type { Attributes, Dim } from '../ir/graph.js';
import { formatShape } from '../ir/graph.js';
import type { AttrSpec, InferContext, OpSchema, TensorInfo } from '../ir/schema.js';
import { constInts, FLOAT_TYPES, input, NUMERIC_TYPES, requireDType } from './util.js';
import { readPads, resolveTransposeWindow, resolveWindow, spatialInts } from './window.js';

/** Reads the `group` attribute (>= 1). */
function readGroup(attrs: Attributes, name = 'group'): number {
  const g = (attrs[name] as number | undefined) ?? 1;
  if (!Number.isInteger(g) || g < 1) throw new ShapeError(`${name} must be a positive integer, got ${g}`);
  return g;
}

/** Static dims of a weight's spatial part; the kernel size must be known at trace time. */
function kernelFromWeight(w: TensorInfo, n: number, attrs: Attributes): number[] {
  const dims = w.shape.slice(2);
  const kernel = dims.map((d, i) => {
    if (typeof d !== 'number') throw new ShapeError(`weight spatial dim ${i} must be static, got '${d}'`);
    return d;
  });
  if (attrs.kernel_shape !== undefined) {
    const ks = spatialInts(attrs, 'kernel_shape', n, 1);
    if (ks.some((k, i) => k !== kernel[i])) {
      throw new ShapeError(`kernel_shape [${ks.join(', ')}] does not match weight ${formatShape(w.shape)}`);
    }
  }
  return kernel;
}

/** Checks X / W ranks and dtypes shared by Conv, ConvTranspose and DeformConv; returns the spatial rank. */
function checkConvOperands(x: TensorInfo, w: TensorInfo, opType: string): number {
  requireDType(x.dtype, FLOAT_TYPES, `${opType} input X`);
  if (w.dtype !== x.dtype) throw new DTypeError(`weight W has dtype ${w.dtype}, input X has ${x.dtype}`);
  if (x.shape.length < 3) {
    throw new ShapeError(`input X must have rank >= 3 ([N, C, spatial...]), got ${formatShape(x.shape)}`);
  }
  if (w.shape.length !== x.shape.length) {
    throw new ShapeError(
      `weight W must have rank ${x.shape.length} like X ${formatShape(x.shape)}, got ${formatShape(w.shape)}`,
    );
  }
  return x.shape.length - 2;
}

/** Checks an optional bias input of `m` elements. */
function checkBias(ctx: InferContext, index: number, m: Dim, dtype: string): void {
  const b = ctx.inputs[index];
  if (!b) return;
  if (b.dtype !== dtype) throw new DTypeError(`bias B has dtype ${b.dtype}, input X has ${dtype}`);
  if (b.shape.length !== 1 || (typeof b.shape[0] === 'number' && typeof m === 'number' && b.shape[0] !== m)) {
    throw new ShapeError(`bias B must have shape [${m}], got ${formatShape(b.shape)}`);
  }
}

/** True when two dims are both static and differ. */
function conflict(a: Dim, b: Dim): boolean {
  return typeof a === 'number' && typeof b === 'number' && a !== b;
}

const WINDOW_ATTRS: Record<string, AttrSpec> = {
  auto_pad: { type: 'string', default: 'NOTSET' },
  dilations: { type: 'ints' },
  group: { type: 'int', default: 1 },
  kernel_shape: { type: 'ints' },
  pads: { type: 'ints' },
  strides: { type: 'ints' },
};

const conv: OpSchema = {
  opType: 'Conv',
  since: 11,
  category: 'conv',
  minInputs: 2,
  maxInputs: 3,
  attrs: WINDOW_ATTRS,
  doc: 'N-D convolution (cross-correlation) with groups, dilations, strides, pads and auto_pad; kernel from W.',
  infer(ctx) {
    const x = input(ctx, 0);
    const w = input(ctx, 1);
    const n = checkConvOperands(x, w, 'Conv');
    const group = readGroup(ctx.attrs);
    const kernel = kernelFromWeight(w, n, ctx.attrs);
    const c = x.shape[1]!;
    const m = w.shape[0]!;
    const cg = w.shape[1]!;
    if (typeof c === 'number' && typeof cg === 'number' && c !== cg * group) {
      throw new ShapeError(`input has ${c} channels, weight expects ${cg * group} (group=${group})`);
    }
    if (typeof m === 'number' && m % group !== 0) {
      throw new ShapeError(`weight has ${m} output channels, which group=${group} does not divide`);
    }
    checkBias(ctx, 2, m, x.dtype);
    const win = resolveWindow(ctx.attrs, x.shape.slice(2), kernel);
    return [{ dtype: x.dtype, shape: [x.shape[0]!, m, ...win.outShape] }];
  },
};

const convTranspose: OpSchema = {
  opType: 'ConvTranspose',
  since: 11,
  category: 'conv',
  minInputs: 2,
  maxInputs: 3,
  attrs: {
    ...WINDOW_ATTRS,
    output_padding: { type: 'ints' },
    output_shape: { type: 'ints' },
  },
  doc: 'N-D transposed convolution; W is [C_in, C_out/group, k...]; output_shape / output_padding / auto_pad.',
  infer(ctx) {
    const x = input(ctx, 0);
    const w = input(ctx, 1);
    const n = checkConvOperands(x, w, 'ConvTranspose');
    const group = readGroup(ctx.attrs);
    const kernel = kernelFromWeight(w, n, ctx.attrs);
    const c = x.shape[1]!;
    if (conflict(c, w.shape[0]!)) {
      throw new ShapeError(
        `input has ${c} channels, weight expects ${w.shape[0]} (weight is [C_in, C_out/group, k...])`,
      );
    }
    if (typeof c === 'number' && c % group !== 0) {
      throw new ShapeError(`input has ${c} channels, which group=${group} does not divide`);
    }
    const mg = w.shape[1]!;
    const m: Dim = typeof mg === 'number' ? mg * group : group === 1 ? mg : `${mg}*${group}`;
    checkBias(ctx, 2, m, x.dtype);
    const win = resolveTransposeWindow(ctx.attrs, x.shape.slice(2), kernel);
    return [{ dtype: x.dtype, shape: [x.shape[0]!, m, ...win.outShape] }];
  },
};

const deformConv: OpSchema = {
  opType: 'DeformConv',
  since: 19,
  category: 'conv',
  minInputs: 3,
  maxInputs: 5,
  attrs: {
    dilations: { type: 'ints' },
    group: { type: 'int', default: 1 },
    kernel_shape: { type: 'ints' },
    offset_group: { type: 'int', default: 1 },
    pads: { type: 'ints' },
    strides: { type: 'ints' },
  },
  doc: 'Deformable convolution: each kernel tap samples X bilinearly at an offset position, optionally masked.',
  infer(ctx) {
    const x = input(ctx, 0);
    const w = input(ctx, 1);
    const offset = input(ctx, 2);
    const n = checkConvOperands(x, w, 'DeformConv');
    const group = readGroup(ctx.attrs);
    const og = readGroup(ctx.attrs, 'offset_group');
    const kernel = kernelFromWeight(w, n, ctx.attrs);
    const ksize = kernel.reduce((a, b) => a * b, 1);
    const c = x.shape[1]!;
    const m = w.shape[0]!;
    const cg = w.shape[1]!;
    if (typeof c === 'number' && typeof cg === 'number' && c !== cg * group) {
      throw new ShapeError(`input has ${c} channels, weight expects ${cg * group} (group=${group})`);
    }
    if (typeof m === 'number' && m % group !== 0) {
      throw new ShapeError(`weight has ${m} output channels, which group=${group} does not divide`);
    }
    if (typeof c === 'number' && c % og !== 0) {
      throw new ShapeError(`input has ${c} channels, which offset_group=${og} does not divide`);
    }
    if (offset.dtype !== x.dtype)
      throw new DTypeError(`offset has dtype ${offset.dtype}, input X has ${x.dtype}`);
    const win = resolveWindow({ ...ctx.attrs, auto_pad: 'NOTSET' }, x.shape.slice(2), kernel);
    const expectOffset: Dim[] = [x.shape[0]!, og * ksize * n, ...win.outShape];
    if (offset.shape.length !== n + 2 || offset.shape.some((d, i) => conflict(d, expectOffset[i]!))) {
      throw new ShapeError(
        `offset must have shape ${formatShape(expectOffset)} (offset_group * kernel taps * ${n}, output size), got ${formatShape(offset.shape)}`,
      );
    }
    checkBias(ctx, 3, m, x.dtype);
    const mask = ctx.inputs[4];
    if (mask) {
      const expectMask: Dim[] = [x.shape[0]!, og * ksize, ...win.outShape];
      if (mask.dtype !== x.dtype)
        throw new DTypeError(`mask has dtype ${mask.dtype}, input X has ${x.dtype}`);
      if (mask.shape.length !== n + 2 || mask.shape.some((d, i) => conflict(d, expectMask[i]!))) {
        throw new ShapeError(
          `mask must have shape ${formatShape(expectMask)}, got ${formatShape(mask.shape)}`,
        );
      }
    }
    return [{ dtype: x.dtype, shape: [x.shape[0]!, m, ...win.outShape] }];
  },
};

/** Number of sliding blocks per dim of Col2Im (and the check that they are positive). */
export function col2ImBlocks(
  image: readonly number[],
  block: readonly number[],
  attrs: Attributes,
): { blocks: number[]; strides: number[]; dilations: number[]; pads: number[] } {
  const n = image.length;
  const strides = spatialInts(attrs, 'strides', n, 1);
  const dilations = spatialInts(attrs, 'dilations', n, 1);
  const pads = readPads(attrs, n);
  const blocks = image.map((d, i) => {
    const b =
      Math.floor((d + pads[i]! + pads[i + n]! - (dilations[i]! * (block[i]! - 1) + 1)) / strides[i]!) + 1;
    if (b < 1) {
      throw new ShapeError(
        `image dim ${i} of size ${d} with pads is smaller than the dilated block ${block[i]}`,
      );
    }
    return b;
  });
  return { blocks, strides, dilations, pads };
}

const col2Im: OpSchema = {
  opType: 'Col2Im',
  since: 18,
  category: 'conv',
  minInputs: 3,
  maxInputs: 3,
  attrs: {
    dilations: { type: 'ints' },
    pads: { type: 'ints' },
    strides: { type: 'ints' },
  },
  doc: 'Rearranges column blocks [N, C*prod(block), L] back into an image [N, C, ...image_shape], summing overlaps.',
  infer(ctx) {
    const x = input(ctx, 0);
    requireDType(x.dtype, NUMERIC_TYPES, 'Col2Im input');
    if (x.shape.length !== 3) {
      throw new ShapeError(
        `input must have rank 3 ([N, C * prod(block_shape), L]), got ${formatShape(x.shape)}`,
      );
    }
    const image = constInts(ctx, 1, 'image_shape');
    const block = constInts(ctx, 2, 'block_shape');
    if (image.length !== block.length || image.length === 0) {
      throw new ShapeError(
        `image_shape [${image.join(', ')}] and block_shape [${block.join(', ')}] must have one equal, non-zero length`,
      );
    }
    if (image.some((d) => d < 1) || block.some((d) => d < 1)) {
      throw new ShapeError(
        `image_shape [${image.join(', ')}] and block_shape [${block.join(', ')}] must be positive`,
      );
    }
    const { blocks } = col2ImBlocks(image, block, ctx.attrs);
    const bsize = block.reduce((a, b) => a * b, 1);
    const cb = x.shape[1]!;
    if (typeof cb === 'number' && cb % bsize !== 0) {
      throw new ShapeError(`input dim 1 (${cb}) is not divisible by prod(block_shape) = ${bsize}`);
    }
    const c: Dim = typeof cb === 'number' ? cb / bsize : `${cb}/${bsize}`;
    const l = x.shape[2]!;
    const nb = blocks.reduce((a, b) => a * b, 1);
    if (typeof l === 'number' && l !== nb) {
      throw new ShapeError(
        `input has ${l} blocks (dim 2), image and block shapes give ${blocks.join(' * ')} = ${nb}`,
      );
    }
    return [{ dtype: x.dtype, shape: [x.shape[0]!, c, ...image] }];
  },
};

/** Convolution ops. */
export const CONV_OPS: readonly OpSchema[] = [conv, convTranspose, deformConv, col2Im];
