/**
 * Constant folding for the elementwise and reduce ops' shape inference. Exported graphs compute
 * shape-like operands with arithmetic on `Shape` (`Div(C, heads)`, `Mul(Cast(H), scale)` then
 * `Floor` and `Cast` for Resize sizes, `ReduceProd` of trailing dims); when every input is a
 * known constant and the output is small, the schema returns its value so those operands stay
 * constant at trace time. The rules are the kernels' (float64 compute rounded to the dtype,
 * integer division truncating, 32-bit products wrapping); storage-type casts are not folded.
 * @module
 */
import { type DType, isFloat, isInteger, isStorageOnly } from '../dtype.js';
import type { Dim } from '../ir/graph.js';
import type { TensorInfo } from '../ir/schema.js';
import { stridesOf, Tensor } from '../tensor.js';
import { FOLD_LIMIT, isStaticShape } from './fold.js';

type Fn = (...v: number[]) => number | boolean;

const int32Like = (d: DType): boolean => d === 'int32' || d === 'uint32';

/** The per-element function of a foldable op for input dtype `d`, or undefined when it does not fold. */
function elementFn(op: string, d: DType): Fn | undefined {
  const int = isInteger(d);
  switch (op) {
    case 'Add':
    case 'Sum':
      return (a, b) => a + b;
    case 'Sub':
      return (a, b) => a - b;
    case 'Mul':
      return int32Like(d) ? (a, b) => Math.imul(a, b) : (a, b) => a * b;
    case 'Div':
      return int ? (a, b) => (b === 0 ? 0 : Math.trunc(a / b)) : (a, b) => a / b;
    case 'Neg':
      return (a) => -a;
    case 'Abs':
      return Math.abs;
    case 'Floor':
      return Math.floor;
    case 'Ceil':
      return Math.ceil;
    case 'Sqrt':
      return Math.sqrt;
    case 'Min':
      return (a, b) => (Number.isNaN(a) || a < b ? a : b);
    case 'Max':
      return (a, b) => (Number.isNaN(a) || a > b ? a : b);
    case 'Equal':
      return (a, b) => a === b;
    case 'Less':
      return (a, b) => a < b;
    case 'Greater':
      return (a, b) => a > b;
    case 'LessOrEqual':
      return (a, b) => a <= b;
    case 'GreaterOrEqual':
      return (a, b) => a >= b;
    case 'And':
      return (a, b) => a !== 0 && b !== 0;
    case 'Or':
      return (a, b) => a !== 0 || b !== 0;
    case 'Not':
      return (a) => a === 0;
    case 'Where':
      return (cond, x, y) => (cond !== 0 ? x : y);
    default:
      return undefined;
  }
}

/** For each element of `outDims`, the flat index numpy broadcasting reads from `inDims`. */
function broadcastIndex(inDims: readonly number[], outDims: readonly number[], n: number): Int32Array {
  const rank = outDims.length;
  const inStrides = stridesOf(inDims);
  const strides = new Array<number>(rank).fill(0);
  inDims.forEach((d, i) => {
    strides[rank - inDims.length + i] = d === 1 ? 0 : inStrides[i]!;
  });
  const outStrides = stridesOf(outDims);
  const map = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let rem = k;
    let off = 0;
    for (let a = 0; a < rank; a++) {
      const idx = Math.floor(rem / outStrides[a]!);
      rem -= idx * outStrides[a]!;
      off += idx * strides[a]!;
    }
    map[k] = off;
  }
  return map;
}

/** Number of elements of a static shape. */
function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Values worth folding: every input constant, numeric or bool, and no 64-bit value beyond 2^53. */
function foldable(inputs: readonly (TensorInfo | undefined)[]): Tensor[] | undefined {
  const out: Tensor[] = [];
  for (const t of inputs) {
    if (!t?.value || isStorageOnly(t.dtype) || t.value.size > FOLD_LIMIT) return undefined;
    if (t.dtype === 'int64' || t.dtype === 'uint64') {
      for (const v of t.value.data as BigInt64Array) if (v > 2n ** 53n || v < -(2n ** 53n)) return undefined;
    }
    out.push(t.value);
  }
  return out;
}

