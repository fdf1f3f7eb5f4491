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

/** Depth of one k-block: a 4-row slice of A and a `cols`-row slice of B stay in cache across it. */
const K_BLOCK = 256;

/**
 * `out[outOff + m*outStride + t] += Σ_k a[aOff + m*depth + k] * bt[btOff + t*depth + k]`: both
 * operands row-major with the shared dimension innermost (B given transposed). The shared
 * dimension is walked in blocks of {@link K_BLOCK}; inside a block a 4×4 tile of outputs is
 * accumulated in locals, so each step over k loads 8 values for 16 multiply-adds.
 */
export function gemmTransB(
  out: Float64Array,
  outOff: number,
  outStride: number,
  a: Float64Array,
  aOff: number,
  bt: Float64Array,
  btOff: number,
  rows: number,
  depth: number,
  cols: number,
): void {
  for (let k0 = 0; k0 < depth; k0 += K_BLOCK) {
    const kc = Math.min(K_BLOCK, depth - k0);
    gemmTransBBlock(out, outOff, outStride, a, aOff + k0, depth, bt, btOff + k0, depth, rows, kc, cols);
  }
}

/** One k-block of {@link gemmTransB}: rows of A and B are `aStride` / `btStride` apart, `depth` long. */
function gemmTransBBlock(
  out: Float64Array,
  outOff: number,
  outStride: number,
  a: Float64Array,
  aOff: number,
  aStride: number,
  bt: Float64Array,
  btOff: number,
  btStride: number,
  rows: number,
  depth: number,
  cols: number,
): void {
  let m = 0;
  for (; m + 4 <= rows; m += 4) {
    const a0 = aOff + m * aStride;
    const a1 = a0 + aStride;
    const a2 = a1 + aStride;
    const a3 = a2 + aStride;
    const o = outOff + m * outStride;
    let t = 0;
    for (; t + 4 <= cols; t += 4) {
      const b0 = btOff + t * btStride;
      const b1 = b0 + btStride;
      const b2 = b1 + btStride;
      const b3 = b2 + btStride;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let k = 0; k < depth; k++) {
        const x0 = bt[b0 + k]!;
        const x1 = bt[b1 + k]!;
        const x2 = bt[b2 + k]!;
        const x3 = bt[b3 + k]!;
        let w = a[a0 + k]!;
        c00 += w * x0;
        c01 += w * x1;
        c02 += w * x2;
        c03 += w * x3;
        w = a[a1 + k]!;
        c10 += w * x0;
        c11 += w * x1;
        c12 += w * x2;
        c13 += w * x3;
        w = a[a2 + k]!;
        c20 += w * x0;
        c21 += w * x1;
        c22 += w * x2;
        c23 += w * x3;
        w = a[a3 + k]!;
        c30 += w * x0;
        c31 += w * x1;
        c32 += w * x2;
        c33 += w * x3;
      }
      const r0 = o + t;
      const r1 = r0 + outStride;
      const r2 = r1 + outStride;
      const r3 = r2 + outStride;
      out[r0] += c00;
      out[r0 + 1] += c01;
      out[r0 + 2] += c02;
      out[r0 + 3] += c03;
      out[r1] += c10;
      out[r1 + 1] += c11;
      out[r1 + 2] += c12;
      out[r1 + 3] += c13;
      out[r2] += c20;
      out[r2 + 1] += c21;
      out[r2 + 2] += c22;
      out[r2 + 3] += c23;
      out[r3] += c30;
      out[r3 + 1] += c31;
      out[r3 + 2] += c32;
      out[r3 + 3] += c33;
    }
    for (; t < cols; t++) {
      const b0 = btOff + t * btStride;
      let c0 = 0,
        c1 = 0,
        c2 = 0,
        c3 = 0;
      for (let k = 0; k < depth; k++) {
        const x = bt[b0 + k]!;
        c0 += a[a0 + k]! * x;
        c1 += a[a1 + k]! * x;
        c2 += a[a2 + k]! * x;
        c3 += a[a3 + k]! * x;
      }
      out[o + t] += c0;
      out[o + outStride + t] += c1;
      out[o + 2 * outStride + t] += c2;
      out[o + 3 * outStride + t] += c3;
    }
  }
  for (; m < rows; m++) {
    const a0 = aOff + m * aStride;
    const o = outOff + m * outStride;
    let t = 0;
    for (; t + 4 <= cols; t += 4) {
      const b0 = btOff + t * btStride;
      const b1 = b0 + btStride;
      const b2 = b1 + btStride;
      const b3 = b2 + btStride;
      let c0 = 0,
        c1 = 0,
        c2 = 0,
        c3 = 0;
      for (let k = 0; k < depth; k++) {
        const w = a[a0 + k]!;
        c0 += w * bt[b0 + k]!;
        c1 += w * bt[b1 + k]!;
        c2 += w * bt[b2 + k]!;
        c3 += w * bt[b3 + k]!;
      }
      out[o + t] += c0;
      out[o + t + 1] += c1;
      out[o + t + 2] += c2;
      out[o + t + 3] += c3;
    }
    for (; t < cols; t++) {
      const b0 = btOff + t * btStride;
      let c = 0;
      for (let k = 0; k < depth; k++) c += a[a0 + k]! * bt[b0 + k]!;
      out[o + t] += c;
    }
  }
}
