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
import {
  CROSSVIT_CONFIGS,
  CROSSVIT_ENTRIES,
  CrossAttention,
  CrossAttentionBlock,
  CrossVit,
  crossvitBranchSizes,
} from '../src/index.js';
import { input, maxAbsDiff, usePlugin } from './cait-helpers.js';
import { CROSS_ATTN_EXPECTED, CROSS_BLOCK_EXPECTED } from './crossvit-fixtures.js';

usePlugin();

/** `sin(0.37·i + seed) / 2` over a shape, the fixtures' deterministic values. */
function det(dims: readonly number[], seed: number): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  return Tensor.from(
    'float32',
    Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * 0.5),
    [...dims],
  );
}

function run(m: Module<[SymbolicTensor], SymbolicTensor>, seeds: Record<string, number>): Float32Array {
  const state = new Map<string, Tensor>();
  for (const [k, t] of m.stateDict()) state.set(k, det(t.dims, seeds[k]!));
  m.loadStateDict(state);
  const graph = traceModule(m, [{ name: 'input', dtype: 'float32', shape: [2, 5, 8] }]);
  return interpret(graph, { input: det([2, 5, 8], 1) }).output!.toFloat32();
}

function expectClose(got: Float32Array, want: readonly number[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(2e-5);
}

const ATTN_SEEDS = {
  'wq.weight': 10,
  'wq.bias': 11,
  'wk.weight': 12,
  'wk.bias': 13,
  'wv.weight': 14,
  'wv.bias': 15,
  'proj.weight': 16,
  'proj.bias': 17,
};

describe('CrossViT cross attention against numpy', () => {
  it('CrossAttention: the first token queries every token', () => {
    expectClose(run(new CrossAttention(8, { numHeads: 2, qkvBias: true }), ATTN_SEEDS), CROSS_ATTN_EXPECTED);
  });

  it('CrossAttentionBlock keeps only the class token, with its residual', () => {
    const seeds: Record<string, number> = { 'norm1.weight': 20, 'norm1.bias': 21 };
    for (const [k, v] of Object.entries(ATTN_SEEDS)) seeds[`attn.${k}`] = v;
    expectClose(run(new CrossAttentionBlock(8, { numHeads: 2, qkvBias: true }), seeds), CROSS_BLOCK_EXPECTED);
  });
});

describe('registered CrossViT models', () => {
  it('scale the second branch as timm does (240 → 224)', () => {
    expect(crossvitBranchSizes(CROSSVIT_CONFIGS.crossvit_tiny_240)).toEqual([240, 224]);
  });

  it.each(CROSSVIT_ENTRIES.map((e) => e.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('CrossViT parity of node and reference', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  // A small crossvit_tiny_240: branches at 48 and trunc(48·224/240) = 44 (bicubic resize), and
  // inputs of 48 (first branch not resized) and 40×56 (both resized).
  it.each([
    [48, 48],
    [40, 56],
  ] as const)('a small crossvit_tiny_240 at %i×%i', async (h, w) => {
    const kwargs = {
      img_size: 48,
      embed_dim: [16, 32],
      num_heads: [2, 2],
      depth: [
        [1, 2, 0],
        [1, 1, 0],
      ],
    };
    const model = await createModel('ocular/crossvit_tiny_240', { numClasses: 7, kwargs });
    let i = 0;
    const perturbed = new Map<string, Tensor>();
    for (const [k, t] of model.module.stateDict()) {
      if (/cls_token_\d$|pos_embed_\d$|norm.*\.(weight|bias)$|projs\.\d\.0\.(weight|bias)$/.test(k)) {
        perturbed.set(
          k,
          Tensor.from(
            'float32',
            Array.from({ length: t.size }, () => Math.sin(++i) * 0.5 + (k.endsWith('weight') ? 1 : 0)),
            t.dims,
          ),
        );
      }
    }
    model.module.loadStateDict(perturbed, { strict: false });
    const graph = model.trace({ inputSize: [h, w] });
    const x = input([2, 3, h, w]);
    const ref = interpret(graph, { input: x }).output!;
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const got = (await session.run({ input: x })).output!;
    expect(got.dims).toEqual([2, 7]);
    expect(maxAbsDiff(got, ref)).toBeLessThanOrEqual(1e-4);
  });
});

describe('the CrossViT classifier contract', () => {
  const config = {
    ...CROSSVIT_CONFIGS.crossvit_tiny_240,
    imgSize: 48,
    embedDim: [16, 32],
    numHeads: [2, 2],
    depth: [[1, 1, 0]],
  };

  it('averages the branch heads; pre-logits are the class tokens side by side', () => {
    const model = new CrossVit(config, { numClasses: 5 });
    class Probe extends Module<[SymbolicTensor], SymbolicTensor[]> {
      constructor() {
        super();
        this.registerModule('m', model);
      }
      forward(x: SymbolicTensor) {
        const fs = model.forwardFeatures(x);
        return [...fs, model.forwardHead(fs, true), model.call(x)];
      }
    }
    const graph = traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [1, 3, 48, 48] }]);
    const out = interpret(graph, { input: input([1, 3, 48, 48]) });
    const [f0, f1, pre, logits] = graph.outputs.map((o) => out[o.name]!);
    expect(f0!.dims).toEqual([1, 17, 16]);
    expect(f1!.dims).toEqual([1, 5, 32]);
    const cls0 = [...f0!.toFloat32().slice(0, 16)];
    const cls1 = [...f1!.toFloat32().slice(0, 32)];
    expect(maxAbsDiff(pre!, Tensor.from('float32', [...cls0, ...cls1], [1, 48]))).toBe(0);
    // Each head applied by hand, then averaged.
    const sd = model.stateDict();
    const head = (i: number, v: number[], c: number) => {
      const wt = sd.get(`head.${i}.weight`)!.toFloat32();
      const bias = sd.get(`head.${i}.bias`)!.toFloat32();
      return Array.from({ length: c }, (_, o) =>
        v.reduce((acc, x, j) => acc + x * wt[o * v.length + j]!, bias[o]!),
      );
    };
    const h0 = head(0, cls0, 5);
    const h1 = head(1, cls1, 5);
    const want = Tensor.from(
      'float32',
      h0.map((v, o) => (v + h1[o]!) / 2),
      [1, 5],
    );
    expect(maxAbsDiff(logits!, want)).toBeLessThanOrEqual(1e-5);
  });

  it('resetClassifier replaces or removes both heads', () => {
    const model = new CrossVit(config, { numClasses: 5 });
    model.resetClassifier(3);
    expect(model.numClasses).toBe(3);
    expect(model.stateDict().get('head.1.weight')!.dims).toEqual([3, 32]);
    model.resetClassifier(0);
    expect(model.numClasses).toBe(0);
    expect([...model.stateDict().keys()].some((k) => k.startsWith('head.'))).toBe(false);
  });
});
