import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { wasmBackend } from '@ocular/backend-wasm';
import { type Backend, createModel, graphToOnnx, type Module, readOnnxModel, registry } from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BYOBNET_ENTRIES, plugin } from '../src/index.js';
import { input, randomizeState, relativeDiff } from './byobnet-helpers.js';

/** timm's parameter counts and state-dict digests (tooling/goldens/make_golden.py). */
const COUNTS = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'byobnet_counts.json'), 'utf8'),
) as Record<string, { param_count: number; state_dict_sha256: string }>;

const digest = (m: Module) =>
  createHash('sha256')
    .update([...m.stateDict()].map(([k, t]) => `${k} [${t.dims.join(', ')}]`).join('\n'))
    .digest('hex');

beforeAll(async () => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  await nodeBackend.init();
  await wasmBackend.init();
});

const sessions: { dispose(): Promise<void> | void }[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

describe.each(BYOBNET_ENTRIES.map((e) => e.name))('%s', (name) => {
  it("has timm's keys, shapes and parameter count, traces at 64×64 and exports to ONNX", async () => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(COUNTS[name]!.param_count);
    expect(model.info.paramCount).toBe(COUNTS[name]!.param_count);
    expect(digest(model.module)).toBe(COUNTS[name]!.state_dict_sha256);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('backend parity', () => {
  it.each([
    ['repvgg_a0', [40, 56], nodeBackend],
    ['mobileone_s0', [32, 32], wasmBackend],
    ['mobileone_s4', [16, 24], nodeBackend],
  ] as const)('%s at %j matches the reference backend', async (name, [h, w], backend: Backend) => {
    const model = await createModel(`ocular/${name}`, { numClasses: 7 });
    randomizeState(model.module, 11);
    const graph = model.trace({ inputSize: [h, w] });
    const x = input([2, 3, h, w]);
    const ref = interpret(graph, { input: x }).output!;
    const session = await backend.compile(graph);
    sessions.push(session);
    const got = (await session.run({ input: x })).output!;
    expect(got.dims).toEqual([2, 7]);
    expect(relativeDiff(got, ref)).toBeLessThanOrEqual(1e-4);
  });
});
