import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { createModel, graphToOnnx, listModels, readOnnxModel, registry, Tensor } from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plugin, RESNET_CONFIGS } from '../src/index.js';

beforeAll(() => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
});

/** A deterministic input in [-2, 2). */
function input(dims: number[]): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((i * 7919) % 4001) / 1000 - 2;
  return new Tensor('float32', data, dims);
}

describe('the registry', () => {
  it('lists every ResNet configuration with its parameter count, without loading code', () => {
    const names = new Set(listModels({ family: 'cnn', scope: 'ocular' }));
    for (const arch of Object.keys(RESNET_CONFIGS)) expect(names, arch).toContain(`ocular/${arch}`);
    for (const entry of plugin.models) expect(entry.paramCount).toBeGreaterThan(0);
  });

  // Each model is built (random weights), traced at 64×64 and exported; parameter counts match
  // the listing, which carries timm's published counts (the layout files check six of them exactly).
  it.each(plugin.models.map((m) => m.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const onnx = graphToOnnx(graph, { dynamicBatch: true });
    const back = readOnnxModel(onnx);
    expect(back.outputs.map((o) => o.name)).toEqual(['output']);
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('parity of the small models on node and reference', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  // Odd sizes exercise the ceil-mode average pools of ResNet-D shortcuts and variable resolution.
  it.each([
    ['test_resnet', [61, 77]],
    ['resnet18', [64, 64]],
    ['resnet18', [45, 70]],
  ] as const)('%s at %j', async (name, [h, w]) => {
    const model = await createModel(`ocular/${name}`, { numClasses: 7 });
    const graph = model.trace({ inputSize: [h, w] });
    const x = input([2, 3, h, w]);
    const ref = interpret(graph, { input: x }).output!;
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const got = (await session.run({ input: x })).output!;
    expect(got.dims).toEqual([2, 7]);
    const a = ref.toFloat32();
    const b = got.toFloat32();
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
    expect(max).toBeLessThanOrEqual(1e-4);
  });
});
