import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  graphToOnnx,
  Module,
  readOnnxModel,
  registry,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GHOSTNET_CONFIGS, GHOSTNET_ENTRIES, GhostModule, GhostNet, plugin } from '../src/index.js';
import { input, layoutTests, maxAbsDiff, randomizeState } from './ghostnet-helpers.js';

beforeAll(() => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
});

describe('ghostnet_100 against the timm layout', () => {
  layoutTests('ghostnet_100', ['classifier.', 'conv_head.']);
});

describe('GhostNet registry entries', () => {
  // timm's published parameter counts (results/benchmark-infer-*.csv, in millions).
  const PUBLISHED: Record<string, number> = { ghostnet_050: 2.59, ghostnet_100: 5.18, ghostnet_130: 7.36 };

  it.each(GHOSTNET_ENTRIES.map((e) => e.name))('%s builds, traces at 64×64 and exports', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    expect(Math.abs(model.parameterCount() / 1e6 - PUBLISHED[name]!)).toBeLessThan(0.005);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });

  it('knows the three widths', () => {
    expect(Object.keys(GHOSTNET_CONFIGS)).toEqual(GHOSTNET_ENTRIES.map((e) => e.name));
  });
});

describe('GhostModule', () => {
  it('concatenates the primary and cheap maps and keeps the first out channels', () => {
    // 5 output channels: 3 primary + 3 cheap, cut to 5. With identity-like weights the
    // result is checked by hand.
    const m = new GhostModule(2, 5, null);
    const state = new Map<string, Tensor>();
    // primary: 1×1 conv 2→3 with rows [1,0], [0,1], [1,1].
    state.set('primary_conv.0.weight', Tensor.from('float32', [1, 0, 0, 1, 1, 1], [3, 2, 1, 1]));
    // cheap: depthwise 3×3 with centre 2 (doubles each channel).
    const dw = new Array(27).fill(0);
    for (let c = 0; c < 3; c++) dw[c * 9 + 4] = 2;
    state.set('cheap_operation.0.weight', Tensor.from('float32', dw, [3, 1, 3, 3]));
    m.loadStateDict(state, { strict: false });
    class Probe extends Module<[SymbolicTensor], SymbolicTensor> {
      constructor() {
        super();
        this.registerModule('m', m);
      }
      forward(x: SymbolicTensor) {
        return m.call(x);
      }
    }
    const g = traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [1, 2, 1, 1] }]);
    const out = interpret(g, { input: Tensor.from('float32', [3, 5], [1, 2, 1, 1]) }).output!;
    // BN at init divides by sqrt(1 + 1e-5).
    const s = 1 / Math.sqrt(1 + 1e-5);
    const expected = [3 * s, 5 * s, 8 * s, 6 * s * s, 10 * s * s];
    expect(out.dims).toEqual([1, 5, 1, 1]);
    for (const [i, v] of [...out.toFloat32()].entries()) expect(v).toBeCloseTo(expected[i]!, 5);
  });
});

describe('GhostNet features and parity', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  it('ghostnet_050 agrees on node and reference at a non-square input', async () => {
    const model = await createModel('ocular/ghostnet_050', { numClasses: 7 });
    randomizeState(model.module, 3);
    const graph = model.trace({ inputSize: [40, 56] });
    const x = input([2, 3, 40, 56]);
    const ref = interpret(graph, { input: x }).output!;
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const got = (await session.run({ input: x })).output!;
    expect(got.dims).toEqual([2, 7]);
    expect(maxAbsDiff(ref, got)).toBeLessThanOrEqual(1e-4);
  });

  it('takes the stem conv before its norm as feature 0 and prunes the head for outIndices', async () => {
    const model = await createModel('ocular/ghostnet_050', { featuresOnly: true, outIndices: [0, 2] });
    const keys = [...model.module.stateDict().keys()];
    expect(keys.some((k) => k.startsWith('blocks.4.') || k.startsWith('conv_head'))).toBe(false);
    expect(keys.some((k) => k.startsWith('blocks.3.'))).toBe(true);
    const graph = model.trace({ batch: 1, inputSize: [64, 96] });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 8, 32, 48],
      [1, 20, 8, 12],
    ]);
    // Feature 0 is the raw conv output: no BatchNormalization between the input and it.
    expect(graph.nodes.filter((n) => n.opType === 'Conv').length).toBeGreaterThan(0);
    const firstOut = graph.outputs[0]!.name;
    const producer = graph.nodes.find((n) => n.outputs.includes(firstOut))!;
    expect(producer.opType).toBe('Conv');
  });

  it('forwardIntermediates, forwardHead(preLogits) and resetClassifier follow timm', () => {
    const model = new GhostNet(GHOSTNET_CONFIGS.ghostnet_050, { numClasses: 4 });
    class Probe extends Module<[SymbolicTensor], SymbolicTensor[]> {
      constructor() {
        super();
        for (const [n, c] of model.namedChildren()) this.registerModule(n, c);
      }
      forward(x: SymbolicTensor) {
        const { final, intermediates } = model.forwardIntermediates(x, 2);
        return [final!, ...intermediates, model.forwardHead(final!, true), model.call(x)];
      }
    }
    const g = traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [1, 3, 64, 64] }]);
    expect(g.outputs.map((o) => o.shape)).toEqual([
      [1, 480, 2, 2],
      [1, 40, 4, 4],
      [1, 80, 2, 2],
      [1, 1280],
      [1, 4],
    ]);
    model.resetClassifier(0);
    expect(model.stateDict().has('classifier.weight')).toBe(false);
    model.resetClassifier(3);
    expect(model.stateDict().get('classifier.weight')!.dims).toEqual([3, 1280]);
    expect(() => model.resetClassifier(-1)).toThrow();
  });
});
