import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  graphToOnnx,
  Module,
  profileGraph,
  readOnnxModel,
  type SymbolicTensor,
  type Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, describe, expect, it } from 'vitest';
import { fold2d, OutlookAttention, unfold2d, VOLO_CONFIGS, VOLO_ENTRIES, Volo } from '../src/index.js';
import { describeLayouts, input, maxAbsDiff, randomize, runReference, usePlugin } from './volo-helpers.js';

usePlugin();

// ---- direct-loop definitions of PyTorch's nn.Unfold / F.fold and timm's OutlookAttention ------

const positions = (n: number, k: number, p: number, s: number) => Math.floor((n + 2 * p - k) / s) + 1;

/** nn.Unfold on one image [C, H, W] → [C, k·k, h, w] (row-major, C·k·k major as PyTorch). */
function unfoldLoop(x: Float32Array, c: number, hh: number, ww: number, k: number, p: number, s: number) {
  const h = positions(hh, k, p, s);
  const w = positions(ww, k, p, s);
  const out = new Float64Array(c * k * k * h * w);
  for (let ci = 0; ci < c; ci++)
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++)
        for (let y = 0; y < h; y++)
          for (let xx = 0; xx < w; xx++) {
            const iy = y * s + i - p;
            const ix = xx * s + j - p;
            const v = iy >= 0 && iy < hh && ix >= 0 && ix < ww ? x[(ci * hh + iy) * ww + ix]! : 0;
            out[(((ci * k + i) * k + j) * h + y) * w + xx] = v;
          }
  return out;
}

/** F.fold on one image [C, k·k, h, w] → [C, H, W]. */
function foldLoop(
  cols: ArrayLike<number>,
  c: number,
  hh: number,
  ww: number,
  k: number,
  p: number,
  s: number,
) {
  const h = positions(hh, k, p, s);
  const w = positions(ww, k, p, s);
  const out = new Float64Array(c * hh * ww);
  for (let ci = 0; ci < c; ci++)
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++)
        for (let y = 0; y < h; y++)
          for (let xx = 0; xx < w; xx++) {
            const iy = y * s + i - p;
            const ix = xx * s + j - p;
            if (iy < 0 || iy >= hh || ix < 0 || ix >= ww) continue;
            out[(ci * hh + iy) * ww + ix] += cols[(((ci * k + i) * k + j) * h + y) * w + xx]!;
          }
  return out;
}

/** y = x·Wᵀ + b over rows of length `inF`. */
function linearLoop(x: ArrayLike<number>, rows: number, inF: number, wt: Float32Array, b?: Float32Array) {
  const outF = wt.length / inF;
  const y = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < outF; o++) {
      let acc = b ? b[o]! : 0;
      for (let i = 0; i < inF; i++) acc += x[r * inF + i]! * wt[o * inF + i]!;
      y[r * outF + o] = acc;
    }
  return y;
}

/** timm's OutlookAttention.forward on one image [H, W, C], written with loops. */
function outlookLoop(m: OutlookAttention, x: Float32Array, hh: number, ww: number) {
  const { dim: c, numHeads: nh, kernelSize: k, padding: p, stride: s } = m;
  const d = c / nh;
  const kk = k * k;
  const v = linearLoop(x, hh * ww, c, m.v.weight.toFloat32(), m.v.bias?.toFloat32());
  const vChw = new Float32Array(c * hh * ww);
  for (let i = 0; i < hh * ww; i++) for (let ci = 0; ci < c; ci++) vChw[ci * hh * ww + i] = v[i * c + ci]!;
  const cols = unfoldLoop(vChw, c, hh, ww, k, p, s); // [C, k², h, w]
  const h = Math.ceil(hh / s);
  const w = Math.ceil(ww / s);
  const n = h * w;
  // Average pool with ceil mode: partial windows average what they cover.
  const pooled = new Float64Array(n * c);
  for (let y = 0; y < h; y++)
    for (let xx = 0; xx < w; xx++)
      for (let ci = 0; ci < c; ci++) {
        let acc = 0;
        let cnt = 0;
        for (let a = y * s; a < Math.min(y * s + s, hh); a++)
          for (let b = xx * s; b < Math.min(xx * s + s, ww); b++) {
            acc += x[(a * ww + b) * c + ci]!;
            cnt++;
          }
        pooled[(y * w + xx) * c + ci] = acc / cnt;
      }
  const logits = linearLoop(pooled, n, c, m.attn.weight.toFloat32(), m.attn.bias?.toFloat32()); // [N, nh·k⁴]
  const outCols = new Float64Array(c * kk * n);
  for (let hd = 0; hd < nh; hd++)
    for (let t = 0; t < n; t++)
      for (let q = 0; q < kk; q++) {
        const row: number[] = [];
        for (let r = 0; r < kk; r++) row.push(logits[t * nh * kk * kk + (hd * kk + q) * kk + r]! * m.scale);
        const mx = Math.max(...row);
        const e = row.map((z) => Math.exp(z - mx));
        const sum = e.reduce((a, b) => a + b, 0);
        for (let di = 0; di < d; di++) {
          let acc = 0;
          for (let r = 0; r < kk; r++) acc += (e[r]! / sum) * cols[((hd * d + di) * kk + r) * n + t]!;
          outCols[((hd * d + di) * kk + q) * n + t] = acc;
        }
      }
  const folded = foldLoop(outCols, c, hh, ww, k, p, s); // [C, H, W]
  const hwc = new Float64Array(hh * ww * c);
  for (let i = 0; i < hh * ww; i++)
    for (let ci = 0; ci < c; ci++) hwc[i * c + ci] = folded[ci * hh * ww + i]!;
  return linearLoop(hwc, hh * ww, c, m.proj.weight.toFloat32(), m.proj.bias?.toFloat32());
}

