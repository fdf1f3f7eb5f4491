// Test helpers: TF.js (cpu backend) running a GraphModel from memory, as the oracle, and seeded inputs.
import '@tensorflow/tfjs-backend-cpu';
import { Tensor } from '@ocular/core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';

/** Seeded uniform values in [lo, hi) (mulberry32). */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return (lo = 0, hi = 1) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  };
}

/** A float32 tensor of seeded uniform values. */
export function randomTensor(dims: number[], seed: number, lo = 0, hi = 1): Tensor<'float32'> {
  const r = seeded(seed);
  const t = Tensor.zeros('float32', dims);
  for (let i = 0; i < t.size; i++) t.data[i] = r(lo, hi);
  return t;
}

/** One buffer holding the given shards back to back. */
export function concatShards(shards: readonly Uint8Array[]): ArrayBuffer {
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const s of shards) {
    out.set(s, off);
    off += s.byteLength;
  }
  return out.buffer;
}

/**
 * Runs the GraphModel on TF.js's cpu backend: `inputs` by placeholder name (in the model's own
 * layout), returns the named outputs as Ocular host tensors.
 */
export async function runTfjsGraph(
  // biome-ignore lint/suspicious/noExplicitAny: model.json is free-form
  modelJson: any,
  shards: readonly Uint8Array[],
  inputs: Record<string, Tensor>,
  outputs: readonly string[],
): Promise<Record<string, Tensor>> {
  await tf.setBackend('cpu');
  const model = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
      weightData: concatShards(shards),
      format: modelJson.format,
      generatedBy: modelJson.generatedBy,
      convertedBy: modelJson.convertedBy,
      signature: modelJson.signature,
    }),
  );
  const feeds: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) {
    feeds[name] = tf.tensor(t.toFloat32(), [...t.dims], t.dtype === 'int32' ? 'int32' : 'float32');
  }
  const result = (await model.executeAsync(feeds, [...outputs])) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(result) ? result : [result];
  const out: Record<string, Tensor> = {};
  list.forEach((r, i) => {
    const data = r.dataSync();
    out[outputs[i]!] =
      r.dtype === 'int32'
        ? new Tensor('int32', Int32Array.from(data), r.shape)
        : new Tensor('float32', Float32Array.from(data), r.shape);
    r.dispose();
  });
  for (const f of Object.values(feeds)) f.dispose();
  model.dispose();
  return out;
}

/** Largest absolute difference between two tensors of the same size (Infinity if sizes differ). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.toFloat32();
  const y = b.toFloat32();
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return m;
}
