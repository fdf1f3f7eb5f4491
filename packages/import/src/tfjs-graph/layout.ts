/**
 * Permutations between a value's logical (TF) axis order and the order it is stored in. A value
 * stored with permutation `p` is `Transpose(logical, perm = p)`: stored axis `k` is logical axis
 * `p[k]`. An NHWC tensor stored as NCHW has `p = [0, 3, 1, 2]`.
 * @module
 */
import { type DType, Tensor } from '@ocular/core';

/** A permutation of axes. */
export type Perm = readonly number[];

/** `p` for a tensor stored in NCHW whose logical layout is NHWC. */
export const NHWC_TO_NCHW: Perm = [0, 3, 1, 2];
/** `p` for a tensor stored in NHWC whose logical layout is NCHW. */
export const NCHW_TO_NHWC: Perm = [0, 2, 3, 1];

/** The identity permutation of `rank` axes. */
export function identityPerm(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => i);
}

/** Whether `p` is the identity. */
export function isIdentity(p: Perm): boolean {
  return p.every((v, i) => v === i);
}

/** The inverse permutation. */
export function invertPerm(p: Perm): number[] {
  const inv = new Array<number>(p.length);
  p.forEach((v, i) => {
    inv[v] = i;
  });
  return inv;
}

/** Permutation equality. */
export function samePerm(a: Perm, b: Perm): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The Transpose `perm` taking a value stored with `from` to the same value stored with `to`:
 * `Transpose(Transpose(L, from), t) = Transpose(L, to)`.
 */
export function permBetween(from: Perm, to: Perm): number[] {
  const inv = invertPerm(from);
  return to.map((a) => inv[a]!);
}

/** `Transpose(Transpose(x, first), second)` as one Transpose perm. */
export function composePerms(first: Perm, second: Perm): number[] {
  return second.map((a) => first[a]!);
}

/**
 * Whether transposing a tensor of `dims` by `perm` keeps its elements in memory order (only
 * size-1 axes move), so a Reshape can do the Transpose's work.
 */
export function isMemoryOrderPreserving(dims: readonly (number | string)[], perm: Perm): boolean {
  const moved = perm.filter((a) => dims[a] !== 1);
  return moved.every((a, i) => i === 0 || a > moved[i - 1]!);
}

/** Dims after `Transpose(perm)`. */
export function permuteDims<T>(dims: readonly T[], perm: Perm): T[] {
  return perm.map((a) => dims[a]!);
}

/** A host transpose with ONNX semantics (`out.dims[k] = t.dims[perm[k]]`), any dtype. */
export function transposeTensor<D extends DType>(t: Tensor<D>, perm: Perm): Tensor<D> {
  if (isIdentity(perm)) return t;
  const inDims = t.dims;
  const outDims = permuteDims(inDims, perm);
  const rank = inDims.length;
  const inStrides = new Array<number>(rank);
  let acc = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = acc;
    acc *= inDims[i]!;
  }
  const stride = perm.map((a) => inStrides[a]!);
  const src = t.data as unknown as ArrayLike<number | bigint>;
  const out = new (t.data.constructor as new (n: number) => typeof t.data)(t.size);
  const dst = out as unknown as { [i: number]: number | bigint };
  const idx = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let o = 0; o < t.size; o++) {
    dst[o] = src[offset]!;
    for (let k = rank - 1; k >= 0; k--) {
      idx[k]!++;
      offset += stride[k]!;
      if (idx[k]! < outDims[k]!) break;
      offset -= stride[k]! * outDims[k]!;
      idx[k] = 0;
    }
  }
  return new Tensor(t.dtype, out, outDims);
}