/**
 * The folded value of an elementwise op whose output is `out`, or undefined when some input is
 * not a small constant or the op does not fold.
 */
export function foldElementwise(
  op: string,
  inputs: readonly (TensorInfo | undefined)[],
  out: { readonly dtype: DType; readonly shape: readonly Dim[] },
): Tensor | undefined {
  if (!isStaticShape(out.shape) || isStorageOnly(out.dtype)) return undefined;
  const n = count(out.shape);
  if (n > FOLD_LIMIT) return undefined;
  const values = foldable(inputs);
  if (!values?.length) return undefined;
  // Where's first input is the condition; the value dtype is its second.
  const fn = elementFn(op, values[op === 'Where' ? 1 : 0]!.dtype);
  if (!fn) return undefined;
  const nums = values.map((v) => v.toNumbers());
  const maps = values.map((v) => broadcastIndex(v.dims, out.shape as number[], n));
  const res = new Array<number | boolean>(n);
  for (let k = 0; k < n; k++) {
    if (op === 'Where') {
      res[k] = fn(nums[0]![maps[0]![k]!]!, nums[1]![maps[1]![k]!]!, nums[2]![maps[2]![k]!]!);
      continue;
    }
    let acc: number | boolean = nums[0]![maps[0]![k]!]!;
    if (nums.length === 1) acc = fn(acc as number);
    for (let i = 1; i < nums.length; i++) acc = fn(acc as number, nums[i]![maps[i]![k]!]!);
    res[k] = acc;
  }
  const nums64 = res.map(Number);
  // Integer results beyond 2^53 would not be exact in a double; leave them to the kernel.
  if (isInteger(out.dtype) && nums64.some((x) => !Number.isFinite(x) || Math.abs(x) > 2 ** 53))
    return undefined;
  return Tensor.from(out.dtype, nums64, out.shape as number[]);
}

/** The folded value of Cast to `to` (not a storage type), or undefined. */
export function foldCast(input: TensorInfo, to: DType): Tensor | undefined {
  const values = foldable([input]);
  if (!values || isStorageOnly(to) || !isStaticShape(input.shape)) return undefined;
  const v = values[0]!.toNumbers();
  // Float to integer truncates toward zero; NaN and infinities have no integer value, so do not fold them.
  if (!isFloat(to) && to !== 'bool') {
    if (v.some((x) => !Number.isFinite(x))) return undefined;
    return Tensor.from(to, v.map(Math.trunc), input.shape as number[]);
  }
  return Tensor.from(to, to === 'bool' ? v.map((x) => x !== 0) : v, input.shape as number[]);
}

/** The folded value of a Sum/Prod/Max/Min reduction of a small integer constant, or undefined. */
export function foldReduce(
  op: string,
  input: TensorInfo,
  axes: readonly number[],
  out: { readonly dtype: DType; readonly shape: readonly Dim[] },
): Tensor | undefined {
  const values = foldable([input]);
  if (!values || !isInteger(input.dtype) || !isStaticShape(out.shape) || !isStaticShape(input.shape))
    return undefined;
  const step: Record<string, [number, (a: number, b: number) => number]> = {
    ReduceSum: [0, (a, b) => a + b],
    ReduceProd: [1, (a, b) => a * b],
    ReduceMax: [Number.NEGATIVE_INFINITY, Math.max],
    ReduceMin: [Number.POSITIVE_INFINITY, Math.min],
  };
  const rule = step[op];
  if (!rule) return undefined;
  const dims = input.shape as number[];
  // The keepdims output broadcast back onto the input names each element's output slot.
  const kept = dims.map((d, i) => (axes.includes(i) ? 1 : d));
  const nOut = count(kept);
  const acc = new Array<number>(nOut).fill(rule[0]);
  const v = values[0]!.toNumbers();
  const map = broadcastIndex(kept, dims, v.length);
  for (let k = 0; k < v.length; k++) acc[map[k]!] = rule[1](acc[map[k]!]!, v[k]!);
  if (acc.some((a) => !Number.isFinite(a) || Math.abs(a) > 2 ** 53)) return undefined;
  return Tensor.from(out.dtype, acc, out.shape as number[]);
}
