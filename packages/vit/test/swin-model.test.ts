import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  type ClassifierModel,
  createModel,
  F,
  graphToOnnx,
  Module,
  readOnnxModel,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, describe, expect, it } from 'vitest';
import { roll, SWIN_ENTRIES, type SwinTransformer, shiftedWindowMask } from '../src/index.js';
import { input, maxAbsDiff, usePlugin } from './swin-helpers.js';

usePlugin();

/** Traces `fn` over a `[1, C, h, w]` input. */
function traceFn(fn: (x: SymbolicTensor) => SymbolicTensor[], shape: number[]) {
  class Probe extends Module<[SymbolicTensor], SymbolicTensor[]> {
    forward(x: SymbolicTensor) {
      return fn(x);
    }
  }
  return traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape }]);
}

describe('Swin window helpers', () => {
  it('rolls like torch.roll', () => {
    const x = Tensor.from('float32', [0, 1, 2, 3, 4], [1, 5]);
    const g = traceFn((t) => [roll(t, 2, 1, 5), roll(t, -1, 1, 5)], [1, 5]);
    const out = interpret(g, { input: x });
    expect([...out.output0!.toFloat32()]).toEqual([3, 4, 0, 1, 2]);
    expect([...out.output1!.toFloat32()]).toEqual([1, 2, 3, 4, 0]);
  });

  it('masks tokens of different shifted regions (4×4 map, window 2, shift 1)', () => {
    const m = shiftedWindowMask(4, 4, 2, [1, 1]);
    expect(m.dims).toEqual([4, 4, 4]);
    const v = m.toFloat32();
    // Windows 0..2 hold one region each except the borders: window 0 is all region 0.
    expect([...v.slice(0, 16)].every((e) => e === 0)).toBe(true);
    // Window 3 (bottom-right) holds regions (1,1), (1,2), (2,1), (2,2): only the diagonal is 0.
    const w3 = [...v.slice(48, 64)];
    expect(w3.filter((e) => e === 0).length).toBe(4);
    expect(w3[0]).toBe(0);
    expect(w3[1]).toBe(-100);
    // Window 1 (top-right): columns 2 (region 1) and 3 (region 2) in rows of region 0.
    const w1 = [...v.slice(16, 32)];
    expect(w1).toEqual([0, -100, 0, -100, -100, 0, -100, 0, 0, -100, 0, -100, -100, 0, -100, 0]);
  });
});

describe('registered Swin models', () => {
  it.each(SWIN_ENTRIES.map((e) => e.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('Swin on node and reference', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  // 60×76 → 15×19 tokens: every stage pads to the window, stage 0 shifts with the mask of the
  // padded map, and patch merging pads odd sides.
  it('agrees at an input that needs padding to the window', async () => {
    const kwargs = { img_size: 56, embed_dim: 16, depths: [2, 2, 1], num_heads: [2, 2, 4], window_size: 7 };
    const model = await createModel('ocular/swin_tiny_patch4_window7_224', { numClasses: 5, kwargs });
    let i = 0;
    const state = new Map<string, Tensor>();
    for (const [k, t] of model.module.stateDict()) {
      if (k.includes('relative_position_bias_table') || /norm\d?\.(weight|bias)$/.test(k)) {
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
    const graph = model.trace({ inputSize: [60, 76] });
    const x = input([2, 3, 60, 76]);
    const ref = interpret(graph, { input: x });
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const node = await session.run({ input: x });
    const key = graph.outputs[0]!.name;
    expect(ref[key]!.dims).toEqual([2, 5]);
    expect(maxAbsDiff(node[key]!, ref[key]!)).toBeLessThanOrEqual(1e-4);
  });
});

describe('Swin classifier API', () => {
  it('resets the classifier, returns channels-last intermediates and features-only subsets', async () => {
    const kwargs = { img_size: 56, embed_dim: 16, depths: [1, 1, 1], num_heads: [1, 2, 4] };
    const model = (await createModel('ocular/swin_tiny_patch4_window7_224', { kwargs }))
      .module as SwinTransformer;
    model.resetClassifier(3);
    expect(model.numClasses).toBe(3);
    const g = traceFn(
      (x) => {
        const { final, intermediates } = (model as ClassifierModel).forwardIntermediates(x, [0, 2]);
        return [model.forwardHead(final!), ...intermediates, F.relu(final!)];
      },
      [1, 3, 56, 56],
    );
    expect(g.outputs.map((o) => o.shape)).toEqual([
      [1, 3],
      [1, 14, 14, 16],
      [1, 4, 4, 64],
      [1, 4, 4, 64],
    ]);
    const fo = await createModel('ocular/swin_tiny_patch4_window7_224', {
      kwargs,
      featuresOnly: true,
      outIndices: [1],
    });
    expect(fo.featureInfo).toEqual([{ numChs: 32, reduction: 8, module: 'layers.1' }]);
    expect(fo.trace({ inputSize: [56, 56] }).outputs.map((o) => o.shape)).toEqual([['batch', 7, 7, 32]]);
  });
});
