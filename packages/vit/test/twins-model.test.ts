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
import { LocallyGroupedAttn, TWINS_ENTRIES, type Twins } from '../src/index.js';
import { input, maxAbsDiff, usePlugin } from './swin-helpers.js';

usePlugin();

describe('Twins locally-grouped attention', () => {
  // dim 1, one head, window 2 on a 1×3 map (padded to 2×4): keys are 0, so attention is uniform
  // over each window's 4 tokens, padded zeros included (timm does not mask them). v = x.
  it('averages v over each padded window', () => {
    const attn = new LocallyGroupedAttn(1, 1, 2);
    const t = (v: number[], dims: number[]) => Tensor.from('float32', v, dims);
    attn.loadStateDict(
      new Map([
        ['qkv.weight', t([1, 0, 1], [3, 1])],
        ['qkv.bias', t([0, 0, 0], [3])],
        ['proj.weight', t([1], [1, 1])],
        ['proj.bias', t([0], [1])],
      ]),
      { strict: true },
    );
    class Probe extends Module<[SymbolicTensor], SymbolicTensor> {
      forward(x: SymbolicTensor) {
        return attn.call(x, [1, 3]);
      }
    }
    const g = traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [1, 3, 1] }]);
    const out = interpret(g, { input: t([1, 2, 4], [1, 3, 1]) });
    expect([...out[g.outputs[0]!.name]!.toFloat32()]).toEqual([0.75, 0.75, 1]);
  });
});

describe('registered Twins models', () => {
  it.each(TWINS_ENTRIES.map((e) => e.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('Twins on node and reference', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  // 96×160 → 24×40 tokens: windows of 7 pad in every stage.
  it('agrees at an input that pads the windows', async () => {
    const kwargs = { embed_dims: [16, 24, 32, 40], num_heads: [1, 2, 2, 4], depths: [2, 2, 2, 2] };
    const model = await createModel('ocular/twins_svt_small', { numClasses: 5, kwargs });
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
    const graph = model.trace({ inputSize: [96, 160] });
    const x = input([2, 3, 96, 160]);
    const ref = interpret(graph, { input: x });
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const node = await session.run({ input: x });
    const key = graph.outputs[0]!.name;
    expect(ref[key]!.dims).toEqual([2, 5]);
    expect(maxAbsDiff(node[key]!, ref[key]!)).toBeLessThanOrEqual(1e-4);
  });
});

describe('Twins classifier API', () => {
  it('resets the classifier and prunes later stages for features-only subsets', async () => {
    const kwargs = { embed_dims: [16, 24, 32, 40], num_heads: [1, 2, 2, 4], depths: [2, 2, 2, 2] };
    const model = (await createModel('ocular/twins_svt_small', { kwargs })).module as Twins;
    model.resetClassifier(3);
    expect(model.numClasses).toBe(3);
    expect(model.stateDict().get('head.weight')?.dims).toEqual([3, 40]);
    const fo = await createModel('ocular/twins_svt_small', { kwargs, featuresOnly: true, outIndices: [1] });
    expect(fo.featureInfo).toEqual([{ numChs: 24, reduction: 8, module: 'block.1' }]);
    const keys = [...fo.module.stateDict().keys()];
    expect(keys.some((k) => k.startsWith('blocks.2.') || k.startsWith('pos_block.3.'))).toBe(false);
    expect(fo.trace({ inputSize: [64, 64] }).outputs.map((o) => o.shape)).toEqual([['batch', 24, 8, 8]]);
  });
});
