/**
 * Indexing op schemas: slicing, gathering, scattering, padding and friends. Data may have any
 * dtype; index tensors are int32 or int64. Slice's starts/ends/axes/steps, Pad's pads and axes
 * and OneHot's depth must be constants at trace time.
 * @module
 */
import { type DType, isStorageOnly } from '../dtype.js';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { type Dim, formatShape } from '../ir/graph.js';
import type { InferContext, OpSchema, TensorInfo } from '../ir/schema.js';
import { Tensor } from '../tensor.js';
import { dimSum } from './dims.js';
import { FOLD_LIMIT, int64Tensor, isFoldableInt } from './fold.js';
import {
  constInts,
  input,
  nonZeroFlatIndices,
  normalizeAxis,
  optionalConstInts,
  requireDType,
  sliceRange,
} from './util.js';

/** Index tensor dtypes. */
const INDEX_TYPES: readonly DType[] = ['int32', 'int64'];

/** Treat an end at or beyond this as "to the end" on a symbolic dim (covers INT32_MAX and INT64_MAX). */
const OPEN_END = 2 ** 31 - 1;

/** Checks that input `i` is a 1-D integer tensor of index type and returns its constant values. */
function indexVector(ctx: InferContext, i: number, what: string): number[] {
  const t = input(ctx, i);
  requireDType(t.dtype, INDEX_TYPES, what);
  if (t.shape.length !== 1) throw new ShapeError(`${what} must be 1-D, got shape ${formatShape(t.shape)}`);
  return constInts(ctx, i, what);
}

/** Normalised, duplicate-free axes (defaults to 0..n-1). */
function sliceAxes(ctx: InferContext, i: number, n: number, rank: number): number[] {
  const given = ctx.inputs[i] ? indexVector(ctx, i, 'axes') : undefined;
  const axes = (given ?? [...Array(n).keys()]).map((a) => normalizeAxis(a, rank, 'axes entry'));
  if (new Set(axes).size !== axes.length)
    throw new AttributeError(`axes [${given?.join(', ')}] has duplicates`);
  return axes;
}

const Slice: OpSchema = {
  opType: 'Slice',
  since: 13,
  category: 'indexing',
  minInputs: 3,
  maxInputs: 5,
  attrs: {},
  doc: 'numpy-style slicing with starts/ends/axes/steps inputs (negative steps, clamping, INT64 sentinels).',
  infer(ctx) {
    const x = input(ctx, 0);
    const rank = x.shape.length;
    const starts = indexVector(ctx, 1, 'starts');
    const ends = indexVector(ctx, 2, 'ends');
    if (ends.length !== starts.length) {
      throw new ShapeError(`starts has ${starts.length} entries but ends has ${ends.length}`);
    }
    const axes = sliceAxes(ctx, 3, starts.length, rank);
    const steps = ctx.inputs[4] ? indexVector(ctx, 4, 'steps') : starts.map(() => 1);
    if (axes.length !== starts.length || steps.length !== starts.length) {
      throw new ShapeError(`starts, ends, axes and steps must have one entry per sliced axis`);
    }
    const out = [...x.shape];
    axes.forEach((a, k) => {
      const d = x.shape[a]!;
      const [s, e, st] = [starts[k]!, ends[k]!, steps[k]!];
      if (typeof d === 'number') {
        out[a] = sliceRange(s, e, st, d).length;
        return;
      }
      if (st === 0) throw new ShapeError('slice step must be non-zero');
      // On a symbolic dim only the whole range (either direction) keeps a known size.
      const fromStart = st === 1 && s === 0 && e >= OPEN_END;
      const fromStartNeg = st === 1 && s <= -OPEN_END && e >= OPEN_END;
      const reversed = st === -1 && (s === -1 || s >= OPEN_END) && e <= -OPEN_END;
      if (!fromStart && !fromStartNeg && !reversed) {
        throw new ShapeError(
          `axis ${a} has symbolic size '${d}'; only a full slice of a symbolic dim is supported (start ${s}, end ${e}, step ${st})`,
        );
      }
    });
    return [{ dtype: x.dtype, shape: out, value: foldSlice(x, starts[0], ends[0], steps[0], out) }];
  },
};

/** Folds a slice of a small known 1-D integer tensor (shape arithmetic). */
function foldSlice(
  x: TensorInfo,
  s?: number,
  e?: number,
  st?: number,
  shape?: readonly Dim[],
): Tensor | undefined {
  const v = x.value;
  if (v?.rank !== 1 || !isFoldableInt(v.dtype) || v.size > FOLD_LIMIT || s === undefined) return undefined;
  const r = sliceRange(s, e!, st!, v.size);
  const vals: (number | bigint)[] = [];
  for (let i = 0; i < r.length; i++) vals.push(v.data[r.start + i * r.step]!);
  return Tensor.from(v.dtype, vals, shape as number[]);
}

