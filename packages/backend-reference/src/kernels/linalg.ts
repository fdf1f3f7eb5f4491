/**
 * Linear-algebra kernels: MatMul, Gemm, Einsum, CumSum, TopK and Trilu. Products accumulate in
 * float64 (exact bigints for int64/uint64 MatMul and CumSum).
 * @module
 */
import { Tensor as HostTensor, opUtil, type Tensor, type TypedArray } from '@ocular/core';
import { einsum } from './einsum.js';
import { inferOutputs } from './infer.js';
import {
  broadcastMap,
  makeTensor,
  outputSize,
  readBig,
  readNum,
  scalarOf,
  splitAxis,
  useBig,
} from './math-helpers.js';
import type { Kernel } from './types.js';

const MATMUL: Kernel = (inputs, attrs, ctx) => {
  const [out] = inferOutputs(inputs, attrs, ctx);
  const [a, b] = inputs as Tensor[];
  const { dtype, dims } = out!;
  const ad = a!.dims.length === 1 ? [1, a!.dims[0]!] : a!.dims;
  const bd = b!.dims.length === 1 ? [b!.dims[0]!, 1] : b!.dims;
  const m = ad[ad.length - 2]!;
  const k = ad[ad.length - 1]!;
  const n = bd[bd.length - 1]!;
  const aBatch = ad.slice(0, -2);
  const bBatch = bd.slice(0, -2);
  const batch = opUtil.broadcastShapes(aBatch, bBatch) as number[];
  const nb = outputSize(dtype, [...batch, m, n]);
  const batches = m * n === 0 ? 0 : nb / (m * n);
  // Which matrix of A and of B each output batch reads (numpy broadcasting of batch dims).
  const aMap = broadcastMap(aBatch, batch);
  const bMap = broadcastMap(bBatch, batch);
  const big = useBig(dtype);
  const av: (number | bigint)[] = big ? readBig(a!) : readNum(a!);
  const bv: (number | bigint)[] = big ? readBig(b!) : readNum(b!);
  const res = new Array<number | bigint>(nb);
  const int32 = dtype === 'int32' || dtype === 'uint32';
  for (let t = 0; t < batches; t++) {
    const ao = (aMap ? aMap[t]! : t) * m * k;
    const bo = (bMap ? bMap[t]! : t) * k * n;
    const oo = t * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        if (big) {
          let acc = 0n;
          for (let p = 0; p < k; p++) acc += (av[ao + i * k + p] as bigint) * (bv[bo + p * n + j] as bigint);
          res[oo + i * n + j] = acc;
        } else if (int32) {
          // 32-bit integer products wrap as C does; the float64 sum of wrapped terms stays exact.
          let acc = 0;
          for (let p = 0; p < k; p++)
            acc = (acc + Math.imul(av[ao + i * k + p] as number, bv[bo + p * n + j] as number)) | 0;
          res[oo + i * n + j] = acc;
        } else {
          let acc = 0;
          for (let p = 0; p < k; p++) acc += (av[ao + i * k + p] as number) * (bv[bo + p * n + j] as number);
          res[oo + i * n + j] = acc;
        }
      }
    }
  }
  return [makeTensor(dtype, dims, res)];
};

const GEMM: Kernel = (inputs, attrs, ctx) => {
  const [out] = inferOutputs(inputs, attrs, ctx);
  const [a, b, c] = inputs;
  const { dtype, dims } = out!;
  const [m, n] = dims as [number, number];
  const ta = attrs.transA === 1;
  const tb = attrs.transB === 1;
  const k = ta ? a!.dims[0]! : a!.dims[1]!;
  const alpha = Math.fround(attrs.alpha as number);
  const beta = Math.fround(attrs.beta as number);
  const av = readNum(a!);
  const bv = readNum(b!);
  const cv = c ? readNum(c) : undefined;
  const cMap = c ? broadcastMap(c.dims, dims) : undefined;
  const res = new Array<number>(outputSize(dtype, dims));
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) {
        const x = ta ? av[p * m + i]! : av[i * k + p]!;
        const y = tb ? bv[j * k + p]! : bv[p * n + j]!;
        acc += x * y;
      }
      let v = alpha * acc;
      const o = i * n + j;
      if (cv && beta !== 0) v += beta * cv[cMap ? cMap[o]! : o]!;
      res[o] = v;
    }
  }
  return [makeTensor(dtype, dims, res)];
};

const EINSUM: Kernel = (inputs, attrs, ctx) => {
  const [out] = inferOutputs(inputs, attrs, ctx);
  return [einsum(attrs.equation as string, inputs as Tensor[], out!.dtype)];
};

