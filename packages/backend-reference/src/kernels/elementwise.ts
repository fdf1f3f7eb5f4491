/**
 * Elementwise kernels: arithmetic, comparisons, logic, Where and Cast. Values compute in float64
 * and round to the output dtype; int64/uint64 take an exact bigint path; 32-bit integer products
 * wrap as C does.
 * @module
 */
import { type DType, Tensor as HostTensor, type Tensor } from '@ocular/core';
import { CAST_KERNELS } from './cast.js';
import { inferOutputs } from './infer.js';
import { erf } from './math-functions.js';
import {
  bigMax,
  bigMin,
  broadcastMap,
  makeTensor,
  outputSize,
  readBig,
  readNum,
  useBig,
} from './math-helpers.js';
import type { Kernel } from './types.js';

type Result = number | bigint | boolean;
type NumFn = (a: number, b: number) => Result;
type BigFn = (a: bigint, b: bigint) => Result;

/** A broadcasting kernel over any number of inputs, folding `f` left to right per element. */
function broadcasting(
  numFor: (dtype: DType) => NumFn,
  bigFn?: BigFn,
  finish?: (v: number, count: number) => number,
): Kernel {
  return (inputs, attrs, ctx) => {
    const [out] = inferOutputs(inputs, attrs, ctx);
    const { dims, dtype } = out!;
    const n = outputSize(dtype, dims);
    const xs = inputs as readonly Tensor[];
    const maps = xs.map((t) => broadcastMap(t.dims, dims));
    const inDType = xs[0]!.dtype;
    const res = new Array<Result>(n);
    if (bigFn && useBig(inDType)) {
      const vals = xs.map(readBig);
      for (let i = 0; i < n; i++) {
        let acc: Result = vals[0]![maps[0] ? maps[0][i]! : i]!;
        for (let k = 1; k < xs.length; k++) acc = bigFn(acc as bigint, vals[k]![maps[k] ? maps[k]![i]! : i]!);
        res[i] = acc;
      }
    } else {
      const f = numFor(inDType);
      const vals = xs.map(readNum);
      for (let i = 0; i < n; i++) {
        let acc: Result = vals[0]![maps[0] ? maps[0][i]! : i]!;
        for (let k = 1; k < xs.length; k++) acc = f(acc as number, vals[k]![maps[k] ? maps[k]![i]! : i]!);
        res[i] = finish ? finish(acc as number, xs.length) : acc;
      }
    }
    return [makeTensor(dtype, dims, res as ArrayLike<number | bigint | boolean>)];
  };
}

/** A kernel applying `num` (or `big` for int64/uint64) to every element. */
function unary(num: (v: number) => number, big?: (v: bigint) => bigint): Kernel {
  return (inputs, attrs, ctx) => {
    inferOutputs(inputs, attrs, ctx);
    const t = inputs[0]!;
    if (big && useBig(t.dtype)) return [makeTensor(t.dtype, t.dims, readBig(t).map(big))];
    return [makeTensor(t.dtype, t.dims, readNum(t).map(num))];
  };
}

const isInt32Like = (d: DType): boolean => d === 'int32' || d === 'uint32';
const isIntDType = (d: DType): boolean => d.startsWith('int') || d.startsWith('uint');

/** Rounds half to even (numpy's `round`), keeping the sign of zero. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/** C's `pow` where JS's `**` differs: 1^y = 1 (also for NaN) and (-1)^±Inf = 1. */
function cpow(a: number, b: number): number {
  if (a === 1) return 1;
  if (a === -1 && (b === Number.POSITIVE_INFINITY || b === Number.NEGATIVE_INFINITY)) return 1;
  return a ** b;
}

/** a^e modulo 2^64 (two's complement) by squaring, so huge exponents cost O(log e). */
function powWrap(a: bigint, e: bigint): bigint {
  let result = 1n;
  let base = BigInt.asIntN(64, a);
  while (e > 0n) {
    if (e & 1n) result = BigInt.asIntN(64, result * base);
    base = BigInt.asIntN(64, base * base);
    e >>= 1n;
  }
  return result;
}

