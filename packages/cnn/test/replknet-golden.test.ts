import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { interpret } from '@ocular/backend-reference';
import {
  createModel,
  type Graph,
  Module,
  readSafetensors,
  registry,
  reparameterizeModel,
  type SymbolicTensor,
  type Tensor,
  traceModule,
} from '@ocular/core';
import { excess, goldenRunners, maxAbsDiff } from '@ocular/vitest-config/model-golden';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin, type RepLKNet } from '../src/index.js';

/**
 * The golden comes from the authors' RepLKNet implementation under PyTorch, through
 * tooling/goldens/make_golden.py (see the sidecar's provenance).
 */
const FIXTURES = join(import.meta.dirname, 'fixtures');
const sidecar = JSON.parse(readFileSync(join(FIXTURES, 'replknet_tiny.json'), 'utf8')) as {
  build: { ocular: { arch: string; kwargs: Record<string, unknown> } };
  state_dict_keys: string[];
  input: { shape: number[] };
  suggested_tolerance: { atol: number };
};
const file = readSafetensors(new Uint8Array(readFileSync(join(FIXTURES, 'replknet_tiny.safetensors'))));
const golden = (k: string) => file.get(`io.${k}`) as Tensor;
const weights = new Map(
  [...file.keys()].filter((k) => !k.startsWith('io.')).map((k) => [k, file.get(k) as Tensor]),
);
const { arch, kwargs } = sidecar.build.ocular;

/** logits, forward_features, pre_logits and the four stage maps of one model. */
class Outputs extends Module<[SymbolicTensor], Record<string, SymbolicTensor>> {
  constructor(readonly model: RepLKNet) {
    super();
    for (const [name, child] of model.namedChildren()) this.registerModule(name, child);
  }
  forward(x: SymbolicTensor) {
    const { final, intermediates } = this.model.forwardIntermediates(x);
    const out: Record<string, SymbolicTensor> = {
      logits: this.model.forwardHead(final!),
      forward_features: final!,
    };
    // The last stage's map is `final` itself (its stage norm is an identity): it is compared
    // through forward_features, as a graph lists each tensor once.
    intermediates.slice(0, -1).forEach((t, i) => {
      out[`features.${i}`] = t;
    });
    return out;
  }
}

const RUNNERS = goldenRunners();

async function build(): Promise<RepLKNet> {
  const model = await createModel(`ocular/${arch}`, { numClasses: 10, kwargs });
  const report = model.module.loadStateDict(weights, { strict: true });
  expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
  return model.module as unknown as RepLKNet;
}

const trace = (m: RepLKNet) =>
  traceModule(new Outputs(m), [{ name: 'input', dtype: 'float32', shape: sidecar.input.shape }]);

let graph: Graph;

beforeAll(async () => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  graph = trace(await build());
});

describe('RepLKNet against the PyTorch golden (tiny 31B-kernel configuration)', () => {
  it('has the reference state-dict keys in order', async () => {
    const model = await build();
    expect([...model.stateDict().keys()]).toEqual(sidecar.state_dict_keys);
  });

  it.each(RUNNERS)('matches the float32 outputs on %s (max abs diff ≤ 1e-4)', async (_name, run) => {
    const out = await run(graph, { input: golden('input') });
    for (const k of ['logits', 'forward_features', 'features.0', 'features.1', 'features.2']) {
      expect(maxAbsDiff(out[k]!, golden(k)), k).toBeLessThanOrEqual(1e-4);
    }
    expect(maxAbsDiff(out.forward_features!, golden('features.3'))).toBeLessThanOrEqual(1e-4);
  });

  it('matches the float64 logits at the suggested tolerance', () => {
    const out = interpret(graph, { input: golden('input') });
    const atol = sidecar.suggested_tolerance.atol;
    expect(excess(out.logits!, golden('logits_f64'), 1e-4)).toBeLessThanOrEqual(atol);
  });

  it('re-parameterises into single large kernels with the reference outputs', async () => {
    const model = await build();
    reparameterizeModel(model);
    const keys = [...model.stateDict().keys()];
    expect(keys.filter((k) => k.includes('small_conv') || k.includes('lkb_origin'))).toEqual([]);
    expect(model.stateDict().get('stages.0.blocks.0.large_kernel.lkb_reparam.weight')!.dims).toEqual([
      8, 1, 31, 31,
    ]);
    const out = interpret(trace(model), { input: golden('input') });
    expect(maxAbsDiff(out.logits!, golden('logits_reparam'))).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(out.logits!, golden('logits'))).toBeLessThanOrEqual(1e-4);
  });
});

describe('full-size RepLKNet-31B', () => {
  const counts = JSON.parse(readFileSync(join(FIXTURES, 'replknet_counts.json'), 'utf8')) as Record<
    string,
    {
      param_count: number;
      state_dict_sha256: string;
      reparameterized: { param_count: number; state_dict_sha256: string };
    }
  >;
  const digest = (m: Module) =>
    createHash('sha256')
      .update([...m.stateDict()].map(([k, t]) => `${k} [${t.dims.join(', ')}]`).join('\n'))
      .digest('hex');

  it('has the reference keys, shapes and parameter counts, train-time and fused', async () => {
    const model = await createModel('ocular/replknet_31b');
    expect(model.parameterCount()).toBe(counts.replknet_31b!.param_count);
    expect(digest(model.module)).toBe(counts.replknet_31b!.state_dict_sha256);
    const fused = reparameterizeModel(model.module);
    expect(fused.parameterCount()).toBe(counts.replknet_31b!.reparameterized.param_count);
    expect(digest(fused)).toBe(counts.replknet_31b!.reparameterized.state_dict_sha256);
  });
});
