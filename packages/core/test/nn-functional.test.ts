import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../src/errors.js';
import * as F from '../src/functional.js';
import { type SymbolicTensor, Tracer } from '../src/ir/trace.js';
import { Tensor } from '../src/tensor.js';
import { type Interpret, referenceInterpret } from './nn-reference.js';

// The functional API's PyTorch semantics, checked through the reference backend against values
// computed by hand or with numpy from PyTorch's documented formulas.

let interpret: Interpret;
beforeAll(async () => {
  interpret = await referenceInterpret();
});

const t = (values: number[], dims: number[]) => Tensor.from('float32', values, dims);
const range = (n: number, start = 0) => Array.from({ length: n }, (_, i) => i + start);
const X4 = t(range(16, 1), [1, 1, 4, 4]);

/** Traces `fn` on the given inputs and returns every output (in order) after interpretation. */
function evalF(
  fn: (...xs: SymbolicTensor[]) => SymbolicTensor | SymbolicTensor[],
  ...inputs: Tensor[]
): Tensor[] {
  const tr = new Tracer('f');
  tr.run(() => {
    const xs = inputs.map((x, i) => tr.input(`x${i}`, x.dtype, x.dims));
    const out = fn(...xs);
    (Array.isArray(out) ? out : [out]).forEach((o, i) => {
      tr.output(`y${i}`, o);
    });
  });
  const feeds = Object.fromEntries(inputs.map((x, i) => [`x${i}`, x]));
  const res = interpret(tr.graph, feeds);
  return tr.graph.outputs.map((o) => res[o.name]!);
}

const one = (fn: (...xs: SymbolicTensor[]) => SymbolicTensor, ...inputs: Tensor[]) =>
  evalF(fn, ...inputs)[0]!;

function close(actual: Tensor, expected: readonly number[], tol = 1e-5): void {
  const a = actual.toNumbers();
  expect(a.length).toBe(expected.length);
  a.forEach((v, i) => {
    expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]!)));
  });
}

/** Expected values computed with numpy from PyTorch's documented formulas. */
const EXPECTED = {
  bilinear3: [1.8333333, 3.1666667, 4.5, 7.1666667, 8.5, 9.8333333, 12.5, 13.833333, 15.166667],
  bilinearAlign3: [1, 2.5, 4, 7, 8.5, 10, 13, 14.5, 16],
  nearest3: [1, 2, 3, 5, 6, 7, 9, 10, 11],
  nearest6x2: [
    1, 1, 2, 2, 3, 3, 4, 4, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
    10, 11, 11, 12, 12, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 16, 16, 13, 13, 14, 14, 15, 15,
    16, 16,
  ],
  bicubic3: [1.630787, 3.0046296, 4.3784722, 7.1261574, 8.5, 9.8738426, 12.621528, 13.99537, 15.369213],
  bicubic6: [
    0.56597222, 1.0590278, 1.8657407, 2.4398148, 3.2465278, 3.7395833, 2.5381944, 3.03125, 3.837963, 4.412037,
    5.21875, 5.7118056, 5.7650463, 6.2581019, 7.0648148, 7.6388889, 8.4456019, 8.9386574, 8.0613426,
    8.5543981, 9.3611111, 9.9351852, 10.741898, 11.234954, 11.288194, 11.78125, 12.587963, 13.162037,
    13.96875, 14.461806, 13.260417, 13.753472, 14.560185, 15.134259, 15.940972, 16.434028,
  ],
  pixelShuffle: [
    0, 4, 1, 5, 8, 12, 9, 13, 2, 6, 3, 7, 10, 14, 11, 15, 16, 20, 17, 21, 24, 28, 25, 29, 18, 22, 19, 23, 26,
    30, 27, 31,
  ],
  pixelUnshuffle: [
    0, 2, 8, 10, 1, 3, 9, 11, 4, 6, 12, 14, 5, 7, 13, 15, 16, 18, 24, 26, 17, 19, 25, 27, 20, 22, 28, 30, 21,
    23, 29, 31,
  ],
  depthToSpaceDCR: [
    0, 8, 1, 9, 16, 24, 17, 25, 2, 10, 3, 11, 18, 26, 19, 27, 4, 12, 5, 13, 20, 28, 21, 29, 6, 14, 7, 15, 22,
    30, 23, 31,
  ],
  groupNorm: [
    -1.1832133, -0.50709139, 1.3380609, 4.0425484, -1.6037028, -1.3841745, -0.48787739, -0.48787739,
  ],
  instanceNorm: [-0.99998, 0.99998, -0.999995, 0.999995, -0.99998, 0.99998, 0, 0],
  avgPoolInclude: [1.5555556, 3.3333333, 6.3333333, 11],
  avgPoolExclude: [3.5, 5, 9.5, 11],
  convSameStride2: [54, 45, 72, 54],
  hardSigmoid: [0, 0, 0.33333333, 0.5, 0.75, 1, 1],
  hardSwish: [-0, -0, -0.33333333, 0, 1.125, 3, 4],
  relu6: [0, 3, 6],
  silu: [-0.07194484, -0.14227762, -0.26894142, 0, 1.2263617, 2.8577224, 3.9280552],
  gelu: [-0.00012668497, -0.0040496941, -0.15865525, 0, 1.3997892, 2.9959503, 3.9998733],
  geluTanh: [-7.0245948e-5, -0.0036373921, -0.15880801, 0, 1.3995716, 2.9963626, 3.9999298],
  logSoftmax: [-8.3895155, -7.3895155, -5.3895155, -4.3895155, -2.8895155, -1.3895155, -0.3895155],
};

