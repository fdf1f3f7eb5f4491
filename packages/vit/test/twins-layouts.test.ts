import { createModel, getModelInfo, profileGraph } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { layout, moduleLayout } from './reference.js';
import { usePlugin } from './swin-helpers.js';

usePlugin();

describe('twins_svt_small against the timm layout', () => {
  const name = 'twins_svt_small';
  const ref = layout(name);

  it('has the state-dict keys, shapes, kinds, dtypes and order, and the parameter count', async () => {
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
    expect(info.firstConv).toBe(ref.pretrained_cfg.first_conv);
    expect(info.classifier).toEqual([ref.pretrained_cfg.classifier]);
    expect(info.featureInfo).toEqual(
      ref.feature_info.map((f) => ({ numChs: f.num_chs, reduction: f.reduction, module: f.module })),
    );
  });

  it('has the logits shape and MACs at the default input', async () => {
    const model = await createModel(`ocular/${name}`);
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual([ref.logits_shape_at_default_input]);
    expect(profileGraph(graph).macs).toBe(ref.macs);
  });

  it('has the features-only maps of timm (NCHW, no final norm, no head)', async () => {
    const fo = ref.features_only;
    const model = await createModel(`ocular/${name}`, { featuresOnly: true });
    expect(model.featureInfo).toEqual(
      fo.channels.map((c, i) => ({ numChs: c, reduction: fo.reduction[i], module: fo.module[i] })),
    );
    const keys = ref.state_dict.filter(([k]) => !k.startsWith('head.') && !k.startsWith('norm.'));
    expect(keys.length).toBe(286); // the layout's features_only state_dict_len
    expect(moduleLayout(model.module)).toEqual(keys);
    const graph = model.trace({ batch: 1 });
    expect(graph.outputs.map((o) => o.shape)).toEqual(fo.output_shapes_at_default_input);
  });
});

describe('Twins models without a layout file', () => {
  // timm's results tables: params in M to 2 decimals, GMACs at 224.
  it.each([
    ['twins_svt_base', 56.07e6, 8.59e9],
    ['twins_svt_large', 99.27e6, 15.15e9],
  ] as const)('%s has the published parameter count and MACs (within 2%%)', async (name, params, macs) => {
    const model = await createModel(`ocular/${name}`);
    expect(Math.abs(model.parameterCount() - params)).toBeLessThanOrEqual(0.005e6);
    expect(model.parameterCount()).toBe(model.info.paramCount);
    const measured = profileGraph(model.trace({ batch: 1 })).macs;
    expect(Math.abs(measured - macs) / macs).toBeLessThanOrEqual(0.02);
  });
});
