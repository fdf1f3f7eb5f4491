import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  graphToOnnx,
  InvalidArgumentError,
  Module,
  readOnnxModel,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONVNEXT_CONFIGS,
  CONVNEXT_ENTRIES,
  ConvNeXt,
  ConvNeXtBlock,
  NormMlpClassifierHead,
} from '../src/index.js';
import { input, maxAbsDiff, usePlugin } from './convnext-helpers.js';

usePlugin();

/** Traces a function of a model's methods on a `[1, 3, h, w]` input. */
function traceWith(model: Module, fn: (x: SymbolicTensor) => SymbolicTensor[], h = 64, w = 64) {
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

describe('registered ConvNeXt models', () => {
  it.each(CONVNEXT_ENTRIES.map((e) => e.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('ConvNeXt parity of node and reference', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  // Odd sizes exercise the floor of the patchify stem and k2 s2 downsampling; test_convnext3 has
  // 5×5 and 3×3 depthwise kernels and SiLU, the atto kwargs the 1×1-conv MLP.
  it.each([
    ['test_convnext3', {}, [61, 77]],
    ['test_convnext', {}, [70, 45]],
    ['convnext_atto', { depths: [1, 1, 2, 1], dims: [16, 24, 32, 40] }, [64, 96]],
  ] as const)('%s %j at %j', async (name, kwargs, [h, w]) => {
    const model = await createModel(`ocular/${name}`, { numClasses: 7, kwargs });
    // Non-trivial layer scale and norm affine parameters so every branch contributes.
    let i = 0;
    const perturbed = new Map<string, Tensor>();
    for (const [k, t] of model.module.stateDict()) {
      if (/gamma$|norm\.(weight|bias)$|\.1\.(weight|bias)$/.test(k) && t.dims.length === 1) {
        perturbed.set(
          k,
          Tensor.from(
            'float32',
            Array.from({ length: t.size }, () => Math.sin(++i) * 0.5 + 0.6),
            t.dims,
          ),
        );
      }
    }
    model.module.loadStateDict(perturbed, { strict: false });
    const graph = model.trace({ inputSize: [h, w] });
    const x = input([2, 3, h, w]);
    const ref = interpret(graph, { input: x }).output!;
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const got = (await session.run({ input: x })).output!;
    expect(got.dims).toEqual([2, 7]);
    expect(maxAbsDiff(got, ref)).toBeLessThanOrEqual(1e-4);
  });
});

describe('the ConvNeXt classifier contract', () => {
  const build = () => new ConvNeXt(CONVNEXT_CONFIGS.test_convnext, { numClasses: 10 });

  it('forwardIntermediates takes the last n maps or listed ones, in network order', () => {
    const model = build();
    const graph = traceWith(model, (x) => {
      const last2 = model.forwardIntermediates(x, 2);
      const listed = model.forwardIntermediates(x, [-1, 0], { intermediatesOnly: true });
      expect(listed.final).toBeUndefined();
      return [last2.final!, ...last2.intermediates, ...listed.intermediates];
    });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 64, 2, 2],
      [1, 48, 4, 4],
      [1, 64, 2, 2],
      [1, 24, 16, 16],
      [1, 64, 2, 2],
    ]);
    expect(() => traceWith(model, (x) => model.forwardIntermediates(x, 5).intermediates)).toThrow(
      InvalidArgumentError,
    );
  });

  it('pre-logits are the layer-normed average pool of the features', () => {
    const model = build();
    const graph = traceWith(model, (x) => {
      const f = model.forwardFeatures(x);
      return [model.call(x), model.forwardHead(f), model.forwardHead(f, true), f];
    });
    const x = input([1, 3, 64, 64]);
    const [logits, head, pre, feats] = Object.values(interpret(graph, { input: x }));
    expect([...logits!.toFloat32()]).toEqual([...head!.toFloat32()]);
    // By hand: mean over the 2×2 map, then layer norm over the 64 channels (eps 1e-5, unit affine).
    const f = feats!.toFloat32();
    const pooled = Array.from(
      { length: 64 },
      (_, c) => (f[4 * c]! + f[4 * c + 1]! + f[4 * c + 2]! + f[4 * c + 3]!) / 4,
    );
    const mean = pooled.reduce((a, b) => a + b, 0) / 64;
    const variance = pooled.reduce((a, b) => a + (b - mean) ** 2, 0) / 64;
    const expected = pooled.map((v) => (v - mean) / Math.sqrt(variance + 1e-5));
    const got = pre!.toFloat32();
    expect(pre!.dims).toEqual([1, 64]);
    for (let c = 0; c < 64; c++) expect(got[c]).toBeCloseTo(expected[c]!, 4);
  });

  it('a block adds gamma-scaled MLP output to its input', () => {
    // With gamma = 0 the block is the identity, whatever the other weights.
    const block = new ConvNeXtBlock(8, { lsInitValue: 0 });
    const graph = traceModule(block, [{ name: 'input', dtype: 'float32', shape: [1, 8, 5, 5] }]);
    const x = input([1, 8, 5, 5]);
    expect([...interpret(graph, { input: x }).output!.toFloat32()]).toEqual([...x.toFloat32()]);
    expect([...new ConvNeXtBlock(8, { lsInitValue: null }).stateDict().keys()][0]).toBe('conv_dw.weight');
  });

  it('resetClassifier replaces head.fc and keeps head.norm (0 removes fc)', () => {
    const model = build();
    model.resetClassifier(5);
    expect(model.numClasses).toBe(5);
    expect(model.stateDict().get('head.fc.weight')!.dims).toEqual([5, 64]);
    model.resetClassifier(0);
    expect(model.stateDict().has('head.fc.weight')).toBe(false);
    expect(model.stateDict().has('head.norm.weight')).toBe(true);
    expect(traceWith(model, (x) => [model.call(x)]).outputs[0]!.shape).toEqual([1, 64]);
    expect(() => model.resetClassifier(-1)).toThrow(InvalidArgumentError);
  });

  it('a head with a hidden size has pre_logits.fc', () => {
    const head = new NormMlpClassifierHead(16, 3, { hiddenSize: 32 });
    expect([...head.stateDict().keys()]).toEqual([
      'norm.weight',
      'norm.bias',
      'pre_logits.fc.weight',
      'pre_logits.fc.bias',
      'fc.weight',
      'fc.bias',
    ]);
  });

  it('features-only models select maps by outIndices and drop later stages and the head', async () => {
    const model = await createModel('ocular/test_convnext', { featuresOnly: true, outIndices: [0, 2] });
    expect(model.featureInfo).toEqual([
      { numChs: 24, reduction: 4, module: 'stages.0' },
      { numChs: 48, reduction: 16, module: 'stages.2' },
    ]);
    const keys = [...model.module.stateDict().keys()];
    expect(keys.some((k) => k.startsWith('stages.3.') || k.startsWith('head.'))).toBe(false);
    const graph = model.trace({ batch: 1, inputSize: [96, 128] });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 24, 24, 32],
      [1, 48, 6, 8],
    ]);
  });

  it('adapts the stem to other input channels and rejects unknown kwargs', async () => {
    const model = await createModel('ocular/test_convnext', { inChans: 1 });
    expect(model.module.stateDict().get('stem.0.weight')!.dims).toEqual([24, 1, 4, 4]);
    await expect(createModel('ocular/convnext_tiny', { kwargs: { widths: [1] } })).rejects.toThrow(
      /unknown argument 'widths'/,
    );
  });
});