describe('F: resampling like torch.nn.functional.interpolate', () => {
  it('nearest (floor of dst·in/out), to a size and by a scale factor', () => {
    close(
      one((x) => F.interpolate(x, { size: [3, 3] }), X4),
      EXPECTED.nearest3,
    );
    const y = one((x) => F.interpolate(x, { scaleFactor: 2 }), X4);
    expect([...y.dims]).toEqual([1, 1, 8, 8]);
    close(y, EXPECTED.nearest6x2);
  });
  it('bilinear with align_corners false and true', () => {
    close(
      one((x) => F.interpolate(x, { size: 3, mode: 'bilinear' }), X4),
      EXPECTED.bilinear3,
    );
    close(
      one((x) => F.interpolate(x, { size: 3, mode: 'bilinear', alignCorners: true }), X4),
      EXPECTED.bilinearAlign3,
    );
  });
  it('align_corners with a scale factor maps corners over the integer output length, as PyTorch', () => {
    // 4 · 0.6 = 2.4 → a 2×2 output whose samples are the input's four corners (values 1..16).
    const y = one((x) => F.interpolate(x, { scaleFactor: 0.6, mode: 'bilinear', alignCorners: true }), X4);
    expect([...y.dims]).toEqual([1, 1, 2, 2]);
    close(y, [1, 4, 13, 16]);
  });
  it('bicubic (a = −0.75), down and up', () => {
    close(
      one((x) => F.interpolate(x, { size: 3, mode: 'bicubic' }), X4),
      EXPECTED.bicubic3,
    );
    close(
      one((x) => F.interpolate(x, { size: 6, mode: 'bicubic' }), X4),
      EXPECTED.bicubic6,
    );
  });
  it('rejects ambiguous arguments', () => {
    expect(() => evalF((x) => F.interpolate(x, {}), X4)).toThrow(/exactly one of size and scaleFactor/);
  });
});

