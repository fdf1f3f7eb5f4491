// The vision_transformer goldens from timm: `test_vit` (at 64×64) and `vit_d2_e64` (a
// two-block ViT built from vit_tiny_patch16_224 with kwargs). Weights load strictly; logits,
// forward_features, pre_logits and the features-only maps are compared on the reference
// backend, onnxruntime-node and onnxruntime-web (wasm) at 1e-4, and against timm's float64
// forward at the sidecar's tolerance.
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { wasmBackend } from '@ocular/backend-wasm';
import {
  type Backend,
  type ClassifierModel,
  createModel,
  type Graph,
  Module,
  readSafetensors,
  type SymbolicTensor,
  type Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenBytes, goldenSidecar } from './reference.js';
import { maxAbsDiff, usePlugin } from './vit-helpers.js';

usePlugin();

const GOLDENS = ['test_vit', 'vit_d2_e64'];

/** logits, forward_features and pre_logits at once. */
class ClassifierOutputs extends Module<[SymbolicTensor], Record<string, SymbolicTensor>> {
  constructor(readonly model: ClassifierModel) {
    super();
    for (const [name, child] of model.namedChildren()) this.registerModule(name, child);
  }
  forward(x: SymbolicTensor) {
    const features = this.model.forwardFeatures(x);
    return {
      logits: this.model.forwardHead(features),
      forward_features: features,
      pre_logits: this.model.forwardHead(features, true),
    };
  }
}

/** Largest |a − b| − rtol·|b| (≤ atol means allclose). */
function excess(a: Tensor, b: Tensor, rtol: number): number {
  const x = a.toFloat32();
  const y = b.toFloat32();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!) - rtol * Math.abs(y[i]!));
  return m;
}

type Runner = (graph: Graph, feeds: Record<string, Tensor>) => Promise<Record<string, Tensor>>;

const sessions: { dispose(): Promise<void> | void }[] = [];
const viaBackend =
  (backend: Backend): Runner =>
  async (graph, feeds) => {
    const session = await backend.compile(graph);
    sessions.push(session);
    return session.run(feeds);
  };

const RUNNERS: [string, Runner][] = [
  ['reference', async (graph, feeds) => interpret(graph, feeds)],
  ['node', viaBackend(nodeBackend)],
  ['wasm', viaBackend(wasmBackend)],
];

beforeAll(async () => {
  await nodeBackend.init();
  await wasmBackend.init();
});

afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

describe.each(GOLDENS)('golden %s', (name) => {
  const sidecar = goldenSidecar(name);
  const arch = /create_model\('([^']+)'/.exec(sidecar.build.call)![1]!;
  const { num_classes: numClasses, ...kwargs } = sidecar.build.kwargs as { num_classes: number };
  const file = readSafetensors(goldenBytes(name));
  const golden = (k: string) => file.get(`io.${k}`) as Tensor;
  const weights = new Map(
    [...file.keys()].filter((k) => !k.startsWith('io.')).map((k) => [k, file.get(k) as Tensor]),
  );
  const input = golden('input');
  const [, , h, w] = sidecar.input.shape as [number, number, number, number];
  const outIndices = sidecar.features_only.out_indices;

  let classifier: Graph;
  let features: Graph;

  beforeAll(async () => {
    const model = await createModel(`ocular/${arch}`, { numClasses, kwargs });
    const report = model.module.loadStateDict(weights, { strict: true });
    expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
    classifier = traceModule(new ClassifierOutputs(model.module as unknown as ClassifierModel), [
      { name: 'input', dtype: 'float32', shape: ['batch', 3, h, w] },
    ]);
    const fo = await createModel(`ocular/${arch}`, {
      numClasses,
      kwargs,
      weights,
      featuresOnly: true,
      outIndices,
    });
    // The features model has no final norm and no head: those 4 keys are left out.
    expect(fo.loadReport?.loaded.length).toBe(weights.size - 4);
    features = fo.trace({ inputSize: [h, w] });
  });

  it.each(RUNNERS)('matches the float32 outputs on %s (max abs diff ≤ 1e-4)', async (_backend, run) => {
    const out = await run(classifier, { input });
    for (const k of ['logits', 'forward_features', 'pre_logits']) {
      expect(maxAbsDiff(out[k]!, golden(k)), k).toBeLessThanOrEqual(1e-4);
    }
    const feats = await run(features, { input });
    // `features.<j>` is the j-th selected map (block outIndices[j]).
    outIndices.forEach((_, j) => {
      expect(feats[`output${j}`]!.dims).toEqual(sidecar.features_only.shapes[j]);
      expect(maxAbsDiff(feats[`output${j}`]!, golden(`features.${j}`)), `features.${j}`).toBeLessThanOrEqual(
        1e-4,
      );
    });
  });

  it('matches the float64 outputs on the reference backend at the suggested tolerance', () => {
    const out = interpret(classifier, { input });
    const atol = sidecar.suggested_tolerance.atol;
    expect(excess(out.logits!, golden('logits_f64'), 1e-4)).toBeLessThanOrEqual(atol);
    expect(excess(out.forward_features!, golden('forward_features_f64'), 1e-4)).toBeLessThanOrEqual(atol);
  });
});
