import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  graphToOnnx,
  Module,
  readOnnxModel,
  type SymbolicTensor,
  Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ClassAttentionBlock,
  fourierFeatures,
  LPI,
  XCA,
  XCIT_CONFIGS,
  XCIT_ENTRIES,
  Xcit,
} from '../src/index.js';
import { input, maxAbsDiff, usePlugin } from './cait-helpers.js';
import {
  CLASS_BLOCK_EXPECTED,
  CLASS_BLOCK_TOKENS_NORM_EXPECTED,
  FOURIER_EXPECTED,
  LPI_EXPECTED,
  XCA_EXPECTED,
} from './xcit-fixtures.js';

usePlugin();

/** `sin(0.37·i + seed) / 2 + offset` over a shape, the fixtures' deterministic values. */
function det(dims: readonly number[], seed: number, offset = 0): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  return Tensor.from(
    'float32',
    Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * 0.5 + offset),
    [...dims],
  );
}

/** Loads `[seed, offset]` values by key, traces `fn` on the fixtures' `[2, 6, 8]` input and runs it. */
function run(
  m: Module,
  seeds: Record<string, readonly [number, number?]>,
  fn: (x: SymbolicTensor) => SymbolicTensor,
): Float32Array {
  const state = new Map<string, Tensor>();
  for (const [k, t] of m.stateDict()) {
    const s = seeds[k];
    if (s) state.set(k, det(t.dims, s[0], s[1]));
  }
  m.loadStateDict(state, { strict: false });
  class Probe extends Module<[SymbolicTensor], SymbolicTensor> {
    constructor() {
      super();
      this.registerModule('m', m);
    }
    forward(x: SymbolicTensor) {
      return fn(x);
    }
  }
  const graph = traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [2, 6, 8] }]);
  return interpret(graph, { input: det([2, 6, 8], 1) }).output!.toFloat32();
}

function expectClose(got: Float32Array, want: readonly number[], tol = 2e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(tol);
}

describe('XCiT pieces against numpy', () => {
  it('XCA: channel attention from token-normalised q and k, per-head temperature', () => {
    const m = new XCA(8, { numHeads: 2, qkvBias: true });
    const got = run(
      m,
      { temperature: [30, 1], 'qkv.weight': [31], 'qkv.bias': [32], 'proj.weight': [33], 'proj.bias': [34] },
      (x) => m.call(x),
    );
    expectClose(got, XCA_EXPECTED);
  });

  it('LPI: depthwise conv, GELU, BatchNorm, depthwise conv on the token grid', () => {
    const m = new LPI(8);
    const got = run(
      m,
      {
        'conv1.weight': [40],
        'conv1.bias': [41],
        'bn.weight': [42, 1],
        'bn.bias': [43],
        'bn.running_mean': [44],
        'bn.running_var': [45, 1],
        'conv2.weight': [46],
        'conv2.bias': [47],
      },
      (x) => m.call(x, 2, 3),
    );
    expectClose(got, LPI_EXPECTED);
  });

  it.each([
    [false, CLASS_BLOCK_EXPECTED],
    [true, CLASS_BLOCK_TOKENS_NORM_EXPECTED],
  ] as const)('ClassAttentionBlock with tokensNorm %s', (tokensNorm, want) => {
    const m = new ClassAttentionBlock(8, { numHeads: 2, mlpRatio: 4, qkvBias: true, eta: 1, tokensNorm });
    const seeds: Record<string, readonly [number, number?]> = {
      gamma1: [50],
      gamma2: [51],
      'norm1.weight': [52, 1],
      'norm1.bias': [53],
      'attn.q.weight': [54],
      'attn.q.bias': [55],
      'attn.k.weight': [56],
      'attn.k.bias': [57],
      'attn.v.weight': [58],
      'attn.v.bias': [59],
      'attn.proj.weight': [60],
      'attn.proj.bias': [61],
      'norm2.weight': [62, 1],
      'norm2.bias': [63],
      'mlp.fc1.weight': [64],
      'mlp.fc1.bias': [65],
      'mlp.fc2.weight': [66],
      'mlp.fc2.bias': [67],
    };
    expectClose(
      run(m, seeds, (x) => m.call(x)),
      want,
    );
  });

  it('the Fourier position features of a grid', () => {
    expectClose(fourierFeatures(3, 4, 4).toFloat32(), FOURIER_EXPECTED, 1e-5);
  });
});

describe('registered XCiT models', () => {
  it.each(XCIT_ENTRIES.map((e) => e.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('XCiT parity of node and reference', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  it.each([
    ['xcit_nano_12_p16_224', 32, 48],
    ['xcit_tiny_12_p16_224', 48, 48],
  ] as const)('a two-block %s at %i×%i', async (name, h, w) => {
    const kwargs = { depth: 2, embed_dim: 32, num_heads: 4 };
    const model = await createModel(`ocular/${name}`, { numClasses: 7, kwargs });
    let i = 0;
    const perturbed = new Map<string, Tensor>();
    for (const [k, t] of model.module.stateDict()) {
      if (/gamma\d$|cls_token$|running_(mean|var)$|temperature$/.test(k)) {
        perturbed.set(
          k,
          Tensor.from(
            'float32',
            Array.from({ length: t.size }, () => Math.sin(++i) * 0.5 + (/var$|temperature$/.test(k) ? 1 : 0)),
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

describe('the XCiT classifier contract', () => {
  const build = () =>
    new Xcit({ ...XCIT_CONFIGS.xcit_nano_12_p16_224, depth: 3, embedDim: 32 }, { numClasses: 10 });

  function traceWith(model: Xcit, fn: (x: SymbolicTensor) => SymbolicTensor[], h = 64, w = 48) {
    class Probe extends Module<[SymbolicTensor], SymbolicTensor[]> {
      constructor() {
        super();
        this.registerModule('m', model);
      }
      forward(x: SymbolicTensor) {
        return fn(x);
      }
    }
    return traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [1, 3, h, w] }]);
  }

  it('forwardIntermediates gives NCHW maps; its final output equals forwardFeatures', () => {
    const model = build();
    const graph = traceWith(model, (x) => {
      const r = model.forwardIntermediates(x, 2);
      const only = model.forwardIntermediates(x, [0], { intermediatesOnly: true });
      expect(only.final).toBeUndefined();
      return [r.final!, model.forwardFeatures(x), ...r.intermediates, ...only.intermediates];
    });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 13, 32],
      [1, 13, 32],
      [1, 32, 4, 3],
      [1, 32, 4, 3],
      [1, 32, 4, 3],
    ]);
    const out = interpret(graph, { input: input([1, 3, 64, 48]) });
    const [a, b] = graph.outputs.map((o) => out[o.name]!);
    expect(maxAbsDiff(a!, b!)).toBe(0);
  });

  it('resetClassifier replaces or removes the head', () => {
    const model = build();
    model.resetClassifier(3);
    expect(model.numClasses).toBe(3);
    expect(model.stateDict().get('head.weight')!.dims).toEqual([3, 32]);
    model.resetClassifier(0);
    expect(model.numClasses).toBe(0);
    expect(model.stateDict().has('head.weight')).toBe(false);
  });
});
