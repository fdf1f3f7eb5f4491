import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  graphToOnnx,
  Module,
  readOnnxModel,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PixelEmbed, TNT_CONFIGS, TNT_ENTRIES, Tnt, TntAttention } from '../src/index.js';
import { describeLayouts, input, maxAbsDiff, randomize, runReference, usePlugin } from './volo-helpers.js';

usePlugin();

describeLayouts(['tnt_s_patch16_224']);

/** timm's TNT Attention on one sequence [N, C], written with loops. */
function attentionLoop(m: TntAttention, x: Float32Array, n: number) {
  const c = m.dim;
  const lin = (w: Tensor, b: Tensor | undefined, inF: number, row: number, o: number) => {
    const wt = w.toFloat32();
    let acc = b ? b.toFloat32()[o]! : 0;
    for (let i = 0; i < inF; i++) acc += x[row * inF + i]! * wt[o * inF + i]!;
    return acc;
  };
  const hd = m.headDim;
  const nh = m.numHeads;
  const dv = c / nh;
  const out = new Float64Array(n * c);
  const mixed = new Float64Array(n * c);
  for (let h = 0; h < nh; h++)
    for (let i = 0; i < n; i++) {
      const scores: number[] = [];
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let d = 0; d < hd; d++)
          s +=
            lin(m.qk.weight, m.qk.bias, c, i, h * hd + d) *
            lin(m.qk.weight, m.qk.bias, c, j, nh * hd + h * hd + d);
        scores.push(s * m.scale);
      }
      const mx = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - mx));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let d = 0; d < dv; d++) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc += (e[j]! / sum) * lin(m.v.weight, m.v.bias, c, j, h * dv + d);
        mixed[i * c + h * dv + d] = acc;
      }
    }
  const pw = m.proj.weight.toFloat32();
  const pb = m.proj.bias!.toFloat32();
  for (let i = 0; i < n; i++)
    for (let o = 0; o < c; o++) {
      let acc = pb[o]!;
      for (let k = 0; k < c; k++) acc += mixed[i * c + k]! * pw[o * c + k]!;
      out[i * c + o] = acc;
    }
  return out;
}

class Fn extends Module<[SymbolicTensor], SymbolicTensor> {
  constructor(
    readonly inner: PixelEmbed,
    readonly pos: Tensor,
  ) {
    super();
    this.registerModule('pe', inner);
  }
  forward(x: SymbolicTensor) {
    return this.inner.call(x, this.pos);
  }
}

describe('TNT layers against loop definitions', () => {
  it('attention (qk and v projections, 3 heads of width 4)', () => {
    const attn = new TntAttention(12, 12, 3);
    randomize(attn, 0.5);
    const x = input([1, 5, 12], 3);
    expect(maxAbsDiff(runReference(attn, x), attentionLoop(attn, x.toFloat32(), 5))).toBeLessThan(1e-5);
  });

  it('pixel embedding = nn.Unfold into patches, conv per patch, plus pixel_pos', () => {
    // 1×1 identity-like conv so each token equals a pixel of its patch (+ pos): checks the unfold order.
    const pe = new PixelEmbed(2, 2, 4, 1);
    const w = new Float32Array(2 * 2 * 49);
    w[0 * 98 + 0 * 49 + 24] = 1; // out 0 ← in 0, kernel centre
    w[1 * 98 + 1 * 49 + 24] = 1; // out 1 ← in 1
    const pos = input([1, 2, 4, 4], 9);
    pe.loadStateDict(
      new Map<string, Tensor>([
        ['proj.weight', new Tensor('float32', w, [2, 2, 7, 7])],
        ['proj.bias', new Tensor('float32', new Float32Array(2), [2])],
      ]),
    );
    const x = input([1, 2, 8, 9], 5); // the ninth column is not a whole patch: dropped
    const got = runReference(new Fn(pe, pos), x);
    expect(got.dims).toEqual([4, 16, 2]);
    const xs = x.toFloat32();
    const ps = pos.toFloat32();
    const want: number[] = [];
    for (let py = 0; py < 2; py++)
      for (let px = 0; px < 2; px++)
        for (let t = 0; t < 16; t++)
          for (let c = 0; c < 2; c++) {
            const y = py * 4 + Math.floor(t / 4);
            const xx = px * 4 + (t % 4);
            want.push(xs[(c * 8 + y) * 9 + xx]! + ps[c * 16 + t]!);
          }
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-6);
  });
});

describe('registered TNT models', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  it.each(TNT_ENTRIES.map((e) => e.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });

  it('a small TNT agrees on node and reference (resampled patch_pos at 48×80)', async () => {
    const config = {
      ...TNT_CONFIGS.tnt_s_patch16_224,
      embedDim: 32,
      innerDim: 8,
      depth: 2,
      numHeadsInner: 2,
      numHeadsOuter: 4,
      imgSize: 64,
    };
    for (const [h, w] of [
      [64, 64],
      [48, 80],
    ] as const) {
      const model = new Tnt(config, { numClasses: 5 });
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

  it('forwardIntermediates gives the patch tokens as maps', () => {
    const config = {
      ...TNT_CONFIGS.tnt_s_patch16_224,
      embedDim: 32,
      innerDim: 8,
      depth: 3,
      numHeadsInner: 2,
      numHeadsOuter: 4,
    };
    const model = new Tnt(config);
    class Probe extends Module<[SymbolicTensor], SymbolicTensor[]> {
      constructor() {
        super();
        for (const [name, child] of model.namedChildren()) this.registerModule(name, child);
      }
      forward(x: SymbolicTensor) {
        const r = model.forwardIntermediates(x, 2);
        return [r.final!, ...r.intermediates];
      }
    }
    const graph = traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [1, 3, 48, 64] }]);
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 13, 32],
      [1, 32, 3, 4],
      [1, 32, 3, 4],
    ]);
  });
});