const CUMSUM: Kernel = (inputs, attrs, ctx) => {
  const [out] = inferOutputs(inputs, attrs, ctx);
  const [x, axisT] = inputs as Tensor[];
  const rank = x!.dims.length;
  const a = scalarOf(axisT!, 'CumSum axis');
  const axis = opUtil.normalizeAxis(a, rank);
  const exclusive = attrs.exclusive === 1;
  const reverse = attrs.reverse === 1;
  const { outer, size, inner } = splitAxis(x!.dims, axis);
  const big = useBig(x!.dtype);
  const v: (number | bigint)[] = big ? readBig(x!) : readNum(x!);
  const res = new Array<number | bigint>(v.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * size * inner + j;
      // `+` adds bigints (int64/uint64, exact) or numbers alike; the casts only quiet the types.
      let acc: number | bigint = big ? 0n : 0;
      for (let s = 0; s < size; s++) {
        const i = reverse ? size - 1 - s : s;
        const idx = base + i * inner;
        if (exclusive) {
          res[idx] = acc;
          acc = (acc as number) + (v[idx] as number);
        } else {
          acc = (acc as number) + (v[idx] as number);
          res[idx] = acc;
        }
      }
    }
  }
  return [makeTensor(out!.dtype, out!.dims, res)];
};

const TOPK: Kernel = (inputs, attrs, ctx) => {
  const [vOut, iOut] = inferOutputs(inputs, attrs, ctx);
  const x = inputs[0]!;
  const rank = x.dims.length;
  const axis = opUtil.normalizeAxis(attrs.axis as number, rank);
  const largest = attrs.largest === 1;
  const k = vOut!.dims[axis]!;
  const { outer, size, inner } = splitAxis(x.dims, axis);
  const keys: (number | bigint)[] = useBig(x.dtype) ? readBig(x) : readNum(x);
  const src = x.data as unknown as ArrayLike<number | bigint>;
  const n = outputSize(x.dtype, vOut!.dims);
  // Values are copied as stored (float16 bits, bigints) so they are exact.
  const values = HostTensor.zeros(x.dtype, vOut!.dims).data as unknown as { [i: number]: number | bigint };
  const indices = new BigInt64Array(n);
  const order = new Array<number>(size);
  // NaN sorts as the largest value (numpy's lexsort puts it last); ties keep the lower index first.
  const cmp =
    (base: number) =>
    (p: number, q: number): number => {
      const a = keys[base + p * inner]!;
      const b = keys[base + q * inner]!;
      const an = Number.isNaN(a);
      const bn = Number.isNaN(b);
      let c = 0;
      if (an || bn) c = an === bn ? 0 : an ? 1 : -1;
      else c = a < b ? -1 : a > b ? 1 : 0;
      if (largest) c = -c;
      return c !== 0 ? c : p - q;
    };
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * size * inner + j;
      for (let i = 0; i < size; i++) order[i] = i;
      order.sort(cmp(base));
      for (let r = 0; r < k; r++) {
        const dst = (o * k + r) * inner + j;
        values[dst] = src[base + order[r]! * inner]!;
        indices[dst] = BigInt(order[r]!);
      }
    }
  }
  return [
    new HostTensor(x.dtype, values as unknown as TypedArray, vOut!.dims),
    new HostTensor('int64', indices, iOut!.dims),
  ];
};

const TRILU: Kernel = (inputs, attrs, ctx) => {
  const [out] = inferOutputs(inputs, attrs, ctx);
  const [x, kT] = inputs;
  const k = kT ? scalarOf(kT, 'Trilu k') : 0;
  const upper = attrs.upper === 1;
  const dims = x!.dims;
  const rows = dims[dims.length - 2]!;
  const cols = dims[dims.length - 1]!;
  const data = x!.data.slice() as unknown as { [i: number]: number | bigint; length: number };
  const zero = typeof data[0] === 'bigint' ? 0n : 0;
  for (let i = 0; i < data.length; i++) {
    const c = i % cols;
    const r = Math.floor(i / cols) % rows;
    const keep = upper ? c - r >= k : c - r <= k;
    if (!keep) data[i] = zero;
  }
  return [new HostTensor(x!.dtype, data as unknown as TypedArray, out!.dims)];
};

/** Linear-algebra kernels by op type. */
export const LINALG_KERNELS: Record<string, Kernel> = {
  MatMul: MATMUL,
  Gemm: GEMM,
  Einsum: EINSUM,
  CumSum: CUMSUM,
  TopK: TOPK,
  Trilu: TRILU,
};
