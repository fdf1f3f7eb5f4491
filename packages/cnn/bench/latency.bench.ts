// Latency of every registered CNN at its default input size (batch 1), per backend.
// Run with `pnpm bench` (turbo) or `pnpm --filter @ocular/cnn bench`; results also go to
// bench/results.json. OCULAR_BENCH_MODELS (a glob, default '*') and OCULAR_BENCH_BACKENDS
// (default 'node,wasm') narrow the run. This is a measurement, never a pass/fail test.
import { nodeBackend } from '@ocular/backend-node';
import { wasmBackend } from '@ocular/backend-wasm';
import { type Backend, createModel, listModels, registry, type Session, Tensor } from '@ocular/core';
import { afterAll, bench, describe } from 'vitest';
import { plugin } from '../src/index.js';

if (!registry.listPlugins().includes(plugin)) registry.use(plugin);

const BACKENDS: Record<string, Backend> = { node: nodeBackend, wasm: wasmBackend };
const wanted = (process.env.OCULAR_BENCH_BACKENDS ?? 'node,wasm').split(',').map((s) => s.trim());
const models = listModels({ scope: 'ocular', family: 'cnn', name: process.env.OCULAR_BENCH_MODELS ?? '*' });
const sessions: Session[] = [];

for (const name of models) {
  describe(name, async () => {
    const model = await createModel(name);
    const graph = model.trace({ batch: 1 });
    const [c, h, w] = model.inputSize;
    const input = Tensor.from(
      'float32',
      Float32Array.from({ length: c * h * w }, (_, i) => Math.sin(i)),
      [1, c, h, w],
    );
    for (const backendName of wanted) {
      const backend = BACKENDS[backendName];
      if (!backend) throw new Error(`unknown backend '${backendName}' in OCULAR_BENCH_BACKENDS`);
      await backend.init();
      const session = await backend.compile(graph);
      sessions.push(session);
      bench(`${backendName}`, async () => {
        await session.run({ input });
      });
    }
  });
}

afterAll(async () => {
  for (const s of sessions) await s.dispose();
});
