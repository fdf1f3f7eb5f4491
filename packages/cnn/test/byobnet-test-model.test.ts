// test_byobnet: timm's residual ByobNet test model (3×3 stem; edge, dark, basic and bottleneck
// blocks with squeeze-excite and average-pool shortcuts). Layout, MACs and features against the
// timm layout; a residual block against a hand computation; onnxruntime-node against the
// reference backend.
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  getModelInfo,
  graphToOnnx,
  profileGraph,
  readOnnxModel,
  registry,
  Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByobDarkBlock, ByobEdgeBlock, plugin } from '../src/index.js';
import { input, randomizeState, relativeDiff } from './byobnet-helpers.js';
import { layout, moduleLayout } from './reference.js';

const NAME = 'test_byobnet';

beforeAll(async () => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  await nodeBackend.init();
});

const sessions: { dispose(): Promise<void> | void }[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

describe(`${NAME} against the timm layout`, () => {
  const ref = layout(NAME);

  it('has the state-dict keys, shapes, kinds, dtypes and order', async () => {
    const model = await createModel(`ocular/${NAME}`);
    expect(moduleLayout(model.module)).toEqual(ref.state_dict);
    expect(model.parameterCount()).toBe(ref.param_count);
  });

  it('lists the layout metadata without loading code', () => {
    const info = getModelInfo(`ocular/${NAME}`);
    expect(info.paramCount).toBe(ref.param_count);
    expect(info.defaultInputSize).toEqual(ref.default_input_size);
    expect(info.mean).toEqual(ref.mean);
    expect(info.std).toEqual(ref.std);
    expect(info.numClasses).toBe(ref.num_classes);
    expect(info.tag ?? info.variants[0]).toBe(ref.pretrained_cfg.tag);
    expect(info.firstConv).toBe(ref.pretrained_cfg.first_conv);
    expect(info.classifier).toEqual([ref.pretrained_cfg.classifier]);
    expect(info.featureInfo).toEqual(
      ref.feature_info.map((f) => ({ numChs: f.num_chs, reduction: f.reduction, module: f.module })),
    );
  });

  it('has the logits and features shapes and the MACs at the default input', async () => {
    const model = await createModel(`ocular/${NAME}`);
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual([ref.logits_shape_at_default_input]);
    expect(profileGraph(graph).macs).toBe(ref.macs);
  });

  it('has the features-only maps of timm', async () => {
    const fo = ref.features_only;
    const model = await createModel(`ocular/${NAME}`, { featuresOnly: true });
    expect(model.featureInfo).toEqual(
      fo.channels.map((c, i) => ({ numChs: c, reduction: fo.reduction[i], module: fo.module[i] })),
    );
    expect(moduleLayout(model.module)).toEqual(ref.state_dict.filter(([k]) => !k.startsWith('head.fc.')));
    expect(model.module.stateDict().size).toBe((fo as { state_dict_len?: number }).state_dict_len);
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual(fo.output_shapes_at_default_input);
  });

  it('takes outIndices and keeps timm’s stage order in forwardIntermediates', async () => {
    const model = await createModel(`ocular/${NAME}`, { featuresOnly: true, outIndices: [1, 3] });
    const graph = model.trace({ batch: 1, inputSize: [64, 96] });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 32, 16, 24],
      [1, 128, 4, 6],
    ]);
    const keys = [...model.module.stateDict().keys()];
    expect(keys.some((k) => k.startsWith('stages.3.'))).toBe(false);
  });
});

describe('residual blocks', () => {
  /** A block with every conv weight and norm at identity-like values, so its output is computable by hand. */
  function setAll(block: ByobDarkBlock | ByobEdgeBlock, convValue: number): void {
    for (const [key, t] of block.stateDict()) {
      if (t.dtype !== 'float32') continue;
      const data = t.data as Float32Array;
      if (key.endsWith('running_var') || (key.includes('bn.') && key.endsWith('weight'))) data.fill(1);
      else if (key.endsWith('running_mean') || key.endsWith('bias')) data.fill(0);
      else data.fill(convValue);
    }
  }

  it('a shape-keeping dark block adds the identity shortcut and applies ReLU', () => {
    // 2 → 2 channels, mid makeDivisible(2) = 8 (as timm), 1×1 then 3×3 convs of all-0.5 weights at a 1×1 input: the 3×3 conv
    // sees only its centre tap. Batch norm at init divides by √(1 + 1e-5).
    const block = new ByobDarkBlock(2, 2, {});
    setAll(block, 0.5);
    const g = traceModule(block, [{ name: 'input', dtype: 'float32', shape: [1, 2, 1, 1] }]);
    const out = interpret(g, { input: Tensor.from('float32', [3, -4], [1, 2, 1, 1]) }).output!.toFloat32();
    const s = 1 / Math.sqrt(1 + 1e-5);
    const h = Math.max(0, 0.5 * (3 - 4) * s); // conv1_1x1 + ReLU clips −0.5·s to 0 ...
    expect(h).toBe(0);
    const out2 = interpret(g, { input: Tensor.from('float32', [3, 1], [1, 2, 1, 1]) }).output!.toFloat32();
    const h2 = 0.5 * (3 + 1) * s; // ... and keeps 2·s
    const y2 = 0.5 * 8 * h2 * s; // conv2_kxk (no activation) over the 8 mid channels
    expect(out[0]).toBeCloseTo(3, 5);
    expect(out[1]).toBeCloseTo(0, 6);
    expect(out2[0]).toBeCloseTo(y2 + 3, 5);
    expect(out2[1]).toBeCloseTo(y2 + 1, 5);
  });

  it('a strided edge block averages its shortcut over 2×2 windows (ceil mode, padding not counted)', () => {
    // 1 → 1 channel with zero conv weights: the residual branch is 0, the output is
    // ReLU(bn(conv1x1(avgpool(x)))) with a 1×1 weight of 1 → ReLU(avg · s).
    const block = new ByobEdgeBlock(1, 2, { stride: 2 });
    setAll(block, 0);
    const w = block.getSubmodule('shortcut.conv.conv').stateDict().get('weight')!;
    (w.data as Float32Array).fill(1);
    const g = traceModule(block, [{ name: 'input', dtype: 'float32', shape: [1, 1, 3, 3] }]);
    const x = Tensor.from('float32', [1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
    const out = interpret(g, { input: x }).output!;
    expect(out.dims).toEqual([1, 2, 2, 2]);
    const s = 1 / Math.sqrt(1 + 1e-5);
    // Windows: [1,2,4,5] → 3, [3,6] → 4.5, [7,8] → 7.5, [9] → 9.
    const expected = [3, 4.5, 7.5, 9].map((v) => v * s);
    const got = out.toFloat32();
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < 4; i++) expect(got[c * 4 + i]).toBeCloseTo(expected[i]!, 5);
  });
});

describe(`${NAME} on backends`, () => {
  it('traces at 64×64 and exports to ONNX', async () => {
    const model = await createModel(`ocular/${NAME}`);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });

  it('agrees on onnxruntime-node and the reference backend at an odd, non-square input', async () => {
    const model = await createModel(`ocular/${NAME}`, { numClasses: 7 });
    randomizeState(model.module, 9);
    const graph = model.trace({ inputSize: [45, 62] });
    const x = input([2, 3, 45, 62]);
    const ref = interpret(graph, { input: x }).output!;
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const got = (await session.run({ input: x })).output!;
    expect(got.dims).toEqual([2, 7]);
    expect(relativeDiff(got, ref)).toBeLessThanOrEqual(1e-4);
  });
});
