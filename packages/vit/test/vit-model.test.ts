// The vision_transformer models beyond their layouts: every registered model traces at a small
// input and exports to ONNX; small variants agree between onnxruntime and the reference
// backend; the position embedding is resampled for other input sizes; forwardIntermediates,
// resetClassifier, DeiT's two heads; and the token-hook extension point.
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  F,
  graphToOnnx,
  Module,
  readOnnxModel,
  resamplePosEmbed,
  ShapeError,
  type SymbolicTensor,
  type Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VISION_TRANSFORMER_ENTRIES, VisionTransformer } from '../src/index.js';
import { input, maxAbsDiff, randomizeState, usePlugin } from './vit-helpers.js';

usePlugin();

const sessions: { dispose(): Promise<void> | void }[] = [];
beforeAll(async () => {
  await nodeBackend.init();
});
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

/** Traces `fn(model, x)` on a `[1, 3, h, w]` input. */
function traceWith(
  model: VisionTransformer,
  [h, w]: readonly [number, number],
  fn: (m: VisionTransformer, x: SymbolicTensor) => SymbolicTensor | Record<string, SymbolicTensor>,
) {
  class Probe extends Module<[SymbolicTensor], SymbolicTensor | Record<string, SymbolicTensor>> {
    constructor() {
      super();
      for (const [name, child] of model.namedChildren()) this.registerModule(name, child);
    }
    forward(x: SymbolicTensor) {
      return fn(model, x);
    }
  }
  return traceModule(new Probe(), [{ name: 'input', dtype: 'float32', shape: [1, 3, h, w] }]);
}

