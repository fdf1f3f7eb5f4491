/**
 * Shape-inference helpers shared by the math op schemas (elementwise, activation, reduce,
 * normalization, linalg): dtype groups as ONNX's type constraints name them, unidirectional
 * broadcasting and axis lists.
 * @module
 */
import type { DType } from '../dtype.js';
import { AttributeError, ShapeError } from '../errors.js';
import { type Dim, formatShape } from '../ir/graph.js';
import { FLOAT_TYPES, NUMERIC_TYPES } from './util.js';

/** Float dtypes plus the signed integers (Neg, Relu, Sign-like ops that need a sign). */
export const SIGNED_TYPES: readonly DType[] = [...FLOAT_TYPES, 'int8', 'int16', 'int32', 'int64'];

/** Every numeric dtype and bool: what Where, Equal and the layout ops accept (no storage types). */
export const DATA_TYPES: readonly DType[] = [...NUMERIC_TYPES, 'bool'];

/** The 32/64-bit integers and the floats: ONNX's set for MatMul, Gemm, CumSum and most reductions. */
export const WIDE_NUMERIC_TYPES: readonly DType[] = [...FLOAT_TYPES, 'int32', 'int64', 'uint32', 'uint64'];

/** True when two dims may be equal at run time (equal numbers, or either symbolic). */
export function dimsCompatible(a: Dim, b: Dim): boolean {
  return a === b || typeof a === 'string' || typeof b === 'string';
}

/**
 * Checks that `from` broadcasts unidirectionally to `target` (numpy rules, `target` unchanged),
 * as PRelu's slope, Gemm's C and LayerNormalization's scale must.
 */
export function checkUnidirectional(target: readonly Dim[], from: readonly Dim[], what: string): void {
  if (from.length > target.length) {
    throw new ShapeError(
      `${what} ${formatShape(from)} has rank ${from.length}, more than the rank ${target.length} of ${formatShape(target)} it must broadcast to`,
    );
  }
  for (let i = 0; i < from.length; i++) {
    const f = from[from.length - 1 - i]!;
    const t = target[target.length - 1 - i]!;
    if (f === 1 || dimsCompatible(f, t)) continue;
    throw new ShapeError(`${what} ${formatShape(from)} does not broadcast to ${formatShape(target)}`);
  }
}

/**
 * Normalises an axis list for a tensor of `rank`: negative axes count from the end; an axis out
 * of range or repeated throws {@link AttributeError}.
 */
export function normalizeAxes(axes: readonly number[], rank: number, what = 'axes'): number[] {
  const out: number[] = [];
  for (const a of axes) {
    const n = a < 0 ? a + rank : a;
    if (!Number.isInteger(n) || n < 0 || n >= rank) {
      throw new AttributeError(`${what} [${axes.join(', ')}]: axis ${a} is out of range for rank ${rank}`);
    }
    if (out.includes(n)) throw new AttributeError(`${what} [${axes.join(', ')}]: axis ${a} is repeated`);
    out.push(n);
  }
  return out;
}

/** Throws {@link AttributeError} unless the int attribute `name` is 0 or 1. */
export function checkFlag(attrs: Readonly<Record<string, unknown>>, name: string): boolean {
  const v = attrs[name];
  if (v !== 0 && v !== 1) throw new AttributeError(`attribute '${name}' must be 0 or 1, got ${String(v)}`);
  return v === 1;
}