const POW: Kernel = (inputs, attrs, ctx) => {
  const [x, y] = inputs as Tensor[];
  const [out] = inferOutputs(inputs, attrs, ctx);
  const { dims, dtype } = out!;
  const n = outputSize(dtype, dims);
  const mx = broadcastMap(x!.dims, dims);
  const my = broadcastMap(y!.dims, dims);
  const ev = readNum(y!);
  const res = new Array<number | bigint>(n);
  if (isIntDType(dtype)) {
    // Integer bases: exact wrapping integer power for integral exponents >= 0; otherwise
    // the float result truncated toward zero (numpy's power followed by astype).
    const xv: (number | bigint)[] = useBig(dtype) ? readBig(x!) : readNum(x!);
    for (let i = 0; i < n; i++) {
      const a = xv[mx ? mx[i]! : i]!;
      const e = ev[my ? my[i]! : i]!;
      if (Number.isInteger(e) && e >= 0) {
        const p = powWrap(BigInt(a), BigInt(e));
        res[i] = useBig(dtype) ? p : Number(BigInt.asIntN(32, p));
      } else {
        const p = Math.trunc(cpow(Number(a), e));
        res[i] = Number.isFinite(p) ? (useBig(dtype) ? BigInt(p) : p) : useBig(dtype) ? 0n : 0;
      }
    }
  } else {
    const xv = readNum(x!);
    for (let i = 0; i < n; i++) res[i] = cpow(xv[mx ? mx[i]! : i]!, ev[my ? my[i]! : i]!);
  }
  return [makeTensor(dtype, dims, res)];
};

const WHERE: Kernel = (inputs, attrs, ctx) => {
  const [c, x, y] = inputs as Tensor[];
  const [out] = inferOutputs(inputs, attrs, ctx);
  const { dims, dtype } = out!;
  const n = outputSize(dtype, dims);
  const mc = broadcastMap(c!.dims, dims);
  const mx = broadcastMap(x!.dims, dims);
  const my = broadcastMap(y!.dims, dims);
  // Copy stored elements as they are (bigints, float16 bits), so every dtype is exact.
  const data = HostTensor.zeros(dtype, dims).data as unknown as { [i: number]: number | bigint };
  const cd = c!.data as Uint8Array;
  const xd = x!.data as unknown as ArrayLike<number | bigint>;
  const yd = y!.data as unknown as ArrayLike<number | bigint>;
  for (let i = 0; i < n; i++) {
    data[i] = cd[mc ? mc[i]! : i] ? xd[mx ? mx[i]! : i]! : yd[my ? my[i]! : i]!;
  }
  return [new HostTensor(dtype, data as never, dims)];
};

const maxNum: NumFn = (a, b) => (a > b || Number.isNaN(a) ? a : b);
const minNum: NumFn = (a, b) => (a < b || Number.isNaN(a) ? a : b);

/** Elementwise kernels by op type. */
export const ELEMENTWISE_KERNELS: Record<string, Kernel> = {
  Add: broadcasting(
    () => (a, b) => a + b,
    (a, b) => a + b,
  ),
  Sub: broadcasting(
    () => (a, b) => a - b,
    (a, b) => a - b,
  ),
  Mul: broadcasting(
    (d) => (isInt32Like(d) ? (a, b) => Math.imul(a, b) : (a, b) => a * b),
    (a, b) => a * b,
  ),
  Div: broadcasting(
    (d) => (isIntDType(d) ? (a, b) => (b === 0 ? 0 : Math.trunc(a / b)) : (a, b) => a / b),
    // BigInt division truncates toward zero, as C does; x / 0 is undefined in ONNX, 0 here.
    (a, b) => (b === 0n ? 0n : a / b),
  ),
  Pow: POW,
  Sqrt: unary(Math.sqrt),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Neg: unary(
    (v) => -v,
    (v) => -v,
  ),
  Abs: unary(Math.abs, (v) => (v < 0n ? -v : v)),
  Reciprocal: unary((v) => 1 / v),
  Floor: unary(Math.floor),
  Ceil: unary(Math.ceil),
  Round: unary(roundHalfEven),
  Sign: unary(Math.sign, (v) => (v > 0n ? 1n : v < 0n ? -1n : 0n)),
  Erf: unary(erf),
  Min: broadcasting(() => minNum, bigMin),
  Max: broadcasting(() => maxNum, bigMax),
  Sum: broadcasting(() => (a, b) => a + b),
  Mean: broadcasting(
    () => (a, b) => a + b,
    undefined,
    (v, count) => v / count,
  ),
  Equal: broadcasting(
    () => (a, b) => a === b,
    (a, b) => a === b,
  ),
  Less: broadcasting(
    () => (a, b) => a < b,
    (a, b) => a < b,
  ),
  Greater: broadcasting(
    () => (a, b) => a > b,
    (a, b) => a > b,
  ),
  LessOrEqual: broadcasting(
    () => (a, b) => a <= b,
    (a, b) => a <= b,
  ),
  GreaterOrEqual: broadcasting(
    () => (a, b) => a >= b,
    (a, b) => a >= b,
  ),
  And: broadcasting(() => (a, b) => a !== 0 && b !== 0),
  Or: broadcasting(() => (a, b) => a !== 0 || b !== 0),
  Xor: broadcasting(() => (a, b) => (a !== 0) !== (b !== 0)),
  Not: unary((v) => (v ? 0 : 1)),
  Where: WHERE,
  ...CAST_KERNELS,
};
