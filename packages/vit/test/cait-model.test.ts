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
import { CAIT_CONFIGS, CAIT_ENTRIES, Cait, ClassAttn, TalkingHeadAttn } from '../src/index.js';
import { CLASS_ATTN_EXPECTED, TALKING_HEADS_EXPECTED } from './cait-fixtures.js';
import { input, maxAbsDiff, usePlugin } from './cait-helpers.js';

usePlugin();

/** `sin(0.37·i + seed) / 2` over a shape, the fixtures' deterministic values. */
function det(dims: number[], seed: number): Tensor<'float32'> {
  const n = dims.reduce((a, b) => a * b, 1);
  return Tensor.from(
    'float32',
    Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * 0.5),
    dims,
  );
}

/** Runs one attention module on the fixtures' `[2, 5, 8]` input with the reference backend. */
function runAttn(
  attn: Module<[SymbolicTensor], SymbolicTensor>,
  seeds: Record<string, number>,
): Float32Array {
  const state = new Map<string, Tensor>();
  for (const [k, t] of attn.stateDict()) state.set(k, det([...t.dims], seeds[k]!));
  attn.loadStateDict(state);
  const graph = traceModule(attn, [{ name: 'input', dtype: 'float32', shape: [2, 5, 8] }]);
  return interpret(graph, { input: det([2, 5, 8], 1) }).output!.toFloat32();
}

function expectClose(got: Float32Array, want: readonly number[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(2e-5);
}

describe('CaiT attention variants against numpy', () => {
  it('TalkingHeadAttn mixes heads before and after the softmax', () => {
    const attn = new TalkingHeadAttn(8, { numHeads: 2, qkvBias: true });
    const got = runAttn(attn, {
      'qkv.weight': 2,
      'qkv.bias': 3,
      'proj.weight': 4,
      'proj.bias': 5,
      'proj_l.weight': 6,
      'proj_l.bias': 7,
      'proj_w.weight': 8,
      'proj_w.bias': 9,
    });
    expectClose(got, TALKING_HEADS_EXPECTED);
  });

  it('ClassAttn lets only the first token query', () => {
    const attn = new ClassAttn(8, { numHeads: 2, qkvBias: true });
    const got = runAttn(attn, {
      'q.weight': 10,
      'q.bias': 11,
      'k.weight': 12,
      'k.bias': 13,
      'v.weight': 14,
      'v.bias': 15,
      'proj.weight': 16,
      'proj.bias': 17,
    });
    expectClose(got, CLASS_ATTN_EXPECTED);
  });
});

describe('registered CaiT models', () => {
  it.each(CAIT_ENTRIES.map((e) => e.name))('%s traces at 64×64 and exports to ONNX', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('CaiT parity of node and reference', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  // Both sizes resample the 14×14 position embedding (to 2×2 and 3×5).
  it.each([
    [32, 32],
    [48, 80],
  ] as const)('a two-block cait_xxs24_224 at %i×%i', async (h, w) => {
    const kwargs = { depth: 2, embed_dim: 32, num_heads: 4 };
    const model = await createModel('ocular/cait_xxs24_224', { numClasses: 7, kwargs });
    // Layer scale, tokens and position embedding away from their inits so every branch counts.
    let i = 0;
    const perturbed = new Map<string, Tensor>();
    for (const [k, t] of model.module.stateDict()) {
      if (/gamma_\d$|cls_token$|pos_embed$/.test(k)) {
        perturbed.set(
          k,
          Tensor.from(
            'float32',
            Array.from({ length: t.size }, () => Math.sin(++i) * 0.5),
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

describe('the CaiT classifier contract', () => {
  const build = () =>
    new Cait({ ...CAIT_CONFIGS.cait_xxs24_224, depth: 3, embedDim: 16, numHeads: 2 }, { numClasses: 10 });

  /** Traces a function of a model's methods on a `[1, 3, h, w]` input. */
  function traceWith(model: Cait, fn: (x: SymbolicTensor) => SymbolicTensor[], h = 64, w = 48) {
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

  it('forwardIntermediates gives NCHW maps of the selected blocks', () => {
    const model = build();
    const graph = traceWith(model, (x) => {
      const r = model.forwardIntermediates(x, 2);
      const only = model.forwardIntermediates(x, [0], { intermediatesOnly: true });
      expect(only.final).toBeUndefined();
      return [r.final!, ...r.intermediates, ...only.intermediates];
    });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 13, 16],
      [1, 16, 4, 3],
      [1, 16, 4, 3],
      [1, 16, 4, 3],
    ]);
  });

  it('forwardIntermediates final equals forwardFeatures; pre-logits are the class token', () => {
    const model = build();
    const graph = traceWith(model, (x) => {
      const f = model.forwardFeatures(x);
      return [f, model.forwardIntermediates(x, 1).final!, model.forwardHead(f, true), model.call(x)];
    });
    const out = interpret(graph, { input: input([1, 3, 64, 48]) });
    const [f, fi, pre, logits] = graph.outputs.map((o) => out[o.name]!);
    expect(maxAbsDiff(f!, fi!)).toBe(0);
    expect([...pre!.toFloat32()]).toEqual([...f!.toFloat32().slice(0, 16)]);
    expect(logits!.dims).toEqual([1, 10]);
  });

  it('resetClassifier replaces or removes the head', () => {
    const model = build();
    model.resetClassifier(3);
    expect(model.numClasses).toBe(3);
    expect(model.stateDict().get('head.weight')!.dims).toEqual([3, 16]);
    model.resetClassifier(0);
    expect(model.numClasses).toBe(0);
    expect(model.stateDict().has('head.weight')).toBe(false);
  });
});
