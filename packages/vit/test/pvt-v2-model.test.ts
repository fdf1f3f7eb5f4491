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
import { PVT_V2_ENTRIES, type PyramidVisionTransformerV2, SpatialReductionAttention } from '../src/index.js';
import { input, maxAbsDiff, usePlugin } from './swin-helpers.js';

usePlugin();

describe('PVTv2 spatial-reduction attention', () => {
  // One head, dim 1, sr 2 on a 2×2 map: keys/values reduce to one token, so softmax over one
  // key is 1 and every output equals proj(kv-value of the reduced token), whatever q is.
  it('attends to the single reduced token', () => {
    const attn = new SpatialReductionAttention(1, 1, 2);
    const t = (v: number[], dims: number[]) => Tensor.from('float32', v, dims);
    attn.loadStateDict(
      new Map([
        ['q.weight', t([3], [1, 1])],
        ['q.bias', t([0], [1])],
        ['kv.weight', t([1, 2], [2, 1])],
        ['kv.bias', t([0, 0.5], [2])],
        ['proj.weight', t([1], [1, 1])],
        ['proj.bias', t([0.25], [1])],
        ['sr.weight', t([1, 1, 1, 1], [1, 1, 2, 2])],
        ['sr.bias', t([0], [1])],
        ['norm.weight', t([2], [1])],
        ['norm.bias', t([1], [1])],
      ]),
      { strict: true },
    );
    class Probe extends Module<[SymbolicTensor], SymbolicTensor> {
      forward(x: SymbolicTensor) {
        return attn.call(x, [2, 2]);
      }
    }
    const g = traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [1, 4, 1] }]);
    const out = interpret(g, { input: t([1, 2, 3, 4], [1, 4, 1]) });
    // LayerNorm over one channel gives 0 → norm bias 1; v = 2·1 + 0.5 = 2.5; proj: 2.5 + 0.25.
    expect([...out[g.outputs[0]!.name]!.toFloat32()]).toEqual([2.75, 2.75, 2.75, 2.75]);
  });
});

describe('registered PVTv2 models', () => {
  it.each(PVT_V2_ENTRIES.map((e) => e.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('PVTv2 on node and reference', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  it('agrees at an odd input size', async () => {
    const kwargs = { depths: [1, 1, 1, 1], embed_dims: [16, 24, 32, 40], num_heads: [1, 2, 2, 4] };
    const model = await createModel('ocular/pvt_v2_b0', { numClasses: 5, kwargs });
    let i = 0;
    const state = new Map<string, Tensor>();
    for (const [k, t] of model.module.stateDict()) {
      if (/norm\d?\.(weight|bias)$/.test(k)) {
        state.set(
          k,
          Tensor.from(
            'float32',
            Array.from({ length: t.size }, () => Math.sin(++i) * 0.5 + 0.5),
            t.dims,
          ),
        );
      }
    }
    model.module.loadStateDict(state, { strict: false });
    const graph = model.trace({ inputSize: [70, 50] });
    const x = input([2, 3, 70, 50]);
    const ref = interpret(graph, { input: x });
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const node = await session.run({ input: x });
    const key = graph.outputs[0]!.name;
    expect(ref[key]!.dims).toEqual([2, 5]);
    expect(maxAbsDiff(node[key]!, ref[key]!)).toBeLessThanOrEqual(1e-4);
  });
});

describe('PVTv2 classifier API', () => {
  it('resets the classifier and returns NCHW features-only subsets', async () => {
    const kwargs = { depths: [1, 1, 1, 1], embed_dims: [16, 24, 32, 40], num_heads: [1, 2, 2, 4] };
    const model = (await createModel('ocular/pvt_v2_b0', { kwargs })).module as PyramidVisionTransformerV2;
    model.resetClassifier(3);
    expect(model.numClasses).toBe(3);
    expect(model.stateDict().get('head.weight')?.dims).toEqual([3, 40]);
    const fo = await createModel('ocular/pvt_v2_b0', { kwargs, featuresOnly: true, outIndices: [0, 2] });
    expect(fo.featureInfo.map((f) => f.module)).toEqual(['stages.0', 'stages.2']);
    expect(fo.trace({ inputSize: [64, 64] }).outputs.map((o) => o.shape)).toEqual([
      ['batch', 16, 16, 16],
      ['batch', 32, 4, 4],
    ]);
  });
});
