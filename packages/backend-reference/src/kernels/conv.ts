/**
 * Convolution kernels: Conv and ConvTranspose (im2col / col2im around a blocked float64 GEMM,
 * any number of spatial dims), DeformConv (bilinear sampling per kernel tap) and Col2Im.
 * @module
 */
import { type Attributes, opGeometry, type Tensor } from '@ocular/core';
import { gemmAccumulate, gemmTransB, type WindowTables, windowTables } from './gemm-util.js';
import { inferOutputs } from './infer.js';
import { allocF64, fromF64, product, toF64 } from './spatial-util.js';
import type { Kernel } from './types.js';

/**
 * Output positions per column tile. The GEMM walks the weights once per tile, so tiles should be
 * wide; 128 positions times one k-block of 256 taps (256 KiB of float64) still stays in cache.
 */
const TILE_POSITIONS = 128;

/**
 * Copies the window taps of `channels` planes for window rows `row0..row0+rows` into `cols`,
 * one row of `channels * taps` values per window position (the GEMM's transposed B operand).
 */
function im2colT(
  x: Float64Array,
  xOff: number,
  channels: number,
  planeSize: number,
  tb: WindowTables,
  lastT: Int32Array,
  row0: number,
  rows: number,
  cols: Float64Array,
): void {
  const { lead, kLead, kLast, outLead, outLast } = tb;
  const bases = new Int32Array(kLead);
  let dst = 0;
  for (let r = 0; r < rows; r++) {
    for (let kl = 0; kl < kLead; kl++) bases[kl] = lead[kl * outLead + row0 + r]!;
    for (let j = 0; j < outLast; j++) {
      const lt = j * kLast;
      for (let c = 0; c < channels; c++) {
        const plane = xOff + c * planeSize;
        for (let kl = 0; kl < kLead; kl++) {
          const b = bases[kl]!;
          if (b < 0) {
            for (let kk = 0; kk < kLast; kk++) cols[dst++] = 0;
            continue;
          }
          const src = plane + b;
          for (let kk = 0; kk < kLast; kk++) {
            const i = lastT[lt + kk]!;
            cols[dst++] = i >= 0 ? x[src + i]! : 0;
          }
        }
      }
    }
  }
}

/** `last` of {@link WindowTables} transposed to `[outLast][kLast]`, so one position's taps are contiguous. */
function transposeLast(tb: WindowTables): Int32Array {
  const t = new Int32Array(tb.last.length);
  for (let k = 0; k < tb.kLast; k++)
    for (let j = 0; j < tb.outLast; j++) t[j * tb.kLast + k] = tb.last[k * tb.outLast + j]!;
  return t;
}

/**
 * Depthwise-style convolution (one input channel per group): each output is a short dot product
 * of taps, computed directly without a column buffer.
 */
function convDirect(
  x: Float64Array,
  xOff: number,
  w: Float64Array,
  wOff: number,
  kSize: number,
  outChannels: number,
  tb: WindowTables,
  lastT: Int32Array,
  out: Float64Array,
  outOff: number,
  p: number,
): void {
  const { lead, kLead, kLast, outLead, outLast } = tb;
  for (let m = 0; m < outChannels; m++) {
    const wm = wOff + m * kSize;
    const om = outOff + m * p;
    for (let r = 0; r < outLead; r++) {
      for (let kl = 0; kl < kLead; kl++) {
        const b = lead[kl * outLead + r]!;
        if (b < 0) continue;
        const src = xOff + b;
        const wk = wm + kl * kLast;
        const o = om + r * outLast;
        for (let j = 0; j < outLast; j++) {
          const lt = j * kLast;
          let acc = 0;
          for (let kk = 0; kk < kLast; kk++) {
            const i = lastT[lt + kk]!;
            if (i >= 0) acc += w[wk + kk]! * x[src + i]!;
          }
          out[o + j] += acc;
        }
      }
    }
  }
}

/** Adds `bias[m]` to every element of channel `m` of an [N, M, P] buffer. */
function addBias(
  out: Float64Array,
  bias: Float64Array | undefined,
  batches: number,
  m: number,
  p: number,
): void {
  if (!bias) return;
  for (let b = 0; b < batches; b++) {
    for (let c = 0; c < m; c++) {
      const v = bias[c]!;
      if (v === 0) continue;
      const o = (b * m + c) * p;
      for (let i = 0; i < p; i++) out[o + i] += v;
    }
  }
}

