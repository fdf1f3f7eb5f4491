/**
 * Normalization kernels. Statistics are computed in float64 with a two-pass mean/variance
 * (population variance, as ONNX's functions define it); epsilon is rounded to float32 first
 * because that is what an ONNX model stores.
 * @module
 */
import type { Tensor } from '@ocular/core';
import { inferOutputs } from './infer.js';
import { broadcastMap, makeTensor, readNum, splitAxis } from './math-helpers.js';
import type { Kernel } from './types.js';

/** Mean and population variance of `v[start + k*stride]` for k < n. */
function moments(
  v: readonly number[],
  start: number,
  n: number,
  stride = 1,
): { mean: number; variance: number } {
  let sum = 0;
  for (let k = 0; k < n; k++) sum += v[start + k * stride]!;
  const mean = sum / n;
  let sq = 0;
  for (let k = 0; k < n; k++) {
    const d = v[start + k * stride]! - mean;
    sq += d * d;
  }
  return { mean, variance: sq / n };
}

const BATCH_NORMALIZATION: Kernel = (inputs, attrs, ctx) => {
  const outs = inferOutputs(inputs, attrs, ctx);
  const [x, scale, bias, mean, variance] = inputs as Tensor[];
  const eps = Math.fround(attrs.epsilon as number);
  const dims = x!.dims;
  // A 1-D input is N samples of one channel.
  const {
    outer: n,
    size: c,
    inner: spatial,
  } = dims.length >= 2 ? splitAxis(dims, 1) : { outer: dims[0]!, size: 1, inner: 1 };
  const xv = readNum(x!);
  const s = readNum(scale!);
  const b = readNum(bias!);
  let mu = readNum(mean!);
  let vr = readNum(variance!);
  const training = attrs.training_mode === 1;
  let runningMean: number[] = [];
  let runningVar: number[] = [];
  if (training) {
    // Batch statistics over N and the spatial dims; running stats blend in with `momentum`.
    const momentum = Math.fround(attrs.momentum as number);
    const bm = new Array<number>(c).fill(0);
    const bv = new Array<number>(c).fill(0);
    const count = n * spatial;
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      for (let i = 0; i < n; i++) for (let k = 0; k < spatial; k++) sum += xv[(i * c + ch) * spatial + k]!;
      bm[ch] = sum / count;
      let sq = 0;
      for (let i = 0; i < n; i++)
        for (let k = 0; k < spatial; k++) {
          const d = xv[(i * c + ch) * spatial + k]! - bm[ch]!;
          sq += d * d;
        }
      bv[ch] = sq / count;
    }
    runningMean = mu.map((m, ch) => m * momentum + bm[ch]! * (1 - momentum));
    runningVar = vr.map((v, ch) => v * momentum + bv[ch]! * (1 - momentum));
    mu = bm;
    vr = bv;
  }
  const y = new Array<number>(xv.length);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const k = s[ch]! / Math.sqrt(vr[ch]! + eps);
      const base = (i * c + ch) * spatial;
      for (let j = 0; j < spatial; j++) y[base + j] = (xv[base + j]! - mu[ch]!) * k + b[ch]!;
    }
  }
  const result = [makeTensor(outs[0]!.dtype, outs[0]!.dims, y)];
  if (outs.length > 1) result.push(makeTensor(outs[1]!.dtype, outs[1]!.dims, runningMean));
  if (outs.length > 2) result.push(makeTensor(outs[2]!.dtype, outs[2]!.dims, runningVar));
  return result;
};

const LAYER_NORMALIZATION: Kernel = (inputs, attrs, ctx) => {
  const outs = inferOutputs(inputs, attrs, ctx);
  const [x, scale, bias] = inputs;
  const dims = x!.dims;
  const rank = dims.length;
  const axis = (attrs.axis as number) < 0 ? (attrs.axis as number) + rank : (attrs.axis as number);
  const eps = Math.fround(attrs.epsilon as number);
  let rows = 1;
  for (let i = 0; i < axis; i++) rows *= dims[i]!;
  const cols = rows === 0 ? 0 : x!.size / rows;
  const xv = readNum(x!);
  const s = readNum(scale!);
  const sMap = broadcastMap(scale!.dims, dims);
  const b = bias ? readNum(bias) : undefined;
  const bMap = bias ? broadcastMap(bias.dims, dims) : undefined;
  const y = new Array<number>(xv.length);
  const means = new Array<number>(rows);
  const invStd = new Array<number>(rows);
  for (let r = 0; r < rows; r++) {
    const { mean, variance } = moments(xv, r * cols, cols);
    const inv = 1 / Math.sqrt(variance + eps);
    means[r] = mean;
    invStd[r] = inv;
    for (let k = 0; k < cols; k++) {
      const i = r * cols + k;
      let v = (xv[i]! - mean) * inv * s[sMap ? sMap[i]! : i]!;
      if (b) v += b[bMap ? bMap[i]! : i]!;
      y[i] = v;
    }
  }
  const result = [makeTensor(outs[0]!.dtype, outs[0]!.dims, y)];
  if (outs.length > 1) result.push(makeTensor(outs[1]!.dtype, outs[1]!.dims, means));
  if (outs.length > 2) result.push(makeTensor(outs[2]!.dtype, outs[2]!.dims, invStd));
  return result;
};