describe.each(VISION_TRANSFORMER_ENTRIES.map((e) => e.name))('%s', (name) => {
  // Blocks repeat, so the export below runs at depth 1.
  it('has the listed parameter count', async () => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
  });

  it('traces at 64×64 and exports to ONNX', async () => {
    const model = await createModel(`ocular/${name}`, { kwargs: { depth: 1 } });
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('backend parity', () => {
  it.each([
    ['test_vit', [48, 80]],
    ['test_vit2', [64, 64]],
    ['test_vit3', [48, 32]],
    ['test_vit4', [32, 48]],
    ['deit_tiny_distilled_patch16_224', [32, 32]],
  ] as const)('%s at %j matches the reference backend on onnxruntime-node', async (name, [h, w]) => {
    const model = await createModel(`ocular/${name}`, { numClasses: 7, kwargs: { depth: 2 } });
    randomizeState(model.module, 5);
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

describe('input resolution', () => {
  it('resamples the position embedding (prefix tokens kept) at trace time', async () => {
    // test_vit trained at 160 (10×10 patches) and run at 96×48 (6×3 patches) equals a model
    // built for 96×48 holding the embedding resampled once with timm's resample_abs_pos_embed.
    const a = (await createModel('ocular/test_vit', { numClasses: 5 })).module as VisionTransformer;
    randomizeState(a, 3);
    const pe = resamplePosEmbed(a.posEmbed, { newSize: [6, 3], oldSize: [10, 10] }) as Tensor;
    expect(pe.dims).toEqual([1, 19, 64]);
    expect(pe.toFloat32().subarray(0, 64)).toEqual(a.posEmbed.toFloat32().subarray(0, 64));
    const b = new VisionTransformer({ ...a.config, imgSize: [96, 48] }, { numClasses: 5 });
    const state = new Map(a.stateDict());
    state.set('pos_embed', pe);
    expect(b.loadStateDict(state, { strict: true }).mismatched).toEqual([]);
    const x = input([1, 3, 96, 48]);
    const run = (m: VisionTransformer) =>
      interpret(
        traceWith(m, [96, 48], (mm, t) => mm.forward(t)),
        { input: x },
      ).output!;
    const ya = run(a);
    expect(ya.dims).toEqual([1, 5]);
    expect(maxAbsDiff(ya, run(b))).toBeLessThanOrEqual(1e-6);
  });
});

describe('forwardIntermediates and the classifier', () => {
  it('returns NCHW block outputs without the prefix tokens, and the normed final tokens', async () => {
    const model = (await createModel('ocular/test_vit2')).module as VisionTransformer;
    randomizeState(model, 9);
    const g = traceWith(model, [64, 48], (m, x) => {
      const { final, intermediates } = m.forwardIntermediates(x, [1, -1]);
      const tokens = m.forwardFeatures(x);
      return { a: intermediates[0]!, b: intermediates[1]!, final: final!, tokens };
    });
    const out = interpret(g, { input: input([1, 3, 64, 48]) });
    expect(out.a!.dims).toEqual([1, 64, 4, 3]);
    expect(out.b!.dims).toEqual([1, 64, 4, 3]);
    expect(out.final!.dims).toEqual([1, 13, 64]); // 1 register token + 4×3 patches
    expect(maxAbsDiff(out.final!, out.tokens!)).toBe(0);
  });

  it('DeiT distilled: the mean of both heads; resetClassifier resizes both', async () => {
    const model = (await createModel('ocular/deit_tiny_distilled_patch16_224', { kwargs: { depth: 1 } }))
      .module as VisionTransformer;
    randomizeState(model, 4);
    model.resetClassifier(3);
    randomizeState(model, 4);
    const g = traceWith(model, [32, 32], (m, x) => {
      const f = m.forwardFeatures(x);
      const head = m.child('head') as Module<[SymbolicTensor], SymbolicTensor>;
      const dist = m.child('head_dist') as Module<[SymbolicTensor], SymbolicTensor>;
      return {
        logits: m.forwardHead(f),
        pre: m.forwardHead(f, true),
        cls: head.call(F.gather(f, 0, 1)),
        dist: dist.call(F.gather(f, 1, 1)),
      };
    });
    const out = interpret(g, { input: input([1, 3, 32, 32]) });
    expect(out.logits!.dims).toEqual([1, 3]);
    expect(out.pre!.dims).toEqual([1, 192]);
    const [c, d, l] = [out.cls!, out.dist!, out.logits!].map((t) => t.toFloat32());
    for (let i = 0; i < 3; i++) expect(l![i]).toBeCloseTo((c![i]! + d![i]!) / 2, 6);
    model.resetClassifier(0);
    expect(model.numClasses).toBe(0);
    expect([...model.stateDict().keys()].some((k) => k.startsWith('head'))).toBe(false);
  });
});

describe('token hooks (the extension point for token merging and pruning)', () => {
  it('a hook after a block changes the token count the later blocks see', async () => {
    const model = (await createModel('ocular/test_vit')).module as VisionTransformer;
    const seen: number[] = [];
    // Drop the last 4 patch tokens after block 2 (a stand-in for pruning).
    model.tokenHooks.set(2, (tokens, info) => {
      seen.push(info.block, info.numPrefixTokens, ...info.gridSize);
      const n = tokens.shape[1] as number;
      return F.slice(tokens, [0], [n - 4], [1]);
    });
    const g = traceWith(model, [160, 160], (m, x) => ({
      features: m.forwardFeatures(x),
      logits: m.forward(x),
    }));
    expect(seen.slice(0, 4)).toEqual([2, 1, 10, 10]);
    expect(g.outputs.map((o) => o.shape)).toEqual([
      [1, 97, 64],
      [1, 1000],
    ]);
    // Spatial maps after the hook are no longer a grid: asking for one says why.
    expect(() =>
      traceWith(model, [160, 160], (m, x) => m.forwardIntermediates(x, [4]).intermediates[0]!),
    ).toThrow(ShapeError);
    // Maps up to the hooked block are still available.
    const early = traceWith(
      model,
      [160, 160],
      (m, x) => m.forwardIntermediates(x, [2], { intermediatesOnly: true }).intermediates[0]!,
    );
    expect(early.outputs[0]!.shape).toEqual([1, 64, 10, 10]);
    model.tokenHooks.clear();
    expect(traceWith(model, [160, 160], (m, x) => m.forwardFeatures(x)).outputs[0]!.shape).toEqual([
      1, 101, 64,
    ]);
  });
});
