import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  graphToOnnx,
  InvalidArgumentError,
  Module,
  profileGraph,
  readOnnxModel,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  INCEPTION_NEXT_CONFIGS,
  INCEPTION_NEXT_ENTRIES,
  InceptionDWConv2d,
  InceptionNeXt,
  MlpClassifierHead,
} from '../src/index.js';
import { describeLayouts, input, maxAbsDiff, usePlugin } from './convnext-helpers.js';

usePlugin();

describeLayouts(['inception_next_tiny']);

describe('InceptionNeXt models without a layout file', () => {
  // The InceptionNeXt paper / original repository: atto 4.2M params 0.5 GMACs, small 49M 8.4G,
  // base 87M 14.9G (at 224).
  it.each([
    ['inception_next_atto', 4.2e6, 0.05e6, 0.5e9],
    ['inception_next_small', 49e6, 0.5e6, 8.4e9],
    ['inception_next_base', 87e6, 0.5e6, 14.9e9],
  ] as const)(
    '%s has the published parameter count and MACs (within 2%%)',
    async (name, params, tol, macs) => {
      const model = await createModel(`ocular/${name}`);
      expect(Math.abs(model.parameterCount() - params)).toBeLessThanOrEqual(tol);
      expect(model.parameterCount()).toBe(model.info.paramCount);
      const measured = profileGraph(model.trace({ batch: 1 })).macs;
      expect(measured).toBe(model.info.macs);
      expect(Math.abs(measured - macs) / macs).toBeLessThanOrEqual(0.02);
    },
  );

  it.each(INCEPTION_NEXT_ENTRIES.map((e) => e.name))(
    '%s traces at 64×64 and exports to ONNX',
    async (name) => {
      const model = await createModel(`ocular/${name}`);
      const graph = model.trace({ inputSize: [64, 64] });
      expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
      const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
      expect(back.nodes.length).toBe(graph.nodes.length);
    },
  );
});

/** Naive depthwise 2-D convolution of one channel (zero padding), for independent expectations. */
function dwConv(
  x: Float32Array,
  h: number,
  w: number,
  k: Float32Array,
  kh: number,
  kw: number,
  bias: number,
): number[] {
  const ph = (kh - 1) / 2;
  const pw = (kw - 1) / 2;
  const out: number[] = [];
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++) {
      let s = bias;
      for (let a = 0; a < kh; a++)
        for (let b = 0; b < kw; b++) {
          const y = i + a - ph;
          const z = j + b - pw;
          if (y >= 0 && y < h && z >= 0 && z < w) s += x[y * w + z]! * k[a * kw + b]!;
        }
      out.push(s);
    }
  return out;
}

describe('InceptionDWConv2d', () => {
  it('keeps the identity channels and convolves square, 1×k and k×1 bands', () => {
    // 10 channels at ratio 0.2: gc = 2, split [4, 2, 2, 2]; band 5, square 3.
    const mixer = new InceptionDWConv2d(10, { branchRatio: 0.2, bandKernelSize: 5 });
    expect(mixer.splitIndexes).toEqual([4, 2, 2, 2]);
    expect([...mixer.stateDict()].map(([k, t]) => [k, t.dims])).toEqual([
      ['dwconv_hw.weight', [2, 1, 3, 3]],
      ['dwconv_hw.bias', [2]],
      ['dwconv_w.weight', [2, 1, 1, 5]],
      ['dwconv_w.bias', [2]],
      ['dwconv_h.weight', [2, 1, 5, 1]],
      ['dwconv_h.bias', [2]],
    ]);
    const [h, w] = [6, 7];
    const graph = traceModule(mixer, [{ name: 'input', dtype: 'float32', shape: [1, 10, h, w] }]);
    const x = input([1, 10, h, w]);
    const y = interpret(graph, { input: x }).output!;
    expect(y.dims).toEqual([1, 10, h, w]);
    const xs = x.toFloat32();
    const ys = y.toFloat32();
    const plane = h * w;
    const channel = (a: Float32Array, c: number) => a.subarray(c * plane, (c + 1) * plane);
    for (let c = 0; c < 4; c++) expect([...channel(ys, c)]).toEqual([...channel(xs, c)]);
    const branches: [Module & { weight: Tensor; bias?: Tensor }, number, number][] = [
      [mixer.dwconvHw, 3, 3],
      [mixer.dwconvW, 1, 5],
      [mixer.dwconvH, 5, 1],
    ];
    branches.forEach(([conv, kh, kw], b) => {
      const weight = conv.weight.toFloat32();
      const bias = conv.bias!.toFloat32();
      for (let g = 0; g < 2; g++) {
        const c = 4 + 2 * b + g;
        const expected = dwConv(
          channel(xs, c),
          h,
          w,
          weight.subarray(g * kh * kw, (g + 1) * kh * kw),
          kh,
          kw,
          bias[g]!,
        );
        const got = channel(ys, c);
        for (let i = 0; i < plane; i++) expect(got[i]).toBeCloseTo(expected[i]!, 5);
      }
    });
  });

  it('rejects a branch ratio leaving no channels', () => {
    expect(() => new InceptionDWConv2d(4, { branchRatio: 0.125 })).toThrow(InvalidArgumentError);
  });
});