const GROUP_NORMALIZATION: Kernel = (inputs, attrs, ctx) => {
  const [out] = inferOutputs(inputs, attrs, ctx);
  const [x, scale, bias] = inputs as Tensor[];
  const dims = x!.dims;
  const { outer: n, size: c, inner: spatial } = splitAxis(dims, 1);
  const g = attrs.num_groups as number;
  const eps = Math.fround(attrs.epsilon as number);
  const xv = readNum(x!);
  const s = readNum(scale!);
  const b = readNum(bias!);
  // Opset 18 gave scale and bias one value per group; opset 21 gives one per channel.
  const perGroup = s.length === g && g !== c;
  const cg = c / g;
  const groupSize = cg * spatial;
  const y = new Array<number>(xv.length);
  for (let i = 0; i < n; i++) {
    for (let grp = 0; grp < g; grp++) {
      const start = (i * c + grp * cg) * spatial;
      const { mean, variance } = moments(xv, start, groupSize);
      const inv = 1 / Math.sqrt(variance + eps);
      for (let k = 0; k < groupSize; k++) {
        const ch = grp * cg + Math.floor(k / spatial);
        const p = perGroup ? grp : ch;
        y[start + k] = (xv[start + k]! - mean) * inv * s[p]! + b[p]!;
      }
    }
  }
  return [makeTensor(out!.dtype, out!.dims, y)];
};

const INSTANCE_NORMALIZATION: Kernel = (inputs, attrs, ctx) => {
  const [out] = inferOutputs(inputs, attrs, ctx);
  const [x, scale, bias] = inputs as Tensor[];
  const { outer: n, size: c, inner: spatial } = splitAxis(x!.dims, 1);
  const eps = Math.fround(attrs.epsilon as number);
  const xv = readNum(x!);
  const s = readNum(scale!);
  const b = readNum(bias!);
  const y = new Array<number>(xv.length);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const start = (i * c + ch) * spatial;
      const { mean, variance } = moments(xv, start, spatial);
      const k = s[ch]! / Math.sqrt(variance + eps);
      for (let j = 0; j < spatial; j++) y[start + j] = (xv[start + j]! - mean) * k + b[ch]!;
    }
  }
  return [makeTensor(out!.dtype, out!.dims, y)];
};

const LP_NORMALIZATION: Kernel = (inputs, attrs, ctx) => {
  const [out] = inferOutputs(inputs, attrs, ctx);
  const x = inputs[0]!;
  const rank = x.dims.length;
  const axis = (attrs.axis as number) < 0 ? (attrs.axis as number) + rank : (attrs.axis as number);
  const p = attrs.p as number;
  const { outer, size, inner } = splitAxis(x.dims, axis);
  const v = readNum(x);
  const y = new Array<number>(v.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * size * inner + j;
      let acc = 0;
      for (let i = 0; i < size; i++) {
        const e = v[base + i * inner]!;
        acc += p === 1 ? Math.abs(e) : e * e;
      }
      const norm = p === 1 ? acc : Math.sqrt(acc);
      // A zero norm gives 0 rather than 0/0.
      for (let i = 0; i < size; i++) y[base + i * inner] = norm === 0 ? 0 : v[base + i * inner]! / norm;
    }
  }
  return [makeTensor(out!.dtype, out!.dims, y)];
};

/** Normalization kernels by op type. */
export const NORMALIZATION_KERNELS: Record<string, Kernel> = {
  BatchNormalization: BATCH_NORMALIZATION,
  LayerNormalization: LAYER_NORMALIZATION,
  GroupNormalization: GROUP_NORMALIZATION,
  InstanceNormalization: INSTANCE_NORMALIZATION,
  LpNormalization: LP_NORMALIZATION,
};
