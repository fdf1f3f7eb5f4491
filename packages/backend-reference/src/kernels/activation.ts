/**
 * Activation kernels: elementwise nonlinearities, Clip, PRelu and the softmax family. Float
 * attributes are rounded to float32 first, because that is what an ONNX model stores.
 * @module
 */
import { type Attributes, Tensor } from '@ocular/core';
import { inferOutputs } from './infer.js';
import { erf, softplus } from './math-functions.js';
import { broadcastMap, makeTensor, readBig, readNum, scalarOf, splitAxis, useBig } from './math-helpers.js';
import type { Kernel } from './types.js';

/** Applies `f` to every element of a float tensor, computing in float64 and rounding to the dtype. */
export function mapFloat(x: Tensor, f: (v: number) => number): Tensor {
  const vals = x.toNumbers();
  for (let i = 0; i < vals.length; i++) vals[i] = f(vals[i]!);
  return Tensor.from(x.dtype, vals, x.dims);
}

/** A float attribute as ONNX stores it (float32). */
function f32Attr(attrs: Attributes, name: string): number {
  return Math.fround(attrs[name] as number);
}

/** A kernel mapping each element with a function built from the node's attributes. */
function pointwise(make: (attrs: Attributes) => (v: number) => number): Kernel {
  return (inputs, attrs, ctx) => {
    inferOutputs(inputs, attrs, ctx);
    return [mapFloat(inputs[0]!, make(attrs))];
  };
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

const CLIP: Kernel = (inputs, attrs, ctx) => {
  inferOutputs(inputs, attrs, ctx);
  const [x, lo, hi] = inputs;
  const t = x!;
  if (useBig(t.dtype)) {
    const min = lo ? readBig(lo)[0]! : undefined;
    const max = hi ? readBig(hi)[0]! : undefined;
    const out = readBig(t).map((v) => {
      let r = min !== undefined && v < min ? min : v;
      if (max !== undefined && r > max) r = max;
      return r;
    });
    return [makeTensor(t.dtype, t.dims, out)];
  }
  const min = lo ? scalarOf(lo, 'Clip min') : Number.NEGATIVE_INFINITY;
  const max = hi ? scalarOf(hi, 'Clip max') : Number.POSITIVE_INFINITY;
  // max(x, min) first, then min(·, max): when min > max every element becomes max, as ONNX says.
  return [
    makeTensor(
      t.dtype,
      t.dims,
      readNum(t).map((v) => Math.min(Math.max(v, min), max)),
    ),
  ];
};

const PRELU: Kernel = (inputs, attrs, ctx) => {
  const [x, slope] = inputs as Tensor[];
  const [out] = inferOutputs(inputs, attrs, ctx);
  const map = broadcastMap(slope!.dims, x!.dims);
  const s = readNum(slope!);
  const vals = readNum(x!).map((v, i) => (v < 0 ? v * s[map ? map[i]! : i]! : v));
  return [makeTensor(out!.dtype, out!.dims, vals)];
};

/** Softmax-family kernel: `f` maps one slice along the axis (read with a stride) in place. */
function alongAxis(f: (v: Float64Array) => void): Kernel {
  return (inputs, attrs, ctx) => {
    inferOutputs(inputs, attrs, ctx);
    const t = inputs[0]!;
    const rank = t.dims.length;
    const axis = (attrs.axis as number) < 0 ? (attrs.axis as number) + rank : (attrs.axis as number);
    const { outer, size, inner } = splitAxis(t.dims, axis);
    const vals = readNum(t);
    const slice = new Float64Array(size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * size * inner + j;
        for (let i = 0; i < size; i++) slice[i] = vals[base + i * inner]!;
        f(slice);
        for (let i = 0; i < size; i++) vals[base + i * inner] = slice[i]!;
      }
    }
    return [makeTensor(t.dtype, t.dims, vals)];
  };
}

function softmaxInPlace(v: Float64Array, log: boolean): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const e of v) if (e > max || Number.isNaN(e)) max = e;
  let sum = 0;
  for (const e of v) sum += Math.exp(e - max);
  if (log) {
    const lse = Math.log(sum);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! - max - lse;
  } else {
    for (let i = 0; i < v.length; i++) v[i] = Math.exp(v[i]! - max) / sum;
  }
}

function hardmaxInPlace(v: Float64Array): void {
  // The first maximum wins (numpy argmax), NaN counting as the maximum.
  let best = 0;
  for (let i = 1; i < v.length; i++) {
    if (Number.isNaN(v[best]!)) break;
    if (v[i]! > v[best]! || Number.isNaN(v[i]!)) best = i;
  }
  v.fill(0);
  if (v.length) v[best] = 1;
}

/** Activation kernels by op type. */
export const ACTIVATION_KERNELS: Record<string, Kernel> = {
  Relu: (inputs, attrs, ctx) => {
    inferOutputs(inputs, attrs, ctx);
    const t = inputs[0]!;
    if (useBig(t.dtype))
      return [
        makeTensor(
          t.dtype,
          t.dims,
          readBig(t).map((v) => (v > 0n ? v : 0n)),
        ),
      ];
    return [mapFloat(t, (v) => (v > 0 ? v : Number.isNaN(v) ? v : 0))];
  },
  LeakyRelu: pointwise((a) => {
    const alpha = f32Attr(a, 'alpha');
    return (v) => (v < 0 ? alpha * v : v);
  }),
  Sigmoid: pointwise(() => (v) => 1 / (1 + Math.exp(-v))),
  HardSigmoid: pointwise((a) => {
    const alpha = f32Attr(a, 'alpha');
    const beta = f32Attr(a, 'beta');
    return (v) => Math.max(0, Math.min(1, alpha * v + beta));
  }),
  HardSwish: pointwise(() => (v) => v * Math.max(0, Math.min(1, v / 6 + 0.5))),
  Tanh: pointwise(() => Math.tanh),
  Softplus: pointwise(() => softplus),
  Gelu: pointwise((a) =>
    a.approximate === 'tanh'
      ? (v) => 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)))
      : (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  ),
  Elu: pointwise((a) => {
    const alpha = f32Attr(a, 'alpha');
    return (v) => (v < 0 ? alpha * Math.expm1(v) : v);
  }),
  Selu: pointwise((a) => {
    const alpha = f32Attr(a, 'alpha');
    const gamma = f32Attr(a, 'gamma');
    return (v) => (v > 0 ? gamma * v : gamma * alpha * Math.expm1(v));
  }),
  Mish: pointwise(() => (v) => v * Math.tanh(softplus(v))),
  Clip: CLIP,
  PRelu: PRELU,
  Softmax: alongAxis((v) => softmaxInPlace(v, false)),
  LogSoftmax: alongAxis((v) => softmaxInPlace(v, true)),
  Hardmax: alongAxis(hardmaxInPlace),
};
