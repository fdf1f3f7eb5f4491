// test_efficientnet_evos: timm's test EfficientNet with EvoNorm2dS0 (group size 8) in place of
// every batch norm + activation. Layout, MACs and features against the timm layout; EvoNorm2dS0
// against numpy; onnxruntime-node against the reference backend.
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
import { EvoNorm2dS0, plugin } from '../src/index.js';
import { input, randomizeState, relativeDiff } from './byobnet-helpers.js';
import { layout, moduleLayout } from './reference.js';

const NAME = 'test_efficientnet_evos';

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
    const head = /^(conv_head|bn2|classifier)\./;
    expect(moduleLayout(model.module)).toEqual(ref.state_dict.filter(([k]) => !head.test(k)));
    expect(model.module.stateDict().size).toBe((fo as { state_dict_len?: number }).state_dict_len);
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual(fo.output_shapes_at_default_input);
  });
});

describe('EvoNorm2dS0', () => {
  // x = 2·sin(0.7·i) + 0.3 over [2, 4, 2, 3], group size 2 (2 groups), with
  // y = x · σ(v·x) / √(var_group(x) + 1e-5) · w + b computed by numpy in float64.
  const NUMPY = [
    2.88023975e-1, 1.53913032, 2.34585367, 2.05345011, 8.67384945e-1, -7.566204e-2, -5.5320058e-1,
    -6.21956292e-1, -4.16352216e-1, -1.44380854e-1, -1.88984822e-2, 8.87598206e-4, -1.1693417, -3.05691466e-1,
    3.95440223e-1, 3.55662181e-1, 3.43213033e-1, 3.92875468e-1, 2.8594103e-1, 1.46685347, 2.16982037,
    1.84421312, 7.50754452e-1, -3.25510054e-1, -1.89254751e-1, -1.79918291e-1, -1.75056182e-1, 3.52859296e-1,
    1.57354407, 2.28509702, -1.18450608e-2, -7.95590799e-2, -2.97621095e-1, -5.54846949e-1, -6.00843188e-1,
    -3.88613662e-1, 7.84196949e-2, -8.81983458e-1, -1.34061264, -1.08736125, -2.14023124e-1, 3.98567873e-1,
    -8.87077858e-1, -9.45305901e-1, -5.53363383e-1, 3.58593083e-1, 1.5011232, 2.122794,
  ];
  const W = [1.5, 0.5, -1, 2];
  const B = [0.1, -0.2, 0.3, 0];
  const V = [1, -0.5, 2, 0.25];
  const x = Tensor.from(
    'float32',
    Array.from({ length: 48 }, (_, i) => 2 * Math.sin(0.7 * i) + 0.3),
    [2, 4, 2, 3],
  );

  function norm(applyAct: boolean): EvoNorm2dS0 {
    const m = new EvoNorm2dS0(4, { groupSize: 2, applyAct });
    (m.weight.data as Float32Array).set(W);
    (m.bias.data as Float32Array).set(B);
    if (m.v) (m.v.data as Float32Array).set(V);
    return m;
  }

  it("has timm's parameters: weight, bias, then v only with the activation", () => {
    expect([...norm(true).stateDict().keys()]).toEqual(['weight', 'bias', 'v']);
    expect([...norm(false).stateDict().keys()]).toEqual(['weight', 'bias']);
    expect(new EvoNorm2dS0(64).groups).toBe(32);
    expect(new EvoNorm2dS0(64, { groupSize: 8 }).groups).toBe(8);
    expect(() => new EvoNorm2dS0(12, { groupSize: 8 })).toThrow(/groups of 8/);
  });

  it('matches numpy (symbolic batch)', () => {
    const g = traceModule(norm(true), [{ name: 'input', dtype: 'float32', shape: ['batch', 4, 2, 3] }]);
    const out = interpret(g, { input: x }).output!;
    expect(out.dims).toEqual([2, 4, 2, 3]);
    const got = out.toFloat32();
    for (let i = 0; i < NUMPY.length; i++) expect(Math.abs(got[i]! - NUMPY[i]!)).toBeLessThan(1e-5);
  });

  it('is only the per-channel affine without the activation', () => {
    const g = traceModule(norm(false), [{ name: 'input', dtype: 'float32', shape: [2, 4, 2, 3] }]);
    const got = interpret(g, { input: x }).output!.toFloat32();
    const xs = x.toFloat32();
    for (let i = 0; i < 48; i++) {
      const c = Math.floor(i / 6) % 4;
      expect(got[i]).toBeCloseTo(xs[i]! * W[c]! + B[c]!, 5);
    }
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

  it('agrees on onnxruntime-node and the reference backend at a non-square input', async () => {
    const model = await createModel(`ocular/${NAME}`, { numClasses: 7 });
    randomizeState(model.module, 5);
    const graph = model.trace({ inputSize: [48, 64] });
    const x = input([2, 3, 48, 64]);
    const ref = interpret(graph, { input: x }).output!;
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const got = (await session.run({ input: x })).output!;
    expect(got.dims).toEqual([2, 7]);
    expect(relativeDiff(got, ref)).toBeLessThanOrEqual(1e-4);
  });
});
