// Test helpers: TF.js (cpu backend) runs the original LayersModel from memory as the oracle.
import '@tensorflow/tfjs-backend-cpu';
import { Tensor } from '@ocular/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { TfjsModelJson, TfjsWeightSpec } from '../src/index.js';

/** Selects the cpu backend once. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Concatenates shard bytes. */
export function concatShards(shards: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
  let o = 0;
  for (const s of shards) {
    out.set(s, o);
    o += s.byteLength;
  }
  return out;
}

/** Loads the LayersModel in TF.js from memory (never a URL). */
export async function loadOracle(
  json: TfjsModelJson,
  shards: readonly Uint8Array[],
): Promise<tfl.LayersModel> {
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  const weightData = concatShards(shards).slice().buffer;
  return tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs, weightData }),
  );
}

/** Runs the TF.js model on NHWC inputs; returns NHWC outputs as Ocular tensors. */
export async function runOracle(model: tfl.LayersModel, inputs: Tensor[]): Promise<Tensor[]> {
  const xs = inputs.map((t) => tf.tensor(t.toFloat32(), [...t.dims], 'float32'));
  const out = model.predict(xs.length === 1 ? xs[0]! : xs) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(out) ? out : [out];
  const res = await Promise.all(
    list.map(async (y) => new Tensor('float32', (await y.data()) as Float32Array, y.shape)),
  );
  for (const t of [...xs, ...list]) t.dispose();
  return res;
}

/** Saves a TF.js-built model the way `model.save` writes it: JSON + one shard. */
export async function saveModel(model: tfl.LayersModel): Promise<{ json: TfjsModelJson; shard: Uint8Array }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = saved!;
  const data = a.weightData as ArrayBuffer;
  return {
    json: {
      format: 'layers-model',
      modelTopology: a.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs as TfjsWeightSpec[] }],
    },
    shard: new Uint8Array(data),
  };
}

/** Seeded uniform values in [lo, hi) (mulberry32). */
export function random(seed: number): (lo?: number, hi?: number) => number {
  let a = seed >>> 0;
  return (lo = -1, hi = 1) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  };
}

/** A seeded random float32 tensor. */
export function randomTensor(dims: number[], seed: number, lo = -1, hi = 1): Tensor<'float32'> {
  const r = random(seed);
  const t = Tensor.zeros('float32', dims);
  for (let i = 0; i < t.size; i++) t.data[i] = r(lo, hi);
  return t;
}

/** Max abs difference of two same-shaped tensors (throws on a shape mismatch). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.dims.join() !== b.dims.join()) throw new Error(`shape [${a.dims}] vs [${b.dims}]`);
  const x = a.toFloat32();
  const y = b.toFloat32();
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return m;
}

/** Gives every weight of a TF.js model seeded values (variances positive), so runs are reproducible. */
export function seedWeights(model: tfl.LayersModel, seed: number): void {
  const r = random(seed);
  model.setWeights(
    model.weights.map((w) => {
      const positive = /variance/.test(w.originalName);
      const n = (w.shape as number[]).reduce((a, b) => a * b, 1);
      const v = new Float32Array(n);
      for (let i = 0; i < n; i++) v[i] = positive ? r(0.5, 1.5) : r(-0.5, 0.5);
      return tf.tensor(v, w.shape as number[], 'float32');
    }),
  );
}
