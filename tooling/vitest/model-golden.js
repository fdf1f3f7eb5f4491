// Golden-output tests of the model families: a golden (shared reference data) holds the weights,
// the input and the reference outputs of one small configuration, and its sidecar says how it
// was built. The weights load strictly; logits, forward_features, pre_logits and the
// features-only maps are compared on the reference interpreter, onnxruntime-node and
// onnxruntime-web (wasm) at 1e-4, and logits and forward_features against the float64 forward at
// the sidecar's suggested tolerance. The @ocular/* imports resolve through the preset's
// workspace aliases.
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { wasmBackend } from '@ocular/backend-wasm';
import { createModel, Module, readSafetensors, registry, traceModule } from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenBytes, goldenSidecar } from './reference-data.js';

/** The tolerance of every float32 comparison. */
const F32_TOLERANCE = 1e-4;

/** Largest |a − b| over two tensors, which must have the same shape. */
export function maxAbsDiff(a, b) {
  expect(a.dims).toEqual(b.dims);
  const x = a.toFloat32();
  const y = b.toFloat32();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** Largest |a − b| − rtol·|b| (≤ atol means allclose). */
export function excess(a, b, rtol) {
  const x = a.toFloat32();
  const y = b.toFloat32();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]) - rtol * Math.abs(y[i]));
  return m;
}

/** Every output a golden records for the classifier: logits, forward_features and pre_logits at once. */
export class ClassifierOutputs extends Module {
  constructor(model) {
    super();
    this.model = model;
    for (const [name, child] of model.namedChildren()) this.registerModule(name, child);
  }
  forward(x) {
    const features = this.model.forwardFeatures(x);
    return {
      logits: this.model.forwardHead(features),
      forward_features: features,
      pre_logits: this.model.forwardHead(features, true),
    };
  }
}

/**
 * The reference interpreter, onnxruntime-node and onnxruntime-web (wasm) as `[name, run]` pairs
 * for `it.each`. Initialises the ONNX Runtime backends before the enclosing suite and disposes the
 * sessions the runners opened after it.
 */
/** @param {readonly ('reference' | 'node' | 'wasm')[]} [names] */
export function goldenRunners(names = ['reference', 'node', 'wasm']) {
  const sessions = [];
  const viaBackend = (backend) => async (graph, feeds) => {
    const session = await backend.compile(graph);
    sessions.push(session);
    return session.run(feeds);
  };
  beforeAll(async () => {
    if (names.includes('node')) await nodeBackend.init();
    if (names.includes('wasm')) await wasmBackend.init();
  });
  afterAll(async () => {
    for (const s of sessions.splice(0)) await s.dispose();
  });
  const all = {
    reference: async (graph, feeds) => interpret(graph, feeds),
    node: viaBackend(nodeBackend),
    wasm: viaBackend(wasmBackend),
  };
  return names.map((n) => [n, all[n]]);
}

/** @param {import('./model-golden.d.ts').GoldenTestOptions} options */
export function defineGoldenTests({ plugin, goldens, featuresLeaveOut, selectOutIndices = false }) {
  beforeAll(() => {
    if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  });
  const runners = goldenRunners();

  describe.each(goldens)('golden %s', (name) => {
    const sidecar = goldenSidecar(name);
    const arch = /create_model\('([^']+)'/.exec(sidecar.build.call)[1];
    const { num_classes: numClasses, ...kwargs } = sidecar.build.kwargs;
    const file = readSafetensors(goldenBytes(name));
    const golden = (k) => file.get(`io.${k}`);
    const weights = new Map(
      [...file.keys()].filter((k) => !k.startsWith('io.')).map((k) => [k, file.get(k)]),
    );
    const input = golden('input');
    const [, , h, w] = sidecar.input.shape;
    const outIndices = sidecar.features_only.out_indices;

    let classifier;
    let features;

    beforeAll(async () => {
      // createModel leaves a classifier whose size differs from the entry's untouched, so the
      // golden weights (10 classes) are loaded strictly by hand.
      const model = await createModel(`ocular/${arch}`, { numClasses, kwargs });
      const report = model.module.loadStateDict(weights, { strict: true });
      expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
      classifier = traceModule(new ClassifierOutputs(model.module), [
        { name: 'input', dtype: 'float32', shape: ['batch', 3, h, w] },
      ]);
      const fo = await createModel(`ocular/${arch}`, {
        numClasses,
        kwargs,
        weights,
        featuresOnly: true,
        ...(selectOutIndices ? { outIndices } : {}),
      });
      const leftOut =
        typeof featuresLeaveOut === 'number' ? featuresLeaveOut : featuresLeaveOut(weights, sidecar);
      expect(fo.loadReport?.loaded.length).toBe(weights.size - leftOut);
      expect([fo.loadReport?.missing, fo.loadReport?.mismatched]).toEqual([[], []]);
      features = fo.trace({ inputSize: [h, w] });
    });

    it.each(runners)('matches the float32 outputs on %s (max abs diff ≤ 1e-4)', async (_backend, run) => {
      const out = await run(classifier, { input });
      for (const k of ['logits', 'forward_features', 'pre_logits']) {
        expect(maxAbsDiff(out[k], golden(k)), k).toBeLessThanOrEqual(F32_TOLERANCE);
      }
      const feats = await run(features, { input });
      outIndices.forEach((i, j) => {
        // With the sidecar's out_indices selected, `features.<j>` is the j-th selected map;
        // otherwise the golden names each map by its index.
        const key = `features.${selectOutIndices ? j : i}`;
        expect(feats[`output${j}`].dims).toEqual(sidecar.features_only.shapes[j]);
        expect(maxAbsDiff(feats[`output${j}`], golden(key)), key).toBeLessThanOrEqual(F32_TOLERANCE);
      });
    });

    it('matches the float64 outputs on the reference backend at the suggested tolerance', () => {
      const out = interpret(classifier, { input });
      const atol = sidecar.suggested_tolerance.atol;
      expect(excess(out.logits, golden('logits_f64'), 1e-4)).toBeLessThanOrEqual(atol);
      expect(excess(out.forward_features, golden('forward_features_f64'), 1e-4)).toBeLessThanOrEqual(atol);
    });
  });
}