const Gather: OpSchema = {
  opType: 'Gather',
  since: 13,
  category: 'indexing',
  minInputs: 2,
  maxInputs: 2,
  attrs: { axis: { type: 'int', default: 0 } },
  doc: 'Takes entries along an axis by (possibly negative) indices.',
  infer(ctx) {
    const x = input(ctx, 0);
    const idx = input(ctx, 1);
    requireDType(idx.dtype, INDEX_TYPES, 'indices');
    if (x.shape.length === 0) throw new ShapeError('Gather data must have rank >= 1');
    const axis = normalizeAxis(ctx.attrs.axis as number, x.shape.length);
    const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
    return [{ dtype: x.dtype, shape, value: foldGather(x, idx, shape) }];
  },
};

/** Folds Gather of small known 1-D integer data (shape arithmetic such as Gather(Shape(x), 0)). */
function foldGather(x: TensorInfo, idx: TensorInfo, shape: readonly Dim[]): Tensor | undefined {
  const v = x.value;
  const i = idx.value;
  if (!v || !i || v.rank !== 1 || !isFoldableInt(v.dtype) || i.size > FOLD_LIMIT) return undefined;
  const vals = i.toNumbers().map((k) => {
    const j = k < 0 ? k + v.size : k;
    if (j < 0 || j >= v.size) throw new ShapeError(`index ${k} is out of range for size ${v.size}`);
    return v.data[j]!;
  });
  return Tensor.from(v.dtype, vals, shape as number[]);
}

const GatherElements: OpSchema = {
  opType: 'GatherElements',
  since: 13,
  category: 'indexing',
  minInputs: 2,
  maxInputs: 2,
  attrs: { axis: { type: 'int', default: 0 } },
  doc: 'out[i][j][k] = data[index][j][k] along axis (torch.gather).',
  infer(ctx) {
    const x = input(ctx, 0);
    const idx = input(ctx, 1);
    requireDType(idx.dtype, INDEX_TYPES, 'indices');
    if (idx.shape.length !== x.shape.length || x.shape.length === 0) {
      throw new ShapeError(
        `indices ${formatShape(idx.shape)} must have the rank of data ${formatShape(x.shape)} (>= 1)`,
      );
    }
    normalizeAxis(ctx.attrs.axis as number, x.shape.length);
    return [{ dtype: x.dtype, shape: idx.shape }];
  },
};

const GatherND: OpSchema = {
  opType: 'GatherND',
  since: 13,
  category: 'indexing',
  minInputs: 2,
  maxInputs: 2,
  attrs: { batch_dims: { type: 'int', default: 0 } },
  doc: 'Gathers slices of data addressed by the last axis of indices, after batch_dims leading batch axes.',
  infer(ctx) {
    const x = input(ctx, 0);
    const idx = input(ctx, 1);
    requireDType(idx.dtype, ['int64'], 'indices');
    const b = ctx.attrs.batch_dims as number;
    const k = ndDepth(x, idx, b);
    return [{ dtype: x.dtype, shape: [...idx.shape.slice(0, -1), ...x.shape.slice(b + k)] }];
  },
};

/** Checks GatherND/ScatterND index shapes; returns the index depth (indices' last dim). */
function ndDepth(x: TensorInfo, idx: TensorInfo, b: number): number {
  const r = x.shape.length;
  const q = idx.shape.length;
  if (r < 1 || q < 1) throw new ShapeError(`data and indices must have rank >= 1, got ${r} and ${q}`);
  if (!(b >= 0 && b < Math.min(r, q)))
    throw new AttributeError(`batch_dims ${b} must be in [0, ${Math.min(r, q) - 1}]`);
  const k = idx.shape[q - 1]!;
  if (typeof k !== 'number') throw new ShapeError(`the last dim of indices must be static, got '${k}'`);
  if (k < 1 || k > r - b)
    throw new ShapeError(
      `indices address ${k} axes, but data ${formatShape(x.shape)} has ${r - b} after the batch dims`,
    );
  for (let i = 0; i < b; i++) {
    const [dx, di] = [x.shape[i]!, idx.shape[i]!];
    if (typeof dx === 'number' && typeof di === 'number' && dx !== di) {
      throw new ShapeError(`batch dim ${i} differs: data has ${dx}, indices has ${di}`);
    }
  }
  return k;
}

const REDUCTIONS = ['none', 'add', 'mul', 'max', 'min'];