describe('F: layout ops', () => {
  const P = t(range(32), [1, 8, 2, 2]);
  it('pixelShuffle is DepthToSpace CRD; depthToSpace defaults to DCR', () => {
    close(
      one((x) => F.pixelShuffle(x, 2), P),
      EXPECTED.pixelShuffle,
    );
    close(
      one((x) => F.depthToSpace(x, 2), P),
      EXPECTED.depthToSpaceDCR,
    );
  });
  it('pixelUnshuffle is the inverse of pixelShuffle (channel-major, unlike SpaceToDepth)', () => {
    const u = one((x) => F.pixelUnshuffle(x, 2), t(range(32), [1, 2, 4, 4]));
    expect([...u.dims]).toEqual([1, 8, 2, 2]);
    close(u, EXPECTED.pixelUnshuffle);
    close(
      one((x) => F.pixelUnshuffle(F.pixelShuffle(x, 2), 2), P),
      range(32),
    );
  });
  it('flatten(start, end) as torch, keeping a symbolic batch', () => {
    const tr = new Tracer('flat');
    tr.run(() => {
      const x = tr.input('x', 'float32', ['batch', 3, 4, 5]);
      expect(F.flatten(x, 2).shape).toEqual(['batch', 3, 20]);
      expect(F.flatten(x, 1).shape).toEqual(['batch', 60]);
      expect(F.flatten(x, 1, 2).shape).toEqual(['batch', 12, 5]);
    });
    expect([...one((x) => F.flatten(x, 0), X4).dims]).toEqual([16]);
  });
  it('expandBatch repeats a [1, ...] token to a symbolic batch, exactly', () => {
    const tok = t([1, 2, 3], [1, 1, 3]);
    const tr = new Tracer('cls');
    tr.run(() => {
      const x = tr.input('x', 'float32', ['batch', 4, 3]);
      expect(F.expandBatch(tok, x).shape).toEqual(['batch', 1, 3]);
    });
    const y = one((x) => F.expandBatch(tok, x), t([Number.NaN, ...range(23)], [2, 4, 3]));
    expect([...y.dims]).toEqual([2, 1, 3]);
    close(y, [1, 2, 3, 1, 2, 3]);
  });
  it('pad uses torch order (last dim first) and modes', () => {
    const x = t([1, 2, 3, 4], [1, 1, 2, 2]);
    // left 1, right 0, top 0, bottom 1, value 9
    close(
      one((v) => F.pad(v, [1, 0, 0, 1], { value: 9 }), x),
      [9, 1, 2, 9, 3, 4, 9, 9, 9],
    );
    close(
      one((v) => F.pad(v, [1, 1], { mode: 'replicate' }), x),
      [1, 1, 2, 2, 3, 3, 4, 4],
    );
    close(
      one((v) => F.pad(v, [1, 1], { mode: 'reflect' }), x),
      [2, 1, 2, 1, 4, 3, 4, 3],
    );
  });
  it('split by chunk size or sizes, chunk, slice to the end, gather a scalar index', () => {
    const x = t(range(10), [10]);
    const parts = evalF((v) => F.split(v, 4), x);
    expect(parts.map((p) => p.toNumbers())).toEqual([range(4), range(4, 4), [8, 9]]);
    expect(evalF((v) => F.split(v, [3, 7]), x).map((p) => p.dims[0])).toEqual([3, 7]);
    expect(evalF((v) => F.chunk(v, 2), x).map((p) => p.toNumbers())).toEqual([range(5), range(5, 5)]);
    close(
      one((v) => F.slice(v, [7], [Number.POSITIVE_INFINITY]), x),
      [7, 8, 9],
    );
    close(
      one((v) => F.slice(v, [-1], [Number.NEGATIVE_INFINITY], [0], [-3]), x),
      [9, 6, 3, 0],
    );
    const g = one((v) => F.gather(v, 1, 1), t(range(6), [2, 3]));
    expect([...g.dims]).toEqual([2]);
    close(g, [1, 4]);
  });
  it('transpose swaps two dims; squeeze/unsqueeze; expand and tile', () => {
    const x = t(range(6), [1, 2, 3]);
    const y = one((v) => F.transpose(v, -1, 1), x);
    expect([...y.dims]).toEqual([1, 3, 2]);
    close(y, [0, 3, 1, 4, 2, 5]);
    expect([...one((v) => F.unsqueeze(F.squeeze(v, 0), [0, 3]), x).dims]).toEqual([1, 2, 3, 1]);
    close(
      one((v) => F.expand(v, [2, 2]), t([1, 2], [1, 2])),
      [1, 2, 1, 2],
    );
    close(
      one((v) => F.tile(v, [1, 2]), t([1, 2], [1, 2])),
      [1, 2, 1, 2],
    );
  });
});

