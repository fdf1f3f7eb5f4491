import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { createModel, graphToOnnx, profileGraph, readOnnxModel, registry, Tensor } from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EFFICIENTNET_CONFIGS, EFFICIENTNET_ENTRIES, plugin } from '../src/index.js';

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

/**
 * timm's published parameter counts (millions, two decimals) of the models without a layout file,
 * from timm's `results/benchmark-infer-amp-nchw-pt240-cu124-rtx3090.csv`.
 */
const PUBLISHED_PARAMS: Record<string, number> = {
  mobilenetv2_050: 1.97,
  mobilenetv2_140: 6.11,
  mobilenetv3_small_050: 1.59,
  efficientnet_b1: 7.79,
  efficientnet_b2: 9.11,
  efficientnet_b3: 12.23,
};

/**
 * Multiply-adds published with the architectures, at the papers' resolutions: MobileNetV2
 * (arXiv 1801.04381, table 6 and figure 5: 0.5 → 97M, 1.0 → 300M, 1.4 → 585M), MobileNetV3
 * (arXiv 1905.02244, table 3: Large 219M, Small 56M), EfficientNet (arXiv 1905.11946, table 2:
 * B0 0.39B at 224, B1 0.70B at 240, B2 1.0B at 260, B3 1.8B at 300).
 */
const PUBLISHED_MACS: [string, number, number][] = [
  ['mobilenetv2_050', 224, 97e6],
  ['mobilenetv2_100', 224, 300e6],
  ['mobilenetv2_140', 224, 585e6],
  ['mobilenetv3_large_100', 224, 219e6],
  ['mobilenetv3_small_100', 224, 56e6],
  ['efficientnet_b0', 224, 0.39e9],
  ['efficientnet_b1', 240, 0.7e9],
  ['efficientnet_b2', 260, 1.0e9],
  ['efficientnet_b3', 300, 1.8e9],
];

describe('the EfficientNet-family registry entries', () => {
  it('register every configuration once', () => {
    expect(EFFICIENTNET_ENTRIES.map((e) => e.name).sort()).toEqual(Object.keys(EFFICIENTNET_CONFIGS).sort());
    const registered = new Set(plugin.models.map((m) => m.name));
    for (const e of EFFICIENTNET_ENTRIES) expect(registered.has(e.name)).toBe(true);
  });

  // Each model is built (random weights), traced at 64×64 and exported; parameter counts match
  // the listing (the layout tests check the models with layouts exactly).
  it.each(EFFICIENTNET_ENTRIES.map((m) => m.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.outputs.map((o) => o.name)).toEqual(['output']);
    expect(back.nodes.length).toBe(graph.nodes.length);
  });

  it.each(Object.keys(PUBLISHED_PARAMS))('%s has timm’s published parameter count', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(Math.round(model.parameterCount() / 1e4) / 100).toBe(PUBLISHED_PARAMS[name]);
  });

  it.each(PUBLISHED_MACS)(
    '%s at %i px costs the published multiply-adds (within 2 %)',
    async (name, size, published) => {
      const model = await createModel(`ocular/${name}`);
      const macs = profileGraph(model.trace({ batch: 1, inputSize: [size, size] })).macs;
      expect(Math.abs(macs / published - 1)).toBeLessThan(0.02);
    },
  );
});

describe('parity of the small EfficientNet-family models on node and reference', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  // Odd sizes exercise variable resolution and TF "SAME" padding with uneven borders.
  it.each([
    ['test_efficientnet', [61, 77]],
    ['test_efficientnet_gn', [64, 64]],
    ['test_efficientnet_ln', [48, 40]],
    ['mobilenetv3_small_050', [57, 64]],
    ['tf_efficientnet_lite0', [45, 38]],
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
