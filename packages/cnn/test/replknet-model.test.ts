import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { createModel, graphToOnnx, profileGraph, readOnnxModel, registry } from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';
import { input, randomizeState, relativeDiff } from './byobnet-helpers.js';

const TINY = { layers: [1, 1, 1, 1], channels: [8, 16, 24, 32] };

beforeAll(async () => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  await nodeBackend.init();
});

const sessions: { dispose(): Promise<void> | void }[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

describe('RepLKNet', () => {
  it('RepLKNet-31B has the published 15.3 GMACs (within 2%) at 224×224', async () => {
    const model = await createModel('ocular/replknet_31b');
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs[0]!.shape).toEqual([1, 1000]);
    const macs = profileGraph(graph).macs;
    expect(Math.abs(macs / 15.3e9 - 1)).toBeLessThanOrEqual(0.02);
  });

  it('exports to ONNX (small configuration)', async () => {
    const model = await createModel('ocular/replknet_31b', { kwargs: TINY });
    const graph = model.trace({ inputSize: [64, 64] });
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });

  it('features-only maps have the listed channels and reductions at any resolution', async () => {
    const model = await createModel('ocular/replknet_31b', {
      kwargs: TINY,
      featuresOnly: true,
      outIndices: [0, 2],
    });
    expect(model.featureInfo).toEqual([
      { numChs: 8, reduction: 4, module: 'stages.0' },
      { numChs: 24, reduction: 16, module: 'stages.2' },
    ]);
    const keys = [...model.module.stateDict().keys()];
    expect(
      keys.some((k) => k.startsWith('stages.3.') || k.startsWith('transitions.2.') || k.startsWith('head.')),
    ).toBe(false);
    const graph = model.trace({ batch: 1, inputSize: [96, 80] });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 8, 24, 20],
      [1, 24, 6, 5],
    ]);
  });

  it('resetClassifier and the node backend agree with the reference at an odd size', async () => {
    const model = await createModel('ocular/replknet_31b', { kwargs: TINY, numClasses: 5 });
    randomizeState(model.module, 5);
    const net = model.module as unknown as { resetClassifier(n: number): void; numClasses: number };
    net.resetClassifier(3);
    expect(net.numClasses).toBe(3);
    const graph = model.trace({ inputSize: [50, 70] });
    const x = input([1, 3, 50, 70]);
    const ref = interpret(graph, { input: x }).output!;
    expect(ref.dims).toEqual([1, 3]);
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    expect(relativeDiff((await session.run({ input: x })).output!, ref)).toBeLessThanOrEqual(1e-4);
  });
});
