// Every registered CNN traces at a small input and gives the same logits on the reference,
// onnxruntime-node and onnxruntime-web (wasm) backends. Weights are the seeded default
// initialisation with perturbed batch-norm statistics, so every layer changes the output.
import { nodeBackend } from '@ocular/backend-node';
import { referenceBackend } from '@ocular/backend-reference';
import { wasmBackend } from '@ocular/backend-wasm';
import { createModel, listModels, registry, Tensor } from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';

const SIZE = 64;

beforeAll(async () => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  await nodeBackend.init();
  await wasmBackend.init();
});

/** Deterministic values in [-1, 1). */
function seeded(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

describe('every registered CNN on reference, node and wasm', () => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  const names = listModels({ scope: 'ocular', family: 'cnn' });

  it.each(names)('%s agrees across backends at 64×64', async (name) => {
    const model = await createModel(name, { numClasses: 10 });
    // Give running statistics real values so batch norm is not the identity.
    const stats = new Map<string, Tensor>();
    let seed = 7;
    for (const [key, t] of model.module.stateDict()) {
      if (key.endsWith('running_var'))
        stats.set(
          key,
          Tensor.from(
            'float32',
            seeded(t.size, seed++).map((v) => 1 + 0.5 * v),
            t.dims,
          ),
        );
      else if (key.endsWith('running_mean'))
        stats.set(
          key,
          Tensor.from(
            'float32',
            seeded(t.size, seed++).map((v) => 0.1 * v),
            t.dims,
          ),
        );
    }
    model.module.loadStateDict(stats, { strict: false });

    const graph = model.trace({ batch: 1, inputSize: [SIZE, SIZE] });
    const c = model.inputSize[0];
    const input = new Tensor('float32', seeded(c * SIZE * SIZE, 1), [1, c, SIZE, SIZE]);
    const outputs: Record<string, Tensor> = {};
    for (const backend of [referenceBackend, nodeBackend, wasmBackend]) {
      const session = await backend.compile(graph);
      const out = await session.run({ [graph.inputs[0]!.name]: input });
      outputs[backend.name] = Object.values(out)[0]!;
      await session.dispose();
    }
    const ref = outputs.reference!;
    expect(ref.dims).toEqual([1, 10]);
    const scale = Math.max(1, ...Array.from(ref.data as Float32Array, Math.abs));
    expect(maxAbsDiff(outputs.node!, ref) / scale, 'node vs reference').toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(outputs.wasm!, ref) / scale, 'wasm vs reference').toBeLessThanOrEqual(1e-4);
  });
});
