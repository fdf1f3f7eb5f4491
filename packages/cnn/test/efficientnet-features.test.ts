import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  InvalidArgumentError,
  Module,
  registry,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { EFFICIENTNET_CONFIGS, EfficientNet, plugin } from '../src/index.js';
import { layout } from './reference.js';

beforeAll(() => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
});

/** Traces a function of a model's methods on a `[1, 3, h, w]` input. */
function traceWith(model: EfficientNet, fn: (x: SymbolicTensor) => SymbolicTensor[], h = 64, w = 64) {
  class Probe extends Module<[SymbolicTensor], SymbolicTensor[]> {
    constructor() {
      super();
      for (const [name, child] of model.namedChildren()) this.registerModule(name, child);
    }
    forward(x: SymbolicTensor) {
      return fn(x);
    }
  }
  return traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [1, 3, h, w] }]);
}

describe('features-only EfficientNet-family models', () => {
  it('select maps by outIndices and drop the stages and head they do not need', async () => {
    const ref = layout('mobilenetv2_100');
    const model = await createModel('ocular/mobilenetv2_100', { featuresOnly: true, outIndices: [1, -2] });
    expect(model.featureInfo).toEqual([
      { numChs: 24, reduction: 4, module: 'blocks.1' },
      { numChs: 96, reduction: 16, module: 'blocks.4' },
    ]);
    expect([...model.module.stateDict().keys()]).toEqual(
      ref.state_dict.map(([k]) => k).filter((k) => /^(conv_stem|bn1|blocks\.[0-4])\./.test(k)),
    );
    const graph = model.trace({ batch: 1, inputSize: [96, 128] });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 24, 24, 32],
      [1, 96, 6, 8],
    ]);
  });

  it('take the stem as the first map when the first block strides (MobileNetV3-Small)', async () => {
    const model = await createModel('ocular/mobilenetv3_small_100', {
      featuresOnly: true,
      outIndices: [0, 4],
    });
    expect(model.featureInfo.map((f) => f.module)).toEqual(['bn1', 'blocks.5']);
    expect(model.trace({ batch: 1, inputSize: [64, 96] }).outputs.map((o) => o.shape)).toEqual([
      [1, 16, 32, 48],
      [1, 576, 2, 3],
    ]);
  });

  it('reject indices outside the feature maps', async () => {
    await expect(
      createModel('ocular/test_efficientnet', { featuresOnly: true, outIndices: [5] }),
    ).rejects.toThrow(/out of range/);
  });

  it('adapt the stem conv to other input channels', async () => {
    const model = await createModel('ocular/test_efficientnet', { inChans: 1 });
    expect(model.module.stateDict().get('conv_stem.weight')!.dims).toEqual([24, 1, 3, 3]);
    expect(model.trace({ batch: 1, inputSize: [32, 32] }).outputs[0]!.shape).toEqual([1, 1000]);
  });
});

describe('the classifier-model contract', () => {
  it('forwardIntermediates takes the last n maps or listed ones, in network order', () => {
    const model = new EfficientNet(EFFICIENTNET_CONFIGS.test_efficientnet, { numClasses: 10 });
    const graph = traceWith(model, (x) => {
      const last2 = model.forwardIntermediates(x, 2);
      const listed = model.forwardIntermediates(x, [-1, 0], { intermediatesOnly: true });
      expect(listed.final).toBeUndefined();
      return [last2.final!, ...last2.intermediates, ...listed.intermediates];
    });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 256, 2, 2],
      [1, 48, 4, 4],
      [1, 64, 2, 2],
      [1, 16, 32, 32],
      [1, 64, 2, 2],
    ]);
    expect(() => traceWith(model, (x) => model.forwardIntermediates(x, 6).intermediates)).toThrow(
      InvalidArgumentError,
    );
  });

  it('forwardFeatures and forwardHead compose forward; MobileNetV3 pre-logits follow the head conv', () => {
    const model = new EfficientNet(EFFICIENTNET_CONFIGS.mobilenetv3_small_050, { numClasses: 10 });
    const graph = traceWith(model, (x) => {
      const f = model.forwardFeatures(x);
      return [model.call(x), model.forwardHead(f), model.forwardHead(f, true), f];
    });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 10],
      [1, 10],
      [1, 1024],
      [1, 288, 2, 2],
    ]);
    const x = Tensor.from(
      'float32',
      Array.from({ length: 3 * 64 * 64 }, (_, i) => Math.sin(i)),
      [1, 3, 64, 64],
    );
    const [logits, head] = Object.values(interpret(graph, { input: x }));
    expect([...logits!.toFloat32()]).toEqual([...head!.toFloat32()]);
  });

  it('EfficientNet pre-logits are the pooled head features', () => {
    const model = new EfficientNet(EFFICIENTNET_CONFIGS.test_efficientnet, { numClasses: 10 });
    const graph = traceWith(model, (x) => {
      const f = model.forwardFeatures(x);
      return [model.forwardHead(f, true), f];
    });
    const x = Tensor.from(
      'float32',
      Array.from({ length: 3 * 64 * 64 }, (_, i) => Math.cos(i)),
      [1, 3, 64, 64],
    );
    const [pre, feats] = Object.values(interpret(graph, { input: x }));
    expect(pre!.dims).toEqual([1, 256]);
    const f = feats!.toFloat32();
    expect(pre!.toFloat32()[0]).toBeCloseTo((f[0]! + f[1]! + f[2]! + f[3]!) / 4, 5);
  });

  it('resetClassifier replaces the classifier (0 removes it)', () => {
    const model = new EfficientNet(EFFICIENTNET_CONFIGS.mobilenetv3_small_050, { numClasses: 10 });
    model.resetClassifier(5);
    expect(model.numClasses).toBe(5);
    expect(model.stateDict().get('classifier.weight')!.dims).toEqual([5, 1024]);
    model.resetClassifier(0);
    expect(model.stateDict().has('classifier.weight')).toBe(false);
    expect(traceWith(model, (x) => [model.call(x)]).outputs[0]!.shape).toEqual([1, 1024]);
    expect(() => model.resetClassifier(-1)).toThrow(InvalidArgumentError);
  });

  it('takes timm builder kwargs and rejects unknown ones', async () => {
    const model = await createModel('ocular/test_efficientnet', {
      kwargs: { bn_eps: 1e-3, num_features: 128 },
    });
    expect(model.module.stateDict().get('conv_head.weight')!.dims).toEqual([128, 64, 1, 1]);
    await expect(createModel('ocular/efficientnet_b0', { kwargs: { widths: [1] } })).rejects.toThrow(
      /unknown argument 'widths'/,
    );
  });
});