/** Forward convolution over float64 data; returns [N, M, ...outSpatial] flattened. */
function convForward(
  x: Float64Array,
  xDims: readonly number[],
  w: Float64Array,
  wDims: readonly number[],
  bias: Float64Array | undefined,
  group: number,
  win: opGeometry.ResolvedWindow,
  outSpatial: readonly number[],
): Float64Array {
  const [batches, c] = [xDims[0]!, xDims[1]!];
  const m = wDims[0]!;
  const cg = c / group;
  const mg = m / group;
  const inSpatial = xDims.slice(2);
  const inSize = product(inSpatial);
  const kSize = product(win.kernel);
  const depth = cg * kSize;
  const p = product(outSpatial);
  const out = allocF64(batches * m * p, 'Conv output');
  if (p === 0 || batches === 0) return out;
  const tb = windowTables(inSpatial, outSpatial, win.kernel, win.strides, win.dilations, win.padBegin);
  const lastT = transposeLast(tb);
  if (cg === 1) {
    for (let b = 0; b < batches; b++) {
      for (let g = 0; g < group; g++) {
        convDirect(
          x,
          (b * c + g) * inSize,
          w,
          g * mg * kSize,
          kSize,
          mg,
          tb,
          lastT,
          out,
          (b * m + g * mg) * p,
          p,
        );
      }
    }
  } else {
    const rowsPerTile = Math.max(1, Math.min(tb.outLead, Math.floor(TILE_POSITIONS / tb.outLast)));
    const cols = allocF64(depth * rowsPerTile * tb.outLast, 'Conv im2col buffer');
    for (let b = 0; b < batches; b++) {
      for (let g = 0; g < group; g++) {
        for (let r0 = 0; r0 < tb.outLead; r0 += rowsPerTile) {
          const rows = Math.min(rowsPerTile, tb.outLead - r0);
          const width = rows * tb.outLast;
          im2colT(x, (b * c + g * cg) * inSize, cg, inSize, tb, lastT, r0, rows, cols);
          gemmTransB(
            out,
            (b * m + g * mg) * p + r0 * tb.outLast,
            p,
            w,
            g * mg * depth,
            cols,
            0,
            mg,
            depth,
            width,
          );
        }
      }
    }
  }
  addBias(out, bias, batches, m, p);
  return out;
}

const conv: Kernel = (inputs, attrs, ctx) => {
  const [x, w, b] = inputs as [Tensor, Tensor, Tensor | undefined];
  const [info] = inferOutputs(inputs, attrs, ctx);
  const win = opGeometry.resolveWindow(attrs, x.dims.slice(2), w.dims.slice(2));
  const out = convForward(
    toF64(x),
    x.dims,
    toF64(w),
    w.dims,
    b && toF64(b),
    attrs.group as number,
    win,
    info!.dims.slice(2),
  );
  return [fromF64(info!.dtype, out, info!.dims)];
};

