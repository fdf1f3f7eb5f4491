/**
 * Reduction op schemas with opset-18 semantics: `axes` is an optional int64 input (a constant
 * at trace time), `keepdims` keeps reduced axes as 1, and `noop_with_empty_axes` turns an empty
 * axis list into "reduce nothing" instead of "reduce everything". The older `axes` attribute is
 * accepted too, so graphs imported at opset 13–17 run unchanged. ArgMax/ArgMin (opset 13) take
 * one `axis` attribute.
 * @module
 */
import type { DType } from '../dtype.js';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import type { Dim } from '../ir/graph.js';
import type { InferContext, OpSchema } from '../ir/schema.js';
import { foldReduce } from './math-fold.js';
import { checkFlag, normalizeAxes, WIDE_NUMERIC_TYPES } from './math-util.js';
import { constInts, input, NUMERIC_TYPES, normalizeAxis, requireDType } from './util.js';

/**
 * The axes a reduce node reduces, sorted; `[]` means none (a no-op). Shared with kernels so the
 * rule for empty axes lives once.
 */
export function reduceAxes(ctx: InferContext): number[] {
  const x = input(ctx, 0);
  const rank = x.shape.length;
  const noop = checkFlag(ctx.attrs, 'noop_with_empty_axes');
  const axesInput = ctx.inputs[1];
  const axesAttr = ctx.attrs.axes as readonly number[] | undefined;
  let axes: number[] = axesAttr ? [...axesAttr] : [];
  if (axesInput && axesAttr) throw new AttributeError('axes is given both as an attribute and as an input');
  if (axesInput) {
    if (axesInput.dtype !== 'int64') throw new DTypeError(`axes must be int64, got ${axesInput.dtype}`);
    if (axesInput.shape.length > 1) {
      throw new ShapeError(`axes must be a 1-D tensor, got shape [${axesInput.shape.join(', ')}]`);
    }
    axes = constInts(ctx, 1, 'axes');
  }
  if (axes.length === 0) return noop ? [] : Array.from({ length: rank }, (_, i) => i);
  return normalizeAxes(axes, rank).sort((a, b) => a - b);
}

/** The output shape of reducing `shape` over `axes`. */
export function reducedShape(shape: readonly Dim[], axes: readonly number[], keepdims: boolean): Dim[] {
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

function reduce(opType: string, since: number, allowed: readonly DType[], doc: string): OpSchema {
  return {
    opType,
    since,
    category: 'reduce',
    minInputs: 1,
    maxInputs: 2,
    attrs: {
      // The pre-opset-18 form (opset 13 for ReduceSum) kept axes in an attribute; graphs
      // imported at older opsets use it, and it means the same as the input.
      axes: { type: 'ints' },
      keepdims: { type: 'int', default: 1 },
      noop_with_empty_axes: { type: 'int', default: 0 },
    },
    doc,
    infer(ctx) {
      const x = input(ctx, 0);
      requireDType(x.dtype, allowed, `${opType} input`);
      const keepdims = checkFlag(ctx.attrs, 'keepdims');
      const axes = reduceAxes(ctx);
      const out = { dtype: x.dtype, shape: reducedShape(x.shape, axes, keepdims) };
      return [{ ...out, value: foldReduce(opType, x, axes, out) }];
    },
  };
}

function argReduce(opType: string, doc: string): OpSchema {
  return {
    opType,
    since: 13,
    category: 'reduce',
    minInputs: 1,
    maxInputs: 1,
    attrs: {
      axis: { type: 'int', default: 0 },
      keepdims: { type: 'int', default: 1 },
      select_last_index: { type: 'int', default: 0 },
    },
    doc,
    infer(ctx) {
      const x = input(ctx, 0);
      requireDType(x.dtype, NUMERIC_TYPES, `${opType} input`);
      const keepdims = checkFlag(ctx.attrs, 'keepdims');
      checkFlag(ctx.attrs, 'select_last_index');
      const axis = normalizeAxis(ctx.attrs.axis as number, x.shape.length);
      if (x.shape[axis] === 0) throw new ShapeError(`${opType} over axis ${axis} of size 0 has no answer`);
      return [{ dtype: 'int64', shape: reducedShape(x.shape, [axis], keepdims) }];
    },
  };
}

const MINMAX_TYPES: readonly DType[] = [...WIDE_NUMERIC_TYPES, 'uint8', 'int8', 'bool'];

/** Reduction ops. */
export const REDUCE_OPS: readonly OpSchema[] = [
  reduce('ReduceSum', 13, WIDE_NUMERIC_TYPES, 'sum over axes (0 for an empty set)'),
  reduce('ReduceMean', 18, WIDE_NUMERIC_TYPES, 'mean over axes (NaN for an empty set)'),
  reduce('ReduceMax', 20, MINMAX_TYPES, 'maximum over axes (-inf, or the dtype minimum, for an empty set)'),
  reduce('ReduceMin', 20, MINMAX_TYPES, 'minimum over axes (+inf, or the dtype maximum, for an empty set)'),
  reduce('ReduceProd', 18, WIDE_NUMERIC_TYPES, 'product over axes (1 for an empty set)'),
  reduce('ReduceL2', 18, WIDE_NUMERIC_TYPES, 'sqrt(sum(x²)) over axes'),
  reduce('ReduceSumSquare', 18, WIDE_NUMERIC_TYPES, 'sum(x²) over axes'),
  argReduce('ArgMax', 'int64 index of the maximum along axis (first one unless select_last_index)'),
  argReduce('ArgMin', 'int64 index of the minimum along axis (first one unless select_last_index)'),
];
