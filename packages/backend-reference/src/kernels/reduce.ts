/**
 * Reduction kernels (opset 18 semantics) and ArgMax/ArgMin. Floats accumulate in float64;
 * int64/uint64 accumulate exactly as bigints; narrower integers wrap as numpy's same-dtype
 * accumulators do.
 * @module
 */
import { type DType, isFloat, type Tensor } from '@ocular/core';
import { inferOutputs } from './infer.js';
import {
  bigMax,
  bigMin,
  broadcastMap,
  makeTensor,
  outputSize,
  readBig,
  readNum,
  splitAxis,
  useBig,
} from './math-helpers.js';
import type { Kernel } from './types.js';

/** One reduction: start value, step, and the final transform given the element count. */
interface Reducer<T> {
  init: T;
  step: (acc: T, v: T) => T;
  finish?: (acc: T, count: number) => T;
}

/** Runs a reduction over the axes the schema resolved, writing one accumulator per output element. */
function run<T>(
  x: Tensor,
  values: readonly T[],
  keepShape: readonly number[],
  outSize: number,
  r: Reducer<T>,
): T[] {
  const acc = new Array<T>(outSize).fill(r.init);
  // Each input element adds into the output element its keepdims coordinates name: that is
  // the keepdims output broadcast back onto the input shape.
  const map = broadcastMap(keepShape, x.dims);
  for (let i = 0; i < values.length; i++) {
    const o = map ? map[i]! : i;
    acc[o] = r.step(acc[o]!, values[i]!);
  }
  // Elements folded into each output (0 for an empty reduced axis, so a mean is 0/0 = NaN).
  const count = outSize === 0 ? 0 : values.length / outSize;
  return r.finish ? acc.map((a) => r.finish!(a, count)) : acc;
}

type Family = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'l2' | 'sumsquare';

/** Wraps an integer sum/product to 32 bits so float64 accumulation stays exact; stores wrap further. */
const wrap32 = (v: number): number => v | 0;

function numberReducer(family: Family, dtype: DType): Reducer<number> {
  const int = !isFloat(dtype) && dtype !== 'bool';
  switch (family) {
    case 'sum':
      return { init: 0, step: int ? (a, v) => wrap32(a + v) : (a, v) => a + v };
    case 'mean':
      return {
        init: 0,
        step: (a, v) => a + v,
        // Integer means truncate toward zero (numpy's mean with an integer dtype).
        finish: int ? (a, n) => (n ? Math.trunc(a / n) : 0) : (a, n) => a / n,
      };
    case 'sumsquare':
      return { init: 0, step: int ? (a, v) => wrap32(a + Math.imul(v, v)) : (a, v) => a + v * v };
    case 'l2':
      return { init: 0, step: (a, v) => a + v * v, finish: (a) => Math.sqrt(a) };
    case 'prod':
      return { init: 1, step: int ? (a, v) => Math.imul(a, v) : (a, v) => a * v };
    case 'max':
      // NaN propagates, as numpy's maximum does.
      return {
        init: emptyMax(dtype),
        step: (a, v) => (Number.isNaN(a) ? a : v > a || Number.isNaN(v) ? v : a),
      };
    case 'min':
      return {
        init: emptyMin(dtype),
        step: (a, v) => (Number.isNaN(a) ? a : v < a || Number.isNaN(v) ? v : a),
      };
  }
}

/** The value ReduceMax gives an empty set: -inf for floats, the dtype minimum for integers, false. */
function emptyMax(dtype: DType): number {
  if (isFloat(dtype)) return Number.NEGATIVE_INFINITY;
  if (dtype === 'bool' || dtype.startsWith('uint')) return 0;
  return -(2 ** (Number(dtype.slice(3)) - 1));
}

/** The value ReduceMin gives an empty set: +inf for floats, the dtype maximum for integers, true. */
function emptyMin(dtype: DType): number {
  if (isFloat(dtype)) return Number.POSITIVE_INFINITY;
  if (dtype === 'bool') return 1;
  if (dtype.startsWith('uint')) return 2 ** Number(dtype.slice(4)) - 1;
  return 2 ** (Number(dtype.slice(3)) - 1) - 1;
}

function bigReducer(family: Family, dtype: DType): Reducer<bigint> | undefined {
  const unsigned = dtype === 'uint64';
  switch (family) {
    case 'sum':
      return { init: 0n, step: (a, v) => a + v };
    case 'sumsquare':
      return { init: 0n, step: (a, v) => a + v * v };
    case 'prod':
      return { init: 1n, step: (a, v) => BigInt.asIntN(64, a * v) };
    case 'mean':
      return { init: 0n, step: (a, v) => a + v, finish: (a, n) => (n ? a / BigInt(n) : 0n) };
    case 'max':
      return { init: unsigned ? 0n : -(2n ** 63n), step: bigMax };
    case 'min':
      return { init: unsigned ? 2n ** 64n - 1n : 2n ** 63n - 1n, step: bigMin };
    default:
      return undefined;
  }
}

function reduceKernel(family: Family): Kernel {
  return (inputs, attrs, ctx) => {
    const x = inputs[0]!;
    const [out] = inferOutputs(inputs, attrs, ctx);
    const { dims, dtype } = out!;
    const n = outputSize(dtype, dims);
    // The keepdims shape, from the schema's own axes rule (so empty-axes handling lives once).
    const keep = inferOutputs(inputs, { ...attrs, keepdims: 1 }, ctx)[0]!.dims;
    const big = useBig(dtype) ? bigReducer(family, dtype) : undefined;
    if (big) return [makeTensor(dtype, dims, run(x, readBig(x), keep, n, big))];
    return [makeTensor(dtype, dims, run(x, readNum(x), keep, n, numberReducer(family, dtype)))];
  };
}

function argKernel(isMax: boolean): Kernel {
  return (inputs, attrs, ctx) => {
    const x = inputs[0]!;
    const [out] = inferOutputs(inputs, attrs, ctx);
    const rank = x.dims.length;
    const axis = (attrs.axis as number) < 0 ? (attrs.axis as number) + rank : (attrs.axis as number);
    const last = attrs.select_last_index === 1;
    const { outer, size, inner } = splitAxis(x.dims, axis);
    const vals: (number | bigint)[] = useBig(x.dtype) ? readBig(x) : readNum(x);
    const res = new Array<bigint>(outer * inner);
    const better = isMax
      ? (v: number | bigint, b: number | bigint) => v > b
      : (v: number | bigint, b: number | bigint) => v < b;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * size * inner + j;
        let bi = 0;
        let bv = vals[base]!;
        for (let i = 1; i < size; i++) {
          const v = vals[base + i * inner]!;
          // numpy: the first NaN wins (the last one with select_last_index).
          if (Number.isNaN(bv)) {
            if (last && Number.isNaN(v)) bi = i;
            continue;
          }
          if (Number.isNaN(v) || better(v, bv) || (last && v === bv)) {
            bi = i;
            bv = v;
          }
        }
        res[o * inner + j] = BigInt(bi);
      }
    }
    return [makeTensor('int64', out!.dims, res)];
  };
}

/** Reduction kernels by op type. */
export const REDUCE_KERNELS: Record<string, Kernel> = {
  ReduceSum: reduceKernel('sum'),
  ReduceMean: reduceKernel('mean'),
  ReduceMax: reduceKernel('max'),
  ReduceMin: reduceKernel('min'),
  ReduceProd: reduceKernel('prod'),
  ReduceL2: reduceKernel('l2'),
  ReduceSumSquare: reduceKernel('sumsquare'),
  ArgMax: argKernel(true),
  ArgMin: argKernel(false),
};