const convTranspose: Kernel = (inputs, attrs, ctx) => {
  const [xT, wT, bT] = inputs as [Tensor, Tensor, Tensor | undefined];
  const [info] = inferOutputs(inputs, attrs, ctx);
  const group = attrs.group as number;
  const inSpatial = xT.dims.slice(2);
  const outSpatial = info!.dims.slice(2);
  const kernel = wT.dims.slice(2);
  const win = opGeometry.resolveTransposeWindow(attrs, inSpatial, kernel);
  const [batches, c] = [xT.dims[0]!, xT.dims[1]!];
  const cg = c / group;
  const mg = wT.dims[1]!;
  const m = mg * group;
  const kSize = product(kernel);
  const rowsK = mg * kSize;
  const pIn = product(inSpatial);
  const pOut = product(outSpatial);
  const x = toF64(xT);
  const w = toF64(wT);
  const out = allocF64(batches * m * pOut, 'ConvTranspose output');
  if (pIn > 0 && pOut > 0) {
    // Window positions are input pixels; the data being indexed is the output.
    const tb = windowTables(outSpatial, inSpatial, kernel, win.strides, win.dilations, win.padBegin);
    const { lead, last, kLead, kLast, outLead, outLast } = tb;
    const rowsPerTile = Math.max(1, Math.min(outLead, Math.floor(TILE_POSITIONS / outLast)));
    const cols = allocF64(rowsK * rowsPerTile * outLast, 'ConvTranspose column buffer');
    const xt = allocF64(cg * rowsPerTile * outLast, 'ConvTranspose input tile');
    const wt = allocF64(rowsK * cg, 'ConvTranspose weight');
    for (let g = 0; g < group; g++) {
      // W_g is [C_in/group, C_out/group * taps]; the GEMM wants it as [C_out/group * taps, C_in/group].
      for (let ci = 0; ci < cg; ci++) {
        for (let r = 0; r < rowsK; r++) wt[r * cg + ci] = w[(g * cg + ci) * rowsK + r]!;
      }
      for (let b = 0; b < batches; b++) {
        for (let r0 = 0; r0 < outLead; r0 += rowsPerTile) {
          const rows = Math.min(rowsPerTile, outLead - r0);
          const width = rows * outLast;
          const xOff = (b * c + g * cg) * pIn + r0 * outLast;
          for (let ci = 0; ci < cg; ci++) {
            for (let t = 0; t < width; t++) xt[t * cg + ci] = x[xOff + ci * pIn + t]!;
          }
          cols.fill(0, 0, rowsK * width);
          // cols[(mg, tap), pos] = Σ_c W[c, mg, tap] · X[c, pos]
          gemmTransB(cols, 0, width, wt, 0, xt, 0, rowsK, cg, width);
          // col2im: scatter-add every tap into the output.
          for (let oc = 0; oc < mg; oc++) {
            const obase = (b * m + g * mg + oc) * pOut;
            for (let kl = 0; kl < kLead; kl++) {
              for (let kk = 0; kk < kLast; kk++) {
                const src = (oc * kSize + kl * kLast + kk) * width;
                for (let r = 0; r < rows; r++) {
                  const base = lead[kl * outLead + r0 + r]!;
                  if (base < 0) continue;
                  const s = src + r * outLast;
                  for (let j = 0; j < outLast; j++) {
                    const i = last[kk * outLast + j]!;
                    if (i >= 0) out[obase + base + i] += cols[s + j]!;
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  addBias(out, bT && toF64(bT), batches, m, pOut);
  return [fromF64(info!.dtype, out, info!.dims)];
};

const deformConv: Kernel = (inputs, attrs, ctx) => {
  const [xT, wT, offT, bT, maskT] = inputs as [
    Tensor,
    Tensor,
    Tensor,
    Tensor | undefined,
    Tensor | undefined,
  ];
  const [info] = inferOutputs(inputs, attrs, ctx);
  const group = attrs.group as number;
  const og = attrs.offset_group as number;
  const inSpatial = xT.dims.slice(2);
  const outSpatial = info!.dims.slice(2);
  const kernel = wT.dims.slice(2);
  const n = inSpatial.length;
  const win = opGeometry.resolveWindow({ ...attrs, auto_pad: 'NOTSET' } as Attributes, inSpatial, kernel);
  const [batches, c] = [xT.dims[0]!, xT.dims[1]!];
  const m = wT.dims[0]!;
  const cg = c / group;
  const mg = m / group;
  const cPerOg = c / og;
  const kSize = product(kernel);
  const p = product(outSpatial);
  const inSize = product(inSpatial);
  const x = toF64(xT);
  const w = toF64(wT);
  const offset = toF64(offT);
  const mask = maskT && toF64(maskT);
  const out = allocF64(batches * m * p, 'DeformConv output');
  const cols = allocF64(c * kSize * p, 'DeformConv column buffer');
  const inStride = new Array<number>(n).fill(1);
  for (let d = n - 2; d >= 0; d--) inStride[d] = inStride[d + 1]! * inSpatial[d + 1]!;
  const corners = 1 << n;
  const cornerOff = new Int32Array(corners);
  const cornerW = new Float64Array(corners);
  const lo = new Array<number>(n);
  const frac = new Array<number>(n);
  for (let b = 0; b < batches; b++) {
    cols.fill(0);
    const oIdx = new Array<number>(n).fill(0);
    for (let o = 0; o < p; o++) {
      for (let gi = 0; gi < og; gi++) {
        const kIdx = new Array<number>(n).fill(0);
        for (let kt = 0; kt < kSize; kt++) {
          const tap = (b * og + gi) * kSize + kt;
          for (let d = 0; d < n; d++) {
            const pos =
              oIdx[d]! * win.strides[d]! -
              win.padBegin[d]! +
              kIdx[d]! * win.dilations[d]! +
              offset[(tap * n + d) * p + o]!;
            lo[d] = Math.floor(pos);
            frac[d] = pos - lo[d]!;
          }
          // Bilinear (multilinear) sampling with zeros outside the input.
          let used = 0;
          for (let k = 0; k < corners; k++) {
            let off = 0;
            let wt = 1;
            for (let d = 0; d < n && wt !== 0; d++) {
              const hi = (k >> (n - 1 - d)) & 1;
              const i = lo[d]! + hi;
              if (i < 0 || i >= inSpatial[d]!) wt = 0;
              else {
                off += i * inStride[d]!;
                wt *= hi ? frac[d]! : 1 - frac[d]!;
              }
            }
            if (wt !== 0) {
              cornerOff[used] = off;
              cornerW[used++] = wt;
            }
          }
          const scale = mask ? mask[tap * p + o]! : 1;
          if (used > 0 && scale !== 0) {
            for (let ci = gi * cPerOg; ci < (gi + 1) * cPerOg; ci++) {
              const plane = (b * c + ci) * inSize;
              let v = 0;
              for (let k = 0; k < used; k++) v += cornerW[k]! * x[plane + cornerOff[k]!]!;
              cols[(ci * kSize + kt) * p + o] = v * scale;
            }
          }
          for (let d = n - 1; d >= 0; d--) {
            if (++kIdx[d]! < kernel[d]!) break;
            kIdx[d] = 0;
          }
        }
      }
      for (let d = n - 1; d >= 0; d--) {
        if (++oIdx[d]! < outSpatial[d]!) break;
        oIdx[d] = 0;
      }
    }
    for (let g = 0; g < group; g++) {
      const depth = cg * kSize;
      gemmAccumulate(
        out,
        (b * m + g * mg) * p,
        p,
        w,
        g * mg * depth,
        depth,
        1,
        cols,
        g * depth * p,
        p,
        mg,
        depth,
        p,
      );
    }
  }
  addBias(out, bT && toF64(bT), batches, m, p);
  return [fromF64(info!.dtype, out, info!.dims)];
};

const col2Im: Kernel = (inputs, attrs, ctx) => {
  const [xT, imageT, blockT] = inputs as [Tensor, Tensor, Tensor];
  const [info] = inferOutputs(inputs, attrs, ctx);
  const image = imageT.toNumbers();
  const block = blockT.toNumbers();
  const n = image.length;
  const { blocks, strides, dilations, pads } = opGeometry.col2ImBlocks(image, block, attrs);
  const [batches, c] = [info!.dims[0]!, info!.dims[1]!];
  const kSize = product(block);
  const l = product(blocks);
  const imgSize = product(image);
  const x = toF64(xT);
  const out = allocF64(batches * c * imgSize, 'Col2Im output');
  const { lead, last, kLead, kLast, outLead, outLast } = windowTables(
    image,
    blocks,
    block,
    strides,
    dilations,
    pads.slice(0, n),
  );
  for (let b = 0; b < batches; b++) {
    for (let ch = 0; ch < c; ch++) {
      const obase = (b * c + ch) * imgSize;
      for (let kl = 0; kl < kLead; kl++) {
        for (let kk = 0; kk < kLast; kk++) {
          const src = ((b * c + ch) * kSize + kl * kLast + kk) * l;
          for (let ol = 0; ol < outLead; ol++) {
            const base = lead[kl * outLead + ol]!;
            if (base < 0) continue;
            for (let j = 0; j < outLast; j++) {
              const i = last[kk * outLast + j]!;
              if (i >= 0) out[obase + base + i] += x[src + ol * outLast + j]!;
            }
          }
        }
      }
    }
  }
  return [fromF64(info!.dtype, out, info!.dims)];
};

/** Convolution kernels by op type. */
export const CONV_KERNELS: Record<string, Kernel> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  DeformConv: deformConv,
  Col2Im: col2Im,
};