describe('F: activations with PyTorch constants', () => {
  const h = t([-4, -3, -1, 0, 1.5, 3, 4], [7]);
  it('hardSigmoid = relu6(x + 3) / 6, hardSwish, relu6, silu, gelu (exact and tanh)', () => {
    close(one(F.hardSigmoid as (x: SymbolicTensor) => SymbolicTensor, h), EXPECTED.hardSigmoid);
    close(one(F.hardSwish, h), EXPECTED.hardSwish);
    close(one(F.relu6, t([-1, 3, 7], [3])), EXPECTED.relu6);
    close(one(F.silu, h), EXPECTED.silu);
    close(
      one((x) => F.gelu(x), h),
      EXPECTED.gelu,
    );
    close(
      one((x) => F.gelu(x, 'tanh'), h),
      EXPECTED.geluTanh,
    );
    close(
      one((x) => F.logSoftmax(x), h),
      EXPECTED.logSoftmax,
    );
    close(
      one((x) => F.leakyRelu(x, 0.1), t([-2, 3], [2])),
      [-0.2, 3],
    );
  });
  it('arithmetic with JS numbers as scalars of the other operand', () => {
    close(
      one((x) => F.sub(1, F.mul(x, 2)), t([1, 2], [2])),
      [-1, -3],
    );
    close(
      one((x) => F.pow(x, 2), t([3, -2], [2])),
      [9, 4],
    );
    close(
      one((x) => F.where(F.greater(x, 0), x, 0), t([-1, 5], [2])),
      [0, 5],
    );
    expect(() => evalF(() => F.add(1, 2))).toThrow(/at least one operand/);
  });
});

describe('F: normalisation, pooling, convolution, linear', () => {
  it('groupNorm with per-channel affine; instanceNorm without', () => {
    const x = t([1, 2, 3, 5, -1, 0, 4, 4], [1, 4, 2, 1]);
    const w = t([1, 2, 0.5, -1], [4]);
    const b = t([0, 1, -1, 0.5], [4]);
    close(
      one((v) => F.groupNorm(v, 2, w, b), x),
      EXPECTED.groupNorm,
      1e-4,
    );
    close(
      one((v) => F.instanceNorm(v), x),
      EXPECTED.instanceNorm,
      1e-4,
    );
  });
  it('layerNorm and batchNorm default to unit weight, zero bias', () => {
    close(
      one((v) => F.layerNorm(v, [2], null, null, 0), t([1, 3], [1, 2])),
      [-1, 1],
    );
    close(
      one((v) => F.batchNorm(v, t([1], [1]), t([4], [1]), null, null, 0), t([5, 3], [1, 1, 2])),
      [2, 1],
    );
  });
  it('avgPool counts padding like PyTorch by default (countIncludePad)', () => {
    close(
      one((v) => F.avgPool2d(v, 3, { stride: 2, padding: 1 }), X4),
      EXPECTED.avgPoolInclude,
    );
    close(
      one((v) => F.avgPool2d(v, 3, { stride: 2, padding: 1, countIncludePad: false }), X4),
      EXPECTED.avgPoolExclude,
    );
    close(
      one((v) => F.maxPool2d(v, 2), X4),
      [6, 8, 14, 16],
    );
    close(
      one((v) => F.globalMaxPool(v), X4),
      [16],
    );
  });
  it("conv2d 'same' is TensorFlow SAME (extra padding at the end) for stride 2", () => {
    const w = t(new Array(9).fill(1), [1, 1, 3, 3]);
    close(
      one((v) => F.conv2d(v, w, null, { stride: 2, padding: 'same' }), X4),
      EXPECTED.convSameStride2,
    );
  });
  it('linear: Gemm for 2-D inputs, MatMul + Add otherwise, same numbers', () => {
    const w = t([1, 0, 2, -1, 1, 0], [2, 3]);
    const b = t([10, 20], [2]);
    const expected = [1 + 0 + 6 + 10, -1 + 2 + 0 + 20];
    const tr = new Tracer('lin');
    tr.run(() => {
      F.linear(tr.input('a', 'float32', [1, 3]), w, b);
      F.linear(tr.input('c', 'float32', [1, 1, 3]), w, b);
    });
    expect(tr.graph.nodes.map((n) => n.opType)).toEqual(['Gemm', 'Transpose', 'MatMul', 'Add']);
    close(
      one((v) => F.linear(v, w, b), t([1, 2, 3], [1, 3])),
      expected,
    );
    close(
      one((v) => F.linear(v, w, b), t([1, 2, 3], [1, 1, 3])),
      expected,
    );
  });
  it('scaledDotProductAttention with an additive mask', () => {
    const q = t([1, 0], [1, 1, 2]);
    const k = t([1, 0, 0, 1], [1, 2, 2]);
    const v = t([10, 0, 0, 10], [1, 2, 2]);
    // scores [1/√2, 0]; with mask [0, −∞-ish] only key 0 survives
    const s = Math.exp(1 / Math.sqrt(2));
    close(
      one((a, b, c) => F.scaledDotProductAttention(a, b, c), q, k, v),
      [(10 * s) / (s + 1), 10 / (s + 1)],
    );
    const mask = t([0, -1e9], [1, 1, 2]);
    close(
      one((a, b, c, m) => F.scaledDotProductAttention(a, b, c, { mask: m }), q, k, v, mask),
      [10, 0],
    );
  });
});