describe('InceptionNeXt parity of node and reference', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  it.each([[[64, 64]], [[53, 71]]] as const)(
    'a shrunken inception_next_atto at %j with batch-norm statistics',
    async ([h, w]) => {
      const model = await createModel('ocular/inception_next_atto', {
        numClasses: 6,
        kwargs: { depths: [1, 1, 2, 1], dims: [16, 24, 32, 40] },
      });
      let i = 0;
      const stats = new Map<string, Tensor>();
      for (const [k, t] of model.module.stateDict()) {
        const v = (f: (s: number) => number) =>
          Tensor.from(
            'float32',
            Array.from({ length: t.size }, () => f(Math.sin(++i))),
            t.dims,
          );
        if (k.endsWith('running_var'))
          stats.set(
            k,
            v((s) => 1 + 0.5 * s),
          );
        else if (k.endsWith('running_mean'))
          stats.set(
            k,
            v((s) => 0.1 * s),
          );
        else if (k.endsWith('gamma'))
          stats.set(
            k,
            v((s) => 0.5 + 0.3 * s),
          );
      }
      model.module.loadStateDict(stats, { strict: false });
      const graph = model.trace({ inputSize: [h, w] });
      const x = input([2, 3, h, w]);
      const ref = interpret(graph, { input: x }).output!;
      const session = await nodeBackend.compile(graph);
      sessions.push(session);
      const got = (await session.run({ input: x })).output!;
      expect(got.dims).toEqual([2, 6]);
      expect(maxAbsDiff(got, ref)).toBeLessThanOrEqual(1e-4);
    },
  );
});

/** Traces a function of a model's methods on a `[1, 3, 64, 64]` input. */
function traceWith(model: Module, fn: (x: SymbolicTensor) => SymbolicTensor[]) {
  class Probe extends Module<[SymbolicTensor], SymbolicTensor[]> {
    constructor() {
      super();
      for (const [name, child] of model.namedChildren()) this.registerModule(name, child);
    }
    forward(x: SymbolicTensor) {
      return fn(x);
    }
  }
  return traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [1, 3, 64, 64] }]);
}

describe('the InceptionNeXt classifier contract', () => {
  const config = {
    ...INCEPTION_NEXT_CONFIGS.inception_next_atto,
    depths: [1, 1, 1, 1],
    dims: [16, 24, 32, 40],
  };
  const build = () => new InceptionNeXt(config, { numClasses: 10 });

  it('forwardIntermediates and pre-logits (the normed hidden features, 3× wide)', () => {
    const model = build();
    const graph = traceWith(model, (x) => {
      const { final, intermediates } = model.forwardIntermediates(x, [0, -1]);
      return [final!, ...intermediates, model.forwardHead(final!, true), model.call(x)];
    });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 40, 2, 2],
      [1, 16, 16, 16],
      [1, 40, 2, 2],
      [1, 120],
      [1, 10],
    ]);
  });

  it('resetClassifier replaces head.fc2 only', () => {
    const model = build();
    model.resetClassifier(3);
    expect(model.numClasses).toBe(3);
    expect(model.stateDict().get('head.fc2.weight')!.dims).toEqual([3, 120]);
    model.resetClassifier(0);
    expect(model.stateDict().has('head.fc2.weight')).toBe(false);
    expect(model.stateDict().get('head.fc1.weight')!.dims).toEqual([120, 40]);
    expect([...new MlpClassifierHead(8, 2).stateDict().keys()]).toEqual([
      'fc1.weight',
      'fc1.bias',
      'norm.weight',
      'norm.bias',
      'fc2.weight',
      'fc2.bias',
    ]);
  });

  it('features-only models select maps by outIndices and drop later stages and the head', async () => {
    const model = await createModel('ocular/inception_next_tiny', { featuresOnly: true, outIndices: [1] });
    expect(model.featureInfo).toEqual([{ numChs: 192, reduction: 8, module: 'stages.1' }]);
    const keys = [...model.module.stateDict().keys()];
    expect(keys.some((k) => /^(stages\.[23]\.|head\.)/.test(k))).toBe(false);
    expect(model.trace({ batch: 1, inputSize: [80, 48] }).outputs[0]!.shape).toEqual([1, 192, 10, 6]);
  });
});
