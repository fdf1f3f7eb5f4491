/**
 * Helpers shared by op schemas' shape inference. Dims may be symbolic (strings); helpers keep
 * them symbolic where the rule allows and throw {@link ShapeError} where a static value is needed.
 * @module
 */
import { bytesPerElement, type DType } from '../dtype.js';
import { env } from '../env.js';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import type { Dim } from '../ir/graph.js';
import { formatShape } from '../ir/graph.js';
import type { InferContext, TensorInfo } from '../ir/schema.js';
import type { Tensor } from '../tensor.js';

/** Numpy-style multidirectional broadcasting of shapes. */
export function broadcastShapes(...shapes: readonly (readonly Dim[])[]): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const j = s.length - rank + i;
      if (j < 0) continue;
      const e = s[j]!;
      if (e === 1) continue;
      if (d === 1) d = e;
      else if (d !== e) {
        if (typeof d === 'string' || typeof e === 'string') {
          // Two different symbols, or a symbol against a number: assume they match at run time
          // only when one is a number > 1 (the symbol must equal it); keep the number.
          d = typeof d === 'number' ? d : e;
          continue;
        }
        throw new ShapeError(`cannot broadcast shapes ${shapes.map(formatShape).join(' and ')}`);
      }
    }
    out.push(d);
  }
  return out;
}

/** Normalises a possibly negative axis for a tensor of `rank`; throws when out of range. */
export function normalizeAxis(axis: number, rank: number, what = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new AttributeError(`${what} ${axis} is out of range for rank ${rank}`);
  }
  return a;
}

/** The input at `i`, or a ShapeError naming the op when it is missing. */
export function input(ctx: InferContext, i: number): TensorInfo {
  const t = ctx.inputs[i];
  if (!t) throw new ShapeError(`input ${i} is required`);
  return t;
}

/** The constant integer values of input `i` (Reshape's shape, Slice's starts, ...). */
export function constInts(ctx: InferContext, i: number, what: string): number[] {
  const t = ctx.inputs[i];
  if (!t) throw new ShapeError(`${what} (input ${i}) is required`);
  if (!t.value) {
    throw new ShapeError(`${what} (input ${i}) must be a constant known at trace time`);
  }
  return t.value.toNumbers();
}

/** Like {@link constInts} but returns undefined for an omitted input. */
export function optionalConstInts(ctx: InferContext, i: number, what: string): number[] | undefined {
  return ctx.inputs[i] ? constInts(ctx, i, what) : undefined;
}

/** Static value of a dim, or a ShapeError saying which dim must be static. */
export function staticDim(d: Dim, what: string): number {
  if (typeof d !== 'number') throw new ShapeError(`${what} must be static, got symbolic '${d}'`);
  return d;
}

/** Product of dims; symbolic when any dim is symbolic. */
export function dimProduct(dims: readonly Dim[]): Dim {
  let n = 1;
  const sym: string[] = [];
  for (const d of dims) {
    if (typeof d === 'number') n *= d;
    else sym.push(d);
  }
  if (!sym.length) return n;
  return n === 1 ? sym.join('*') : `${sym.join('*')}*${n}`;
}

/** Throws DTypeError unless all given inputs share one dtype; returns it. */
export function sameDType(ctx: InferContext, indices: readonly number[]): DType {
  let dt: DType | undefined;
  for (const i of indices) {
    const t = ctx.inputs[i];
    if (!t) continue;
    if (dt && t.dtype !== dt) throw new DTypeError(`input ${i} has dtype ${t.dtype}, expected ${dt}`);
    dt = t.dtype;
  }
  if (!dt) throw new DTypeError('no typed input');
  return dt;
}

/** Throws DTypeError unless `dtype` is in `allowed`. */
export function requireDType(dtype: DType, allowed: readonly DType[], what: string): void {
  if (!allowed.includes(dtype))
    throw new DTypeError(`${what} must be one of ${allowed.join('/')}, got ${dtype}`);
}

/** Float dtypes most ops accept. */
export const FLOAT_TYPES: readonly DType[] = ['float32', 'float16', 'bfloat16', 'float64'];
/** Numeric dtypes (no bool, no storage types). */
export const NUMERIC_TYPES: readonly DType[] = [
  'float32',
  'float16',
  'bfloat16',
  'float64',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
];

/** Largest element count any op output may have (typed arrays index with 32-bit ints). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Throws {@link ShapeError} when `count` elements of `dtype` exceed {@link MAX_ELEMENTS} or
 * `env.maxAllocationBytes`, so shapes computed from data (Range, ConstantOfShape, Expand, Tile)
 * cannot make a kernel allocate without bound.
 */
export function checkAllocation(count: number, dtype: DType, what: string): void {
  const bytes = count * bytesPerElement(dtype);
  if (!(count <= MAX_ELEMENTS) || !(bytes <= env.maxAllocationBytes)) {
    throw new ShapeError(
      `${what} would have ${count} elements of ${dtype} (${bytes} bytes); the limit is ${MAX_ELEMENTS} elements and env.maxAllocationBytes = ${env.maxAllocationBytes} bytes`,
    );
  }
}

/** One axis of a Slice after ONNX's clamping: first index, step and element count. */
export interface SliceRange {
  readonly start: number;
  readonly step: number;
  readonly length: number;
}

/**
 * Resolves one axis of ONNX Slice: negative `start`/`end` count from the end, then both are
 * clamped to `[0, dim]` (positive step) or `[0, dim-1]` / `[-1, dim-1]` (negative step), so
 * INT64_MAX / INT64_MIN sentinels mean "to the end". Throws {@link ShapeError} for a zero step.
 */
export function sliceRange(start: number, end: number, step: number, dim: number): SliceRange {
  if (step === 0 || !Number.isFinite(step)) throw new ShapeError(`slice step must be non-zero, got ${step}`);
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
  } else {
    s = Math.min(Math.max(s, 0), dim - 1);
    e = Math.min(Math.max(e, -1), dim - 1);
  }
  const length = Math.max(0, Math.ceil((e - s) / step));
  return { start: length ? s : 0, step, length };
}

/**
 * Row-major flat indices of the non-zero elements of `t` (NonZero's scan). float16/bfloat16
 * hold bits, so +0 and -0 (only the sign bit set) are both zero.
 */
export function nonZeroFlatIndices(t: Tensor): number[] {
  const data = t.data as ArrayLike<number | bigint>;
  const half = t.dtype === 'float16' || t.dtype === 'bfloat16';
  const hits: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (half ? ((v as number) & 0x7fff) !== 0 : v !== 0 && v !== 0n) hits.push(i);
  }
  return hits;
}