class Fn extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(readonly fn: (x: SymbolicTensor) => SymbolicTensor) {
    super();
  }
  forward(x: SymbolicTensor) {
    return this.fn(x);
  }
}

describe('unfold/fold with standard ops', () => {
  it.each([
    [3, 1, 2, 6, 7],
    [3, 1, 1, 5, 4],
    [2, 0, 2, 6, 6],
    [3, 2, 3, 7, 8],
  ])('k=%i p=%i s=%i on %i×%i equals nn.Unfold and F.fold', (k, p, s, hh, ww) => {
    const c = 2;
    const x = input([1, c, hh, ww], 3);
    const got = runReference(new Fn((t) => unfold2d(t, k, p, s)), x);
    const want = unfoldLoop(x.toFloat32(), c, hh, ww, k, p, s);
    expect(got.dims).toEqual([1, c, k * k, positions(hh, k, p, s), positions(ww, k, p, s)]);
    expect(maxAbsDiff(got, want)).toBe(0);
    const cols = input(got.dims, 5);
    const folded = runReference(new Fn((t) => fold2d(t, hh, ww, k, p, s)), cols);
    expect(folded.dims).toEqual([1, c, hh, ww]);
    expect(maxAbsDiff(folded, foldLoop(cols.toFloat32(), c, hh, ww, k, p, s))).toBeLessThan(1e-6);
  });

  it('counts no MACs: only Pad, Slice, Unsqueeze, Concat, Gather, Reshape, Add', () => {
    const m = new Fn((t) => fold2d(unfold2d(t, 3, 1, 2), 6, 6, 3, 1, 2));
    const graph = traceModule(m, [{ name: 'input', dtype: 'float32', shape: [1, 2, 6, 6] }]);
    expect(profileGraph(graph).macs).toBe(0);
    const ops = new Set(graph.nodes.map((n) => n.opType));
    for (const op of ops)
      expect(['Pad', 'Slice', 'Unsqueeze', 'Concat', 'Gather', 'Reshape', 'Add']).toContain(op);
  });
});

describe('OutlookAttention', () => {
  it.each([
    [8, 8],
    [7, 5],
  ])('matches the loop definition of timm on %i×%i', (hh, ww) => {
    const attn = new OutlookAttention(8, 2, 3, 1, 2);
    randomize(attn, 0.5);
    const x = input([1, hh, ww, 8], 7);
    const got = runReference(attn, x);
    expect(maxAbsDiff(got, outlookLoop(attn, x.toFloat32(), hh, ww))).toBeLessThan(1e-5);
  });
});

describeLayouts(['volo_d1_224']);

describe('registered VOLO models', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  it.each(VOLO_ENTRIES.map((e) => e.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });

  it('a small VOLO agrees on node and reference, at odd sizes too', async () => {
    const config = {
      ...VOLO_CONFIGS.volo_d1_224,
      layers: [2, 1, 1, 1],
      embedDims: [16, 24, 24, 24],
      numHeads: [2, 3, 3, 3],
      stemHiddenDim: 8,
    };
    for (const [h, w] of [
      [64, 64],
      [40, 72],
    ] as const) {
      const model = new Volo(config, { numClasses: 5 });
      randomize(model, 0.2);
      const graph = traceModule(model, [{ name: 'input', dtype: 'float32', shape: [2, 3, h, w] }]);
      const x = input([2, 3, h, w], 11);
      const ref = interpret(graph, { input: x }).output as Tensor;
      const session = await nodeBackend.compile(graph);
      sessions.push(session);
      const got = (await session.run({ input: x })).output!;
      expect(got.dims).toEqual([2, 5]);
      expect(maxAbsDiff(got, ref)).toBeLessThanOrEqual(1e-4);
    }
  });
});
