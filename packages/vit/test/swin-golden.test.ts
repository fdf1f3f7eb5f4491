import { interpret } from '@ocular/backend-reference';
import {
  type ClassifierModel,
  createModel,
  type Graph,
  readSafetensors,
  type Tensor,
  traceModule,
} from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenBytes, goldenSidecar } from './reference.js';
import {
  ClassifierOutputs,
  disposeSessions,
  excess,
  initBackends,
  maxAbsDiff,
  RUNNERS,
  usePlugin,
} from './swin-helpers.js';

usePlugin();

/**
 * The Swin goldens: one unshifted block per stage, and two blocks per stage whose second block
 * in the 14×14 stage uses the shifted window and its mask (the 7×7 stage is one window, so
 * timm turns the shift off there).
 */
const GOLDENS = ['swin_d11_e32_w7', 'swin_d22_e32_w7'];

beforeAll(initBackends);
afterAll(disposeSessions);

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

  let classifier: Graph;
  let features: Graph;

  beforeAll(async () => {
    const model = await createModel(`ocular/${arch}`, { numClasses, kwargs });
    const report = model.module.loadStateDict(weights, { strict: true });
    expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
    classifier = traceModule(new ClassifierOutputs(model.module as unknown as ClassifierModel), [
      { name: 'input', dtype: 'float32', shape: ['batch', 3, h, w] },
    ]);
    const fo = await createModel(`ocular/${arch}`, { numClasses, kwargs, weights, featuresOnly: true });
    // The features model has neither the final norm nor the head; the rest loads strictly.
    expect(fo.loadReport?.loaded.length).toBe(weights.size - 4);
    features = fo.trace({ inputSize: [h, w] });
  });

  it.each(RUNNERS)('matches the float32 outputs on %s (max abs diff ≤ 1e-4)', async (_backend, run) => {
    const out = await run(classifier, { input });
    for (const k of ['logits', 'forward_features', 'pre_logits']) {
      expect(maxAbsDiff(out[k]!, golden(k)), k).toBeLessThanOrEqual(1e-4);
    }
    const feats = await run(features, { input });
    sidecar.features_only.out_indices.forEach((i, j) => {
      expect(feats[`output${j}`]!.dims).toEqual(sidecar.features_only.shapes[j]);
      expect(maxAbsDiff(feats[`output${j}`]!, golden(`features.${i}`)), `features.${i}`).toBeLessThanOrEqual(
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