/** Checks a scatter reduction attribute against the data dtype. */
function checkReduction(ctx: InferContext, dtype: DType): void {
  const red = ctx.attrs.reduction as string;
  if (!REDUCTIONS.includes(red))
    throw new AttributeError(`reduction must be one of ${REDUCTIONS.join('/')}, got '${red}'`);
  if (red !== 'none' && isStorageOnly(dtype))
    throw new DTypeError(`reduction '${red}' needs arithmetic, ${dtype} is storage only`);
}

/** Checks that updates has `shape` (static dims must agree). */
function checkSameShape(what: string, got: readonly Dim[], want: readonly Dim[]): void {
  const ok =
    got.length === want.length &&
    got.every((d, i) => d === want[i] || typeof d !== 'number' || typeof want[i] !== 'number');
  if (!ok) throw new ShapeError(`${what} has shape ${formatShape(got)}, expected ${formatShape(want)}`);
}

const ScatterElements: OpSchema = {
  opType: 'ScatterElements',
  since: 18,
  category: 'indexing',
  minInputs: 3,
  maxInputs: 3,
  attrs: { axis: { type: 'int', default: 0 }, reduction: { type: 'string', default: 'none' } },
  doc: 'Copy of data with updates written (or reduced: add/mul/max/min) at indices along axis.',
  infer(ctx) {
    const x = input(ctx, 0);
    const idx = input(ctx, 1);
    const upd = input(ctx, 2);
    requireDType(idx.dtype, INDEX_TYPES, 'indices');
    if (upd.dtype !== x.dtype) throw new DTypeError(`updates has dtype ${upd.dtype}, data has ${x.dtype}`);
    if (idx.shape.length !== x.shape.length || x.shape.length === 0) {
      throw new ShapeError(
        `indices ${formatShape(idx.shape)} must have the rank of data ${formatShape(x.shape)} (>= 1)`,
      );
    }
    checkSameShape('updates', upd.shape, idx.shape);
    normalizeAxis(ctx.attrs.axis as number, x.shape.length);
    checkReduction(ctx, x.dtype);
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

const ScatterND: OpSchema = {
  opType: 'ScatterND',
  since: 18,
  category: 'indexing',
  minInputs: 3,
  maxInputs: 3,
  attrs: { reduction: { type: 'string', default: 'none' } },
  doc: 'Copy of data with slices replaced (or reduced) at the positions indices address.',
  infer(ctx) {
    const x = input(ctx, 0);
    const idx = input(ctx, 1);
    const upd = input(ctx, 2);
    requireDType(idx.dtype, ['int64'], 'indices');
    if (upd.dtype !== x.dtype) throw new DTypeError(`updates has dtype ${upd.dtype}, data has ${x.dtype}`);
    const k = ndDepth(x, idx, 0);
    checkSameShape('updates', upd.shape, [...idx.shape.slice(0, -1), ...x.shape.slice(k)]);
    checkReduction(ctx, x.dtype);
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

const PAD_MODES = ['constant', 'reflect', 'edge', 'wrap'];

/**
 * Pads per axis of a Pad node: `[begin, end]` for every axis of a tensor of `rank` (zeros for
 * axes not listed).
 */
function padAmounts(
  pads: readonly number[],
  axes: readonly number[] | undefined,
  rank: number,
): [number, number][] {
  const ax = (axes ?? [...Array(rank).keys()]).map((a) => normalizeAxis(a, rank, 'axes entry'));
  if (new Set(ax).size !== ax.length) throw new AttributeError(`axes [${axes?.join(', ')}] has duplicates`);
  if (pads.length !== 2 * ax.length) {
    throw new ShapeError(
      `pads has ${pads.length} entries, expected 2 × ${ax.length} (one begin and one end per axis)`,
    );
  }
  const out: [number, number][] = Array.from({ length: rank }, () => [0, 0]);
  ax.forEach((a, i) => {
    out[a] = [pads[i]!, pads[i + ax.length]!];
  });
  return out;
}

const Pad: OpSchema = {
  opType: 'Pad',
  since: 18,
  category: 'indexing',
  minInputs: 2,
  maxInputs: 4,
  attrs: { mode: { type: 'string', default: 'constant' } },
  doc: 'Pads (or crops, with negative pads) in constant, reflect, edge or wrap mode (wrap needs opset 19).',
  infer(ctx) {
    const x = input(ctx, 0);
    const mode = ctx.attrs.mode as string;
    if (!PAD_MODES.includes(mode))
      throw new AttributeError(`mode must be one of ${PAD_MODES.join('/')}, got '${mode}'`);
    const pads = indexVector(ctx, 1, 'pads');
    const cv = ctx.inputs[2];
    if (cv) {
      if (cv.dtype !== x.dtype)
        throw new DTypeError(`constant_value has dtype ${cv.dtype}, data has ${x.dtype}`);
      if (cv.shape.length > 1 || (cv.shape.length === 1 && cv.shape[0] !== 1)) {
        throw new ShapeError(`constant_value must be a scalar, got ${formatShape(cv.shape)}`);
      }
    }
    const axes = optionalConstInts(ctx, 3, 'axes');
    if (axes && ctx.inputs[3]) requireDType(ctx.inputs[3].dtype, INDEX_TYPES, 'axes');
    const amounts = padAmounts(pads, axes, x.shape.length);
    const shape = x.shape.map((d, i) => {
      const [b, e] = amounts[i]!;
      if (b === 0 && e === 0) return d;
      if (typeof d !== 'number') return dimSum([d, b + e]);
      const n = d + b + e;
      if (n < 0) throw new ShapeError(`pads [${b}, ${e}] remove more than the ${d} elements of axis ${i}`);
      if (mode !== 'constant' && n > 0 && d + Math.min(b, 0) + Math.min(e, 0) <= 0) {
        throw new ShapeError(`${mode} padding needs at least one element on axis ${i} after cropping`);
      }
      return n;
    });
    return [{ dtype: x.dtype, shape }];
  },
};

const OneHot: OpSchema = {
  opType: 'OneHot',
  since: 11,
  category: 'indexing',
  minInputs: 3,
  maxInputs: 3,
  attrs: { axis: { type: 'int', default: -1 } },
  doc: 'One-hot encoding: a new axis of size depth holding values[1] at the index and values[0] elsewhere.',
  infer(ctx) {
    const idx = input(ctx, 0);
    const depthInfo = input(ctx, 1);
    const values = input(ctx, 2);
    if (isStorageOnly(idx.dtype) || idx.dtype === 'bool')
      throw new DTypeError(`indices must be numeric, got ${idx.dtype}`);
    if (depthInfo.shape.length > 1 || (depthInfo.shape.length === 1 && depthInfo.shape[0] !== 1)) {
      throw new ShapeError(`depth must be a scalar, got ${formatShape(depthInfo.shape)}`);
    }
    if (values.shape.length !== 1 || (typeof values.shape[0] === 'number' && values.shape[0] !== 2)) {
      throw new ShapeError(`values must be [off, on] (shape [2]), got ${formatShape(values.shape)}`);
    }
    const depth = Math.trunc(constInts(ctx, 1, 'depth')[0]!);
    if (!(depth >= 1)) throw new ShapeError(`depth must be >= 1, got ${depth}`);
    const rank = idx.shape.length + 1;
    const axis = normalizeAxis(ctx.attrs.axis as number, rank);
    const shape = [...idx.shape];
    shape.splice(axis, 0, depth);
    return [{ dtype: values.dtype, shape }];
  },
};

const NonZero: OpSchema = {
  opType: 'NonZero',
  since: 13,
  category: 'indexing',
  minInputs: 1,
  maxInputs: 1,
  attrs: {},
  doc: 'Indices of the non-zero elements, as [rank, count] int64 (count is data-dependent: symbolic "nonzero").',
  infer(ctx) {
    const x = input(ctx, 0);
    if (isStorageOnly(x.dtype)) throw new DTypeError(`NonZero does not accept storage type ${x.dtype}`);
    const rank = Math.max(x.shape.length, 1);
    if (!x.value) return [{ dtype: 'int64', shape: [rank, 'nonzero'] }];
    const nz = nonZeroIndices(x.value);
    const count = nz.length / rank;
    return [
      {
        dtype: 'int64',
        shape: [rank, count],
        value: nz.length <= FOLD_LIMIT ? int64Tensor(nz, [rank, count]) : undefined,
      },
    ];
  },
};

/**
 * Coordinates of the non-zero elements of `t`, as the flattened `[rank, count]` result of
 * NonZero (row-major order). A scalar is treated as shape [1].
 */
function nonZeroIndices(t: Tensor): number[] {
  const dims = t.rank ? t.dims : [1];
  const hits = nonZeroFlatIndices(t);
  const out = new Array<number>(hits.length * dims.length);
  hits.forEach((flat, j) => {
    let rest = flat;
    for (let a = dims.length - 1; a >= 0; a--) {
      out[a * hits.length + j] = rest % dims[a]!;
      rest = Math.floor(rest / dims[a]!);
    }
  });
  return out;
}

/** Indexing ops. */
export const INDEXING_OPS: readonly OpSchema[] = [
  Slice,
  Gather,
  GatherElements,
  GatherND,
  ScatterElements,
  ScatterND,
  Pad,
  OneHot,
  NonZero,
];
