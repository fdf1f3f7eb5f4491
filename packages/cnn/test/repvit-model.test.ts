import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  Conv2d,
  createModel,
  graphToOnnx,
  Identity,
  isReparameterizable,
  Linear,
  Module,
  readOnnxModel,
  registry,
  reparameterizeModel,
  type SymbolicTensor,
  type Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConvNorm,
  NormLinear,
  plugin,
  REPVIT_ENTRIES,
  RepVggDw,
  RepVit,
  RepVitClassifier,
} from '../src/index.js';
import { input, layoutTests, maxAbsDiff, randomizeState } from './ghostnet-helpers.js';
import { layout, moduleLayout } from './reference.js';

beforeAll(() => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
});

describe('repvit_m0_9 against the timm layout', () => {
  layoutTests('repvit_m0_9', ['head.']);

  it('fuses to the layout of timm’s reparameterized model', async () => {
    const ref = layout('repvit_m0_9') as ReturnType<typeof layout> & {
      reparameterized: { param_count: number; state_dict: [string, number[], string, string][] };
    };
    const model = await createModel('ocular/repvit_m0_9');
    const fused = reparameterizeModel(model.module);
    expect(moduleLayout(fused)).toEqual(ref.reparameterized.state_dict);
    expect(fused.parameterCount()).toBe(ref.reparameterized.param_count);
  });
});

describe('RepViT registry entries', () => {
  // timm's published parameter counts (results/benchmark-infer-*.csv, in millions).
  const PUBLISHED: Record<string, number> = {
    repvit_m1: 5.49,
    repvit_m2: 8.8,
    repvit_m3: 10.68,
    repvit_m0_9: 5.49,
    repvit_m1_0: 7.3,
    repvit_m1_1: 8.8,
    repvit_m1_5: 14.64,
    repvit_m2_3: 23.69,
  };

  it.each(REPVIT_ENTRIES.map((e) => e.name))('%s builds, traces at 64×64 and exports', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    expect(Math.abs(model.parameterCount() / 1e6 - PUBLISHED[name]!)).toBeLessThan(0.005);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });

  it('the legacy token mixer has a ConvNorm 1×1 branch and no batch norm after the sum', async () => {
    const keys = [...(await createModel('ocular/repvit_m1')).module.stateDict().keys()];
    expect(keys).toContain('stages.0.blocks.0.token_mixer.conv1.c.weight');
    expect(keys).toContain('stages.0.blocks.0.token_mixer.conv1.bn.running_var');
    expect(keys).not.toContain('stages.0.blocks.0.token_mixer.bn.weight');
  });
});

/** Runs `m` on `x` on the reference backend. */
function run(m: Module<[SymbolicTensor], SymbolicTensor>, x: Tensor): Tensor {
  class Probe extends Module<[SymbolicTensor], SymbolicTensor> {
    constructor() {
      super();
      this.registerModule('m', m);
    }
    forward(v: SymbolicTensor) {
      return m.call(v);
    }
  }
  const g = traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [...x.dims] }]);
  return interpret(g, { input: x }).output!;
}

describe('reparameterize() computes the deploy form', () => {
  const x = input([2, 6, 7, 9]);

  it.each([
    ['ConvNorm 3×3 stride 2', () => new ConvNorm(6, 5, 3, { stride: 2, padding: 1 })],
    ['ConvNorm depthwise', () => new ConvNorm(6, 6, 3, { padding: 1, groups: 6 })],
    ['RepVggDw', () => new RepVggDw(6, 3)],
    ['RepVggDw legacy', () => new RepVggDw(6, 3, true)],
  ] as const)('%s: fused conv output equals the unfused one to 1e-5', (_name, make) => {
    const m = make();
    randomizeState(m, 11);
    const before = run(m, x);
    expect(isReparameterizable(m)).toBe(true);
    const fused = m.reparameterize();
    expect(fused).toBeInstanceOf(Conv2d);
    expect(maxAbsDiff(run(fused, x), before)).toBeLessThanOrEqual(1e-5);
    // The batch norms are far from identities: the bare first conv gives other numbers.
    const raw = m instanceof ConvNorm ? m.c : (m.child('conv') as ConvNorm).c;
    expect(maxAbsDiff(before, run(raw, x))).toBeGreaterThan(1e-3);
  });

  it('NormLinear and the distilled classifier fuse into one linear layer', () => {
    const feats = input([3, 8]);
    for (const m of [
      new NormLinear(8, 4),
      new RepVitClassifier(8, 4, true),
      new RepVitClassifier(8, 4, false),
    ]) {
      randomizeState(m, 5);
      const before = run(m, feats);
      const fused = m.reparameterize();
      expect(fused).toBeInstanceOf(Linear);
      expect(maxAbsDiff(run(fused, feats), before)).toBeLessThanOrEqual(1e-5);
    }
    expect(new RepVitClassifier(8, 0).reparameterize()).toBeInstanceOf(Identity);
  });

  it('a whole RepViT gives the same logits after reparameterizeModel', () => {
    const model = new RepVit({ embedDim: [16, 24], depth: [2, 1] }, { numClasses: 5 });
    randomizeState(model, 9);
    const img = input([1, 3, 32, 40]);
    const before = run(model, img);
    const fused = reparameterizeModel(model);
    expect(fused).toBe(model);
    expect([...model.stateDict().keys()].some((k) => k.includes('.bn.'))).toBe(false);
    expect(maxAbsDiff(run(model, img), before)).toBeLessThanOrEqual(1e-5);
  });
});

describe('RepViT parity and features', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  it('a small RepViT agrees on node and reference at a non-square input', async () => {
    const model = await createModel('ocular/repvit_m0_9', {
      numClasses: 6,
      kwargs: { embed_dim: [16, 24, 32, 40], depth: [1, 1, 2, 1] },
    });
    randomizeState(model.module, 2);
    const graph = model.trace({ inputSize: [48, 56] });
    const x = input([2, 3, 48, 56]);
    const ref = interpret(graph, { input: x }).output!;
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const got = (await session.run({ input: x })).output!;
    expect(got.dims).toEqual([2, 6]);
    expect(maxAbsDiff(ref, got)).toBeLessThanOrEqual(1e-4);
  });

  it('selects stages by outIndices, drops later stages and the head', async () => {
    const model = await createModel('ocular/repvit_m0_9', { featuresOnly: true, outIndices: [0, 2] });
    const keys = [...model.module.stateDict().keys()];
    expect(keys.some((k) => k.startsWith('stages.3.') || k.startsWith('head.'))).toBe(false);
    const graph = model.trace({ batch: 1, inputSize: [64, 96] });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 48, 16, 24],
      [1, 192, 4, 6],
    ]);
  });

  it('resetClassifier swaps the distillation head', () => {
    const model = new RepVit({ embedDim: [16], depth: [1] }, { numClasses: 3 });
    expect(model.stateDict().get('head.head_dist.l.weight')!.dims).toEqual([3, 16]);
    model.resetClassifier(2, false);
    expect(model.stateDict().has('head.head_dist.l.weight')).toBe(false);
    expect(model.stateDict().get('head.head.l.weight')!.dims).toEqual([2, 16]);
    expect(() => model.resetClassifier(1.5)).toThrow();
  });
});
