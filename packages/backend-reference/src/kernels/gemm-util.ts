/**
 * The dense inner loops of the convolution kernels: a blocked `C += A × B` over float64 and the
 * index tables that turn N-D sliding windows into flat offsets.
 * @module
 */

/**
 * `out[m*outStride + t] += Σ_k a[aOff + m*aRowStride + k*aColStride] * b[bOff + k*bStride + t]`
 * for `m < rows`, `k < depth`, `t < cols`. Four output rows are updated per pass over B, so each
 * B element read feeds four multiply-adds; zero A entries (common in padded or sparse weights)
 * are skipped.
 */
export function gemmAccumulate(
  out: Float64Array,
  outOff: number,
  outStride: number,
  a: Float64Array,
  aOff: number,
  aRowStride: number,
  aColStride: number,
  b: Float64Array,
  bOff: number,
  bStride: number,
  rows: number,
  depth: number,
  cols: number,
): void {
  let m = 0;
  for (; m + 4 <= rows; m += 4) {
    const o0 = outOff + m * outStride;
    const o1 = o0 + outStride;
    const o2 = o1 + outStride;
    const o3 = o2 + outStride;
    const a0 = aOff + m * aRowStride;
    for (let k = 0; k < depth; k++) {
      const ak = a0 + k * aColStride;
      const w0 = a[ak]!;
      const w1 = a[ak + aRowStride]!;
      const w2 = a[ak + 2 * aRowStride]!;
      const w3 = a[ak + 3 * aRowStride]!;
      if (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0) continue;
      const bk = bOff + k * bStride;
      for (let t = 0; t < cols; t++) {
        const v = b[bk + t]!;
        out[o0 + t] += w0 * v;
        out[o1 + t] += w1 * v;
        out[o2 + t] += w2 * v;
        out[o3 + t] += w3 * v;
      }
    }
  }
  for (; m < rows; m++) {
    const o0 = outOff + m * outStride;
    const a0 = aOff + m * aRowStride;
    for (let k = 0; k < depth; k++) {
      const w0 = a[a0 + k * aColStride]!;
      if (w0 === 0) continue;
      const bk = bOff + k * bStride;
      for (let t = 0; t < cols; t++) out[o0 + t] += w0 * b[bk + t]!;
    }
  }
}

/**
 * Index tables of a sliding window over N-D data, split into the leading dims (flattened) and the
 * last dim, so the hot loop walks the last dim with one table lookup per element.
 *
 * For window position `o` (per dim) and kernel tap `k`, the data coordinate is
 * `o*stride - padBegin + k*dilation`; `lead[kl*outLead + ol]` is the flat offset of the leading
 * coordinates (or -1 when any is outside), `last[kk*outLast + j]` the last coordinate (or -1).
 */
export interface WindowTables {
  readonly lead: Int32Array;
  readonly last: Int32Array;
  /** Number of leading kernel taps (product of the leading kernel dims). */
  readonly kLead: number;
  readonly kLast: number;
  /** Number of leading window positions. */
  readonly outLead: number;
  readonly outLast: number;
}

/**
 * Builds {@link WindowTables}. `dataDims` are the spatial dims of the data being indexed (the
 * conv input, or the transposed conv's output), `posDims` the window-position grid.
 */
export function windowTables(
  dataDims: readonly number[],
  posDims: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  padBegin: readonly number[],
): WindowTables {
  const n = dataDims.length;
  const coord = (d: number, o: number, k: number) => {
    const i = o * strides[d]! - padBegin[d]! + k * dilations[d]!;
    return i >= 0 && i < dataDims[d]! ? i : -1;
  };
  const kLast = kernel[n - 1]!;
  const outLast = posDims[n - 1]!;
  const last = new Int32Array(kLast * outLast);
  for (let k = 0; k < kLast; k++)
    for (let j = 0; j < outLast; j++) last[k * outLast + j] = coord(n - 1, j, k);
  let kLead = 1;
  let outLead = 1;
  for (let d = 0; d < n - 1; d++) {
    kLead *= kernel[d]!;
    outLead *= posDims[d]!;
  }
  const lead = new Int32Array(kLead * outLead);
  // Row-major strides of the data's leading dims, in elements of the flattened spatial block.
  const dataStride = new Array<number>(n).fill(1);
  for (let d = n - 2; d >= 0; d--) dataStride[d] = dataStride[d + 1]! * dataDims[d + 1]!;
  const kIdx = new Array<number>(Math.max(0, n - 1)).fill(0);
  for (let kl = 0; kl < kLead; kl++) {
    const oIdx = new Array<number>(Math.max(0, n - 1)).fill(0);
    for (let ol = 0; ol < outLead; ol++) {
      let off = 0;
      for (let d = 0; d < n - 1 && off >= 0; d++) {
        const i = coord(d, oIdx[d]!, kIdx[d]!);
        off = i < 0 ? -1 : off + i * dataStride[d]!;
      }
      lead[kl * outLead + ol] = off;
      for (let d = n - 2; d >= 0; d--) {
        if (++oIdx[d]! < posDims[d]!) break;
        oIdx[d] = 0;
      }
    }
    for (let d = n - 2; d >= 0; d--) {
      if (++kIdx[d]! < kernel[d]!) break;
      kIdx[d] = 0;
    }
  }
  return { lead, last, kLead, kLast, outLead, outLast };
}