describe('F: indices, reductions and dtypes', () => {
  it('argmax, topk, cumsum, reductions, cast, einsum, matmul, constant', () => {
    const x = t([3, 1, 4, 1, 5, 9], [2, 3]);
    expect(one((v) => F.argmax(v, 1, { keepdims: false }), x).toNumbers()).toEqual([2, 2]);
    const [vals, idx] = evalF((v) => F.topk(v, 2), x);
    expect(vals!.toNumbers()).toEqual([4, 3, 9, 5]);
    expect(idx!.dtype).toBe('int64');
    expect(idx!.toNumbers()).toEqual([2, 0, 2, 1]);
    close(
      one((v) => F.cumsum(v, 1), x),
      [3, 4, 8, 1, 6, 15],
    );
    close(
      one((v) => F.cumsum(v, 1, { exclusive: true, reverse: true }), x),
      [5, 4, 0, 14, 9, 0],
    );
    close(
      one((v) => F.reduceMean(v, [1], { keepdims: false }), x),
      [8 / 3, 5],
    );
    close(
      one((v) => F.reduceSum(v), x),
      [23],
    );
    close(
      one((v) => F.reduceMin(v, [0]), x),
      [1, 1, 4],
    );
    const c = one((v) => F.cast(v, 'int32'), t([1.7, -2.2], [2]));
    expect(c.dtype).toBe('int32');
    expect(c.toNumbers()).toEqual([1, -2]);
    close(
      one((a) => F.einsum('ij,kj->ik', a, a), x),
      [26, 44, 44, 107],
    );
    close(
      one((a) => F.matmul(a, F.transpose(a, 0, 1)), x),
      [26, 44, 44, 107],
    );
    close(
      one(() => F.constant(t([7], [1]))),
      [7],
    );
    expect(one((v) => F.equal(v, 1), x).toNumbers()).toEqual([0, 1, 0, 1, 0, 0]);
    expect(one((v) => F.less(v, 4), x).toNumbers()).toEqual([1, 1, 0, 1, 0, 0]);
  });
  it('shape arguments must be static where PyTorch semantics need them', () => {
    const tr = new Tracer('s');
    tr.run(() => {
      const x = tr.input('x', 'float32', [1, 'c', 4, 4]);
      expect(() => F.pixelUnshuffle(x, 2)).toThrow(ShapeError);
    });
  });
});
