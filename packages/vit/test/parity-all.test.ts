// Every registered vision transformer traces at 64×64 and gives the same logits on the reference,
// onnxruntime-node and onnxruntime-web (wasm) backends (the conformance kit's model parity:
// seeded batch-norm statistics, max |difference| ≤ 1e-4 · max(1, max |logit|)).
import { nodeBackend } from '@ocular/backend-node';
import { referenceBackend } from '@ocular/backend-reference';
import { wasmBackend } from '@ocular/backend-wasm';
import { listModels, registry } from '@ocular/core';
import { runModelParity } from '@ocular/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin } from '../src/index.js';

if (!registry.listPlugins().includes(plugin)) registry.use(plugin);

beforeAll(async () => {
  await nodeBackend.init();
  await wasmBackend.init();
});

describe('every registered vision transformer on reference, node and wasm', () => {
  it.each(listModels({ scope: 'ocular', family: 'vit' }))(
    '%s agrees across backends at 64×64',
    async (name) => {
      const r = await runModelParity(name, {
        reference: referenceBackend,
        backends: [nodeBackend, wasmBackend],
      });
      expect(r.outputShape).toEqual([1, 10]);
      for (const b of r.backends) expect(b.ok, `${b.backend}: ${b.message ?? b.maxScaledError}`).toBe(true);
    },
  );
});
