import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { createModel, graphToOnnx, readOnnxModel, registry, Tensor } from '@ocular/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateRegnet,
  plugin,
  REGNET_CONFIGS,
  REGNET_ENTRIES,
  regnetCheckpointFilter,
  regnetStages,
  regnetTorchvisionKey,
  roundHalfEven,
} from '../src/index.js';
import { input, layoutTests, maxAbsDiff, randomizeState } from './ghostnet-helpers.js';
import { layout } from './reference.js';

beforeAll(() => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
});

describe('regnety_016 against the timm layout', () => {
  layoutTests('regnety_016', ['head.']);
});

describe('RegNet width generation', () => {
  it('rounds ties to even as Python does', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3]);
  });

  it('generates the published RegNet stage widths and depths', () => {
    // Widths from the RegNet paper's model tables (pycls configs), depths summing to `depth`.
    const stages = (a: keyof typeof REGNET_CONFIGS) =>
      regnetStages(REGNET_CONFIGS[a]).map((s) => [s.width, s.depth]);
    expect(stages('regnetx_002')).toEqual([
      [24, 1],
      [56, 1],
      [152, 4],
      [368, 7],
    ]);
    expect(stages('regnety_016')).toEqual([
      [48, 2],
      [120, 6],
      [336, 17],
      [888, 2],
    ]);
    expect(stages('regnety_032')).toEqual([
      [72, 2],
      [216, 5],
      [576, 13],
      [1512, 1],
    ]);
    // By hand: block 2 has 48 + 2·20.71 = 89.42 → exponent round(log(1.863) / log(2.65)) = 1 →
    // 48 · 2.65 = 127.2 → 128 (multiple of 8); the stage later quantises 128 to 5 groups of 24 = 120.
    expect(generateRegnet(20.71, 48, 2.65, 3)).toEqual([48, 48, 128]);
    expect(() => generateRegnet(1, 20, 2, 4)).toThrow(/divisible by 8/);
  });
});

describe('RegNet registry entries', () => {
  // timm's published parameter counts (results/benchmark-infer-*.csv, in millions).
  const PUBLISHED: Record<string, number> = {
    regnetx_002: 2.68,
    regnetx_004: 5.16,
    regnetx_006: 6.2,
    regnetx_008: 7.26,
    regnetx_016: 9.19,
    regnety_002: 3.16,
    regnety_004: 4.34,
    regnety_006: 6.06,
    regnety_008: 6.26,
    regnety_016: 11.2,
    regnety_032: 19.44,
  };

  it.each(REGNET_ENTRIES.map((e) => e.name))('%s builds, traces at 64×64 and exports', async (name) => {
    const model = await createModel(`ocular/${name}`);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    expect(Math.abs(model.parameterCount() / 1e6 - PUBLISHED[name]!)).toBeLessThan(0.005);
    const graph = model.trace({ inputSize: [64, 64] });
    expect(graph.outputs[0]!.shape).toEqual(['batch', 1000]);
    const back = readOnnxModel(graphToOnnx(graph, { dynamicBatch: true }));
    expect(back.nodes.length).toBe(graph.nodes.length);
  });
});

describe('the torchvision checkpoint filter', () => {
  // torchvision's regnet_y_1_6gf state-dict keys, built from torchvision's module structure:
  // stem = Conv2dNormActivation (0 conv, 1 bn), trunk_output.blockS.blockS-I =
  // ResBottleneckBlock (proj on the first block; f = BottleneckTransform a, b, se(fc1, fc2), c).
  const bn = (p: string) =>
    ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'].map((n) => `${p}.${n}`);
  function torchvisionKeys(depths: number[]): string[] {
    const keys = ['stem.0.weight', ...bn('stem.1')];
    depths.forEach((d, s) => {
      for (let i = 0; i < d; i++) {
        const p = `trunk_output.block${s + 1}.block${s + 1}-${i}`;
        if (i === 0) keys.push(`${p}.proj.0.weight`, ...bn(`${p}.proj.1`));
        keys.push(`${p}.f.a.0.weight`, ...bn(`${p}.f.a.1`), `${p}.f.b.0.weight`, ...bn(`${p}.f.b.1`));
        keys.push(`${p}.f.se.fc1.weight`, `${p}.f.se.fc1.bias`, `${p}.f.se.fc2.weight`, `${p}.f.se.fc2.bias`);
        keys.push(`${p}.f.c.0.weight`, ...bn(`${p}.f.c.1`));
      }
    });
    return [...keys, 'fc.weight', 'fc.bias'];
  }

  it('maps every torchvision regnet_y_1_6gf key onto exactly the timm regnety_016 keys', () => {
    const timmKeys = layout('regnety_016').state_dict.map(([k]) => k);
    const tv = torchvisionKeys([2, 6, 17, 2]);
    expect(tv.length).toBe(timmKeys.length);
    expect(new Set(tv.map(regnetTorchvisionKey))).toEqual(new Set(timmKeys));
    expect(regnetTorchvisionKey('trunk_output.block3.block3-16.f.se.fc2.bias')).toBe('s3.b17.se.fc2.bias');
    expect(regnetTorchvisionKey('trunk_output.block1.block1-0.proj.1.running_var')).toBe(
      's1.b1.downsample.bn.running_var',
    );
  });

  it('returns a view with the tensors under timm names, and leaves timm checkpoints alone', () => {
    const t = Tensor.from('float32', [1, 2], [2]);
    const tv = new Map([
      ['module.stem.0.weight', t],
      ['module.fc.bias', t],
    ]);
    const view = regnetCheckpointFilter({ keys: () => tv.keys(), get: (k) => tv.get(k) });
    expect([...view.keys()]).toEqual(['stem.conv.weight', 'head.fc.bias']);
    expect(view.get('head.fc.bias')).toBe(t);
    const timm = { keys: () => ['stem.conv.weight'][Symbol.iterator](), get: () => t };
    expect(regnetCheckpointFilter(timm)).toBe(timm);
  });
});

describe('RegNet parity and features', () => {
  const sessions: { dispose(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.dispose();
  });

  it('regnety_002 agrees on node and reference at a non-square input', async () => {
    const model = await createModel('ocular/regnety_002', { numClasses: 5 });
    randomizeState(model.module, 7);
    const graph = model.trace({ inputSize: [48, 40] });
    const x = input([1, 3, 48, 40]);
    const ref = interpret(graph, { input: x }).output!;
    const session = await nodeBackend.compile(graph);
    sessions.push(session);
    const got = (await session.run({ input: x })).output!;
    expect(got.dims).toEqual([1, 5]);
    expect(maxAbsDiff(ref, got)).toBeLessThanOrEqual(1e-4);
  });

  it('selects features by outIndices and drops the later stages', async () => {
    const model = await createModel('ocular/regnetx_002', { featuresOnly: true, outIndices: [1, 3] });
    const keys = [...model.module.stateDict().keys()];
    expect(keys.some((k) => k.startsWith('s4.') || k.startsWith('head.'))).toBe(false);
    const graph = model.trace({ batch: 1, inputSize: [64, 80] });
    expect(graph.outputs.map((o) => o.shape)).toEqual([
      [1, 24, 16, 20],
      [1, 152, 4, 5],
    ]);
  });
});
