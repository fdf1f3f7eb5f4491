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
import { plugin, RESNET_CONFIGS, ResNet } from '../src/index.js';
import { layout } from './reference.js';

beforeAll(() => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
});

/** Traces a function of a ResNet's methods on a `[1, 3, h, w]` input. */
function traceWith(model: ResNet, fn: (x: SymbolicTensor) => SymbolicTensor[], h = 64, w = 64) {
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

describe('features-only models', () => {
  it('select maps by outIndices and drop the layers they do not need', async () => {
    const ref = layout('test_resnet');
    const model = await createModel('ocular/test_resnet', { featuresOnly: true, outIndices: [1, -2] });
    expect(model.featureInfo).toEqual([
      { numChs: 32, reduction: 4, module: 'layer1' },
      { numChs: 192, reduction: 16, module: 'layer3' },
    ]);
    // timm's FeatureListNet stops at the last selected stage: no layer4 and no fc.
    expect([...model.module.stateDict().keys()]).toEqual(
      ref.state_dict.map(([k]) => k).filter((k) => !k.startsWith('layer4.') && !k.startsWith('fc.')),
    );
    const graph = model.trace({ batch: 1, inputSize: [96, 128] });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 32, 24, 32],
      [1, 192, 6, 8],
    ]);
  });

  it('reject indices outside the feature maps', async () => {
    await expect(createModel('ocular/test_resnet', { featuresOnly: true, outIndices: [5] })).rejects.toThrow(
      /out of range/,
    );
  });

  it('adapt the first conv of the deep stem to other input channels', async () => {
    const model = await createModel('ocular/test_resnet', { inChans: 1 });
    expect(model.module.stateDict().get('conv1.0.weight')!.dims).toEqual([16, 1, 3, 3]);
    expect(model.trace({ batch: 1, inputSize: [32, 32] }).outputs[0]!.shape).toEqual([1, 1000]);
  });
});

describe('the classifier-model contract', () => {
  const build = () => new ResNet(RESNET_CONFIGS.test_resnet, { numClasses: 10 });

  it('forwardIntermediates takes the last n maps or listed ones, in network order', () => {
    const model = build();
    const graph = traceWith(model, (x) => {
      const last2 = model.forwardIntermediates(x, 2);
      const listed = model.forwardIntermediates(x, [-1, 0], { intermediatesOnly: true });
      expect(listed.final).toBeUndefined();
      return [last2.final!, ...last2.intermediates, ...listed.intermediates];
    });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 96, 2, 2],
      [1, 192, 4, 4],
      [1, 96, 2, 2],
      [1, 32, 32, 32],
      [1, 96, 2, 2],
    ]);
    expect(() => traceWith(model, (x) => model.forwardIntermediates(x, 6).intermediates)).toThrow(
      InvalidArgumentError,
    );
  });

  it('forwardFeatures and forwardHead compose forward; preLogits are the pooled features', () => {
    const model = build();
    const graph = traceWith(model, (x) => {
      const f = model.forwardFeatures(x);
      return [model.call(x), model.forwardHead(f), model.forwardHead(f, true), f];
    });
    const x = Tensor.from(
      'float32',
      Array.from({ length: 3 * 64 * 64 }, (_, i) => Math.sin(i)),
      [1, 3, 64, 64],
    );
    const [logits, head, pre, feats] = Object.values(interpret(graph, { input: x }));
    expect(logits!.dims).toEqual([1, 10]);
    expect([...logits!.toFloat32()]).toEqual([...head!.toFloat32()]);
    expect(pre!.dims).toEqual([1, 96]);
    // Average pooling by hand over the 2×2 map.
    const f = feats!.toFloat32();
    const mean0 = (f[0]! + f[1]! + f[2]! + f[3]!) / 4;
    expect(pre!.toFloat32()[0]).toBeCloseTo(mean0, 5);
  });

  it('resetClassifier replaces fc (0 removes it)', () => {
    const model = build();
    model.resetClassifier(5);
    expect(model.numClasses).toBe(5);
    expect(model.stateDict().get('fc.weight')!.dims).toEqual([5, 96]);
    model.resetClassifier(0);
    expect(model.stateDict().has('fc.weight')).toBe(false);
    expect(traceWith(model, (x) => [model.call(x)]).outputs[0]!.shape).toEqual([1, 96]);
    expect(() => model.resetClassifier(-1)).toThrow(InvalidArgumentError);
  });

  it('rejects unknown builder arguments', async () => {
    await expect(createModel('ocular/resnet18', { kwargs: { widths: [1] } })).rejects.toThrow(
      /unknown argument 'widths'/,
    );
  });
});
