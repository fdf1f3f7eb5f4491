import { createModel, getModelInfo, NotImplementedError, profileGraph } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import type { CrossVit } from '../src/index.js';
import { usePlugin } from './cait-helpers.js';
import { layout, moduleLayout } from './reference.js';

usePlugin();

describe('crossvit_tiny_240 against the timm layout', () => {
  const name = 'crossvit_tiny_240';
  const ref = layout(name);

  it('has the state-dict keys, shapes, kinds, dtypes and order', async () => {
    const model = await createModel(`ocular/${name}`);
    expect(moduleLayout(model.module)).toEqual(ref.state_dict);
    expect(model.parameterCount()).toBe(ref.param_count);
  });

  it('lists the layout metadata without loading code', () => {
    const info = getModelInfo(`ocular/${name}`);
    expect(info.paramCount).toBe(ref.param_count);
    expect(info.defaultInputSize).toEqual(ref.default_input_size);
    expect(info.mean).toEqual(ref.mean);
    expect(info.std).toEqual(ref.std);
    expect(info.numClasses).toBe(ref.num_classes);
    expect(info.tag ?? info.variants[0]).toBe(ref.pretrained_cfg.tag);
    expect(info.firstConv).toBe(ref.pretrained_cfg.first_conv[0]);
    expect(info.classifier).toEqual(ref.pretrained_cfg.classifier);
    expect(ref.feature_info).toBeNull();
    expect(info.featureInfo).toEqual([]);
  });

  it('has the logits and features shapes and the MACs at the default input', async () => {
    const model = await createModel(`ocular/${name}`);
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual([ref.logits_shape_at_default_input]);
    expect(profileGraph(graph).macs).toBe(ref.macs);
    const m = model.module as CrossVit;
    expect(m.numFeatures).toBe(ref.model_attrs?.num_features);
  });

  it('has no features-only form, as timm', async () => {
    await expect(createModel(`ocular/${name}`, { featuresOnly: true })).rejects.toThrow(NotImplementedError);
  });
});

describe('CrossViT models without a layout file', () => {
  // timm's results tables: parameters in M to 2 decimals, GMACs at 240×240.
  it.each([
    ['crossvit_small_240', 26.86e6, 5.63e9],
    ['crossvit_9_240', 8.55e6, 1.85e9],
  ] as const)('%s has the published parameter count and MACs (within 2%%)', async (name, params, macs) => {
    const model = await createModel(`ocular/${name}`);
    expect(Math.abs(model.parameterCount() - params)).toBeLessThanOrEqual(0.005e6);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const measured = profileGraph(model.trace({ batch: 1 })).macs;
    expect(Math.abs(measured - macs) / macs).toBeLessThanOrEqual(0.02);
  });
});
