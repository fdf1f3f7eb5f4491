// Latency benchmarks of every registered model of a family at its default input size (batch 1),
// per backend, for the family packages' `pnpm bench`. OCULAR_BENCH_MODELS (a glob, default '*')
// and OCULAR_BENCH_BACKENDS (default 'node,wasm') narrow the run. Measurements, never pass/fail.
// The @ocular/* imports resolve through the preset's workspace aliases (declaring them as dependencies
// here would make the workspace graph cyclic: every package dev-depends on this preset).
import { nodeBackend } from '@ocular/backend-node';
import { wasmBackend } from '@ocular/backend-wasm';
import { createModel, listModels, registry, Tensor } from '@ocular/core';
import { afterAll, bench, describe } from 'vitest';

const BACKENDS = { node: nodeBackend, wasm: wasmBackend };

/**
 * Declares one benchmark group per registered model of `family`, one bench per backend.
 * @param {{ family: string, plugin: import('@ocular/core').Plugin }} options
 */
export function defineModelBenchmarks({ family, plugin }) {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  const wanted = (process.env.OCULAR_BENCH_BACKENDS ?? 'node,wasm').split(',').map((s) => s.trim());
  const models = listModels({ scope: 'ocular', family, name: process.env.OCULAR_BENCH_MODELS ?? '*' });
  const sessions = [];
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
        bench(backendName, async () => {
          await session.run({ [graph.inputs[0].name]: input });
        });
      }
    });
  }
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });
}
