/**
 * Pooling op schemas: AveragePool, MaxPool, LpPool and their global forms (ONNX semantics, any
 * number of spatial dims).
 * @module
 */
import type { DType } from '../dtype.js';
import { AttributeError, ShapeError } from '../errors.js';
import type { Dim } from '../ir/graph.js';
import { formatShape } from '../ir/graph.js';
import type { AttrSpec, InferContext, OpSchema, TensorInfo } from '../ir/schema.js';
import { FLOAT_TYPES, input, requireDType } from './util.js';
import { resolveWindow, spatialInts } from './window.js';

/** Checks a pool input: allowed dtype and rank >= 3. */
function poolInput(ctx: InferContext, allowed: readonly DType[]): TensorInfo {
  const x = input(ctx, 0);
  requireDType(x.dtype, allowed, `${ctx.opType} input`);
  if (x.shape.length < 3) {
    throw new ShapeError(`input must have rank >= 3 ([N, C, spatial...]), got ${formatShape(x.shape)}`);
  }
  return x;
}

/** Output shape of a windowed pool; `kernel_shape` is required. */
function windowedPoolShape(ctx: InferContext, x: TensorInfo): Dim[] {
  const n = x.shape.length - 2;
  if (ctx.attrs.kernel_shape === undefined) throw new AttributeError(`attribute 'kernel_shape' is required`);
  const kernel = spatialInts(ctx.attrs, 'kernel_shape', n, 1);
  const ceilMode = readFlag(ctx, 'ceil_mode');
  const win = resolveWindow(ctx.attrs, x.shape.slice(2), kernel, { ceilMode });
  return [x.shape[0]!, x.shape[1]!, ...win.outShape];
}

/** Reads a 0/1 int attribute. */
function readFlag(ctx: InferContext, name: string): boolean {
  const v = ctx.attrs[name];
  if (v === undefined || v === 0) return false;
  if (v === 1) return true;
  throw new AttributeError(`${name} must be 0 or 1, got ${JSON.stringify(v)}`);
}

const POOL_ATTRS: Record<string, AttrSpec> = {
  auto_pad: { type: 'string', default: 'NOTSET' },
  ceil_mode: { type: 'int', default: 0 },
  dilations: { type: 'ints' },
  kernel_shape: { type: 'ints', required: true },
  pads: { type: 'ints' },
  strides: { type: 'ints' },
};

/** MaxPool accepts 8-bit integers as well as floats. */
const MAXPOOL_TYPES: readonly DType[] = [...FLOAT_TYPES, 'int8', 'uint8'];

const averagePool: OpSchema = {
  opType: 'AveragePool',
  since: 19,
  category: 'pool',
  minInputs: 1,
  maxInputs: 1,
  attrs: { ...POOL_ATTRS, count_include_pad: { type: 'int', default: 0 } },
  doc: 'Average over sliding windows; count_include_pad decides whether padding counts in the divisor.',
  infer(ctx) {
    const x = poolInput(ctx, FLOAT_TYPES);
    readFlag(ctx, 'count_include_pad');
    return [{ dtype: x.dtype, shape: windowedPoolShape(ctx, x) }];
  },
};

const maxPool: OpSchema = {
  opType: 'MaxPool',
  since: 12,
  category: 'pool',
  minInputs: 1,
  maxInputs: 1,
  minOutputs: 1,
  maxOutputs: 2,
  attrs: { ...POOL_ATTRS, storage_order: { type: 'int', default: 0 } },
  doc: 'Max over sliding windows; optional int64 Indices output (flat input index, row- or column-major).',
  infer(ctx) {
    const x = poolInput(ctx, MAXPOOL_TYPES);
    readFlag(ctx, 'storage_order');
    const shape = windowedPoolShape(ctx, x);
    const out: TensorInfo[] = [{ dtype: x.dtype, shape }];
    if (ctx.numOutputs > 1) out.push({ dtype: 'int64', shape });
    return out;
  },
};

const lpPool: OpSchema = {
  opType: 'LpPool',
  since: 18,
  category: 'pool',
  minInputs: 1,
  maxInputs: 1,
  attrs: { ...POOL_ATTRS, p: { type: 'int', default: 2 } },
  doc: 'Lp norm over sliding windows: (sum |x|^p)^(1/p); padding counts as zeros.',
  infer(ctx) {
    const x = poolInput(ctx, FLOAT_TYPES);
    const p = ctx.attrs.p as number;
    if (!(p >= 1)) throw new AttributeError(`p must be >= 1, got ${p}`);
    return [{ dtype: x.dtype, shape: windowedPoolShape(ctx, x) }];
  },
};

/** Schema of a global pool: every spatial dim reduced to 1. */
function globalPool(
  opType: string,
  since: number,
  doc: string,
  attrs: Record<string, AttrSpec> = {},
): OpSchema {
  return {
    opType,
    since,
    category: 'pool',
    minInputs: 1,
    maxInputs: 1,
    attrs,
    doc,
    infer(ctx) {
      const x = poolInput(ctx, FLOAT_TYPES);
      if (opType === 'GlobalLpPool' && !((ctx.attrs.p as number) >= 1)) {
        throw new AttributeError(`p must be >= 1, got ${ctx.attrs.p}`);
      }
      return [{ dtype: x.dtype, shape: [x.shape[0]!, x.shape[1]!, ...x.shape.slice(2).map(() => 1)] }];
    },
  };
}

/** Pooling ops. */
export const POOL_OPS: readonly OpSchema[] = [
  averagePool,
  maxPool,
  lpPool,
  globalPool('GlobalAveragePool', 1, 'Mean over all spatial positions, keeping them as size-1 dims.'),
  globalPool('GlobalMaxPool', 1, 'Max over all spatial positions, keeping them as size-1 dims.'),
  globalPool('GlobalLpPool', 2, 'Lp norm over all spatial positions, keeping them as size-1 dims.', {
    p: { type: 'int', default: 2 },
  }),
];
